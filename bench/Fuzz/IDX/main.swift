// Fuzz target: IDX files (raw, or gzip when they start with 1f 8b) through the readers the
// program uses, from a temporary file as the program reads them.
import Foundation
@testable import SpikeData

private let path = NSTemporaryDirectory() + "spikescope-fuzz-idx-\(getpid())"

public func fuzzIDX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    _ = try? IDX.readImages(path: path)
    _ = try? IDX.readLabels(path: path, classes: 10)
    return 0
}

// The entry point: libFuzzer's driver when built by bench/fuzz.sh (-D FUZZING, -sanitize=fuzzer),
// else nothing. SwiftPM renames executables' `main` on Linux, so the driver is called from
// here rather than linked as libFuzzer's own main.
#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv, { fuzzIDX($0, $1) }))
#endif
