// Fuzz target: safetensors bytes through the reader the program uses (`Safetensors.decode`),
// and a decoded file written back and read again must give the same tensors.
import Foundation
import SpikeCore

public func fuzzSafetensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let (tensors, metadata) = try? Safetensors.decode(data, file: "fuzz.safetensors") else { return 0 }
    let again = try? Safetensors.decode(Safetensors.encode(tensors, metadata: metadata), file: "again.safetensors")
    precondition(again?.tensors.mapValues(\.shape) == tensors.mapValues(\.shape), "safetensors round trip changed the shapes")
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
exit(runDriver(&argc, &argv, { fuzzSafetensors($0, $1) }))
#endif
