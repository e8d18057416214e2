// Fuzz target: learning files (`spikescope learn --session`) through the reader the program uses,
// and every parameter set it accepts through a network's construction and validation, a learned
// sample and a tested one.
import Foundation
import SpikeFuzzDriver
import SpikeLearn
import SpikeSession

public func fuzzLearn(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let text = String(bytes: UnsafeRawBufferPointer(start: start, count: count), encoding: .utf8) else { return 0 }
    guard let s = try? LearnSettings.parse(text, file: "fuzz.toml") else { return 0 }
    // accepted parameters must be usable: a small network built from them runs one short sample
    if s.network == .vdsp {
        var p = s.vdsp
        p.neurons = min(p.neurons, 4); p.presentMs = min(p.presentMs, 20); p.restMs = min(p.restMs, 20)
        let net = VDSPNetwork(p, inputs: 4, seed: 0)
        net.present([1, 0, 0.5, 1], learn: true)
        net.present([1, 0, 0.5, 1], learn: false)      // and tested, as its test_match says
    } else {
        var p = s.parameters
        p.neurons = min(p.neurons, 4); p.presentMs = min(p.presentMs, 20); p.restMs = min(p.restMs, 20)
        p.minimumSpikes = 0
        guard p.presentMs >= p.dt else { return 0 }
        let net = DiehlCookNetwork(p, inputs: 4, seed: 0)
        net.present([1, 0, 0.5, 1], learn: true)
        net.present([1, 0, 0.5, 1], learn: false)      // and tested, as its test_match says
    }
    return 0
}

fuzz { fuzzLearn($0, $1) }
