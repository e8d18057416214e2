// Fuzz target: session TOML through the reader the program uses, then the comment-keeping save
// path: edit the values the workbench owns, and the saved text must read back with them.
import Foundation
import SpikeFuzzDriver
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

fuzz { fuzzSession($0, $1) }
