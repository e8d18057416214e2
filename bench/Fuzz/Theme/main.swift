// Fuzz target: theme TOML through the reader the program uses.
import Foundation
import SpikeFuzzDriver
import SpikeSession

public func fuzzTheme(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let text = String(bytes: UnsafeRawBufferPointer(start: start, count: count), encoding: .utf8) else { return 0 }
    _ = try? ThemeFile.parse(text, file: "fuzz.toml")
    return 0
}

fuzz { fuzzTheme($0, $1) }
