// Fuzz target: IDX files (raw, or gzip when they start with 1f 8b) through the readers the
// program uses, from a temporary file as the program reads them.
import Foundation
import SpikeFuzzDriver
import SpikeData

private let path = NSTemporaryDirectory() + "spikescope-fuzz-idx-\(getpid())"

public func fuzzIDX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    _ = try? IDX.readImages(path: path)
    _ = try? IDX.readLabels(path: path, classes: 10)
    return 0
}

fuzz { fuzzIDX($0, $1) }
