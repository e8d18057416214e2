// The fuzz targets' entry point: libFuzzer's driver when built by bench/fuzz.sh (-D FUZZING and
// libclang_rt.fuzzer_no_main), else nothing. SwiftPM renames executables' `main` on Linux, so
// libFuzzer's own main cannot be linked; each target's main.swift calls `fuzz` instead.
#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt
#endif

/// Runs libFuzzer on `body` (one input's bytes; return 0) and exits, when built for fuzzing.
public func fuzz(_ body: @convention(c) (UnsafeRawPointer, Int) -> CInt) {
    #if FUZZING
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, body))
    #endif
}
