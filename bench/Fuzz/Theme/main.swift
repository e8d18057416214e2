// Fuzz target: theme TOML through the reader the program uses.
import Foundation
import SpikeSession

public func fuzzTheme(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let text = String(bytes: UnsafeRawBufferPointer(start: start, count: count), encoding: .utf8) else { return 0 }
    _ = try? ThemeFile.parse(text, file: "fuzz.toml")
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
exit(runDriver(&argc, &argv, { fuzzTheme($0, $1) }))
#endif
