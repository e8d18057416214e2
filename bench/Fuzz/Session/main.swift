// Fuzz target: session TOML through the reader the program uses, then the comment-keeping save
// path: edit the values the workbench owns, and the saved text must read back with them.
import Foundation
import SpikeSession

public func fuzzSession(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let text = String(bytes: UnsafeRawBufferPointer(start: start, count: count), encoding: .utf8),
          var session = try? Session.parse(text, file: "fuzz.toml") else { return 0 }
    session.timesteps = session.timesteps == 7 ? 8 : 7
    session.view.compare.toggle()
    let saved = session.editedText(from: text)
    let back: Session
    do { back = try Session.parse(saved, file: "saved.toml") } catch {
        preconditionFailure("a saved session does not read back: \(error)\n--- saved:\n\(saved)")
    }
    precondition(back.timesteps == session.timesteps && back.view.compare == session.view.compare,
                 "a saved session reads back with other values")
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
exit(runDriver(&argc, &argv, { fuzzSession($0, $1) }))
#endif
