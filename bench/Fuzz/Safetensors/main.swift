// Fuzz target: safetensors bytes through the reader the program uses (`Safetensors.decode`),
// and a decoded file written back and read again must give the same tensors.
import Foundation
import SpikeFuzzDriver
import SpikeCore

public func fuzzSafetensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let (tensors, metadata) = try? Safetensors.decode(data, file: "fuzz.safetensors") else { return 0 }
    let again = try? Safetensors.decode(Safetensors.encode(tensors, metadata: metadata), file: "again.safetensors")
    precondition(again?.tensors.mapValues(\.shape) == tensors.mapValues(\.shape), "safetensors round trip changed the shapes")
    return 0
}

fuzz { fuzzSafetensors($0, $1) }
