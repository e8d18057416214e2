// Fuzz target: target-profile TOML through the reader the program uses, then a mapping of a
// small model onto what it read (limits of any size must give a mapping or a report, not a crash).
import Foundation
import SpikeFuzzDriver
import SpikeCore
import SpikeHardware
import SpikeSession

private let network = try! Network(spec: ModelSpec(inputShape: .flat(16), layers: [
    LayerSpec(name: "h", kind: .dense(outputs: 40), neuron: .lif(LIFParameters())),
    LayerSpec(name: "out", kind: .dense(outputs: 4)),
]), seed: 0)

public func fuzzTarget(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let text = String(bytes: UnsafeRawBufferPointer(start: start, count: count), encoding: .utf8),
          var target = try? Target.parse(text, file: "fuzz.toml") else { return 0 }
    target.chips = min(target.chips, 4)
    guard target.totalCores <= 100_000, let mapping = try? Mapping(network: network, target: target) else { return 0 }
    _ = Placement.sequential(mapping)
    return 0
}

fuzz { fuzzTarget($0, $1) }
