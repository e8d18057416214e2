// The `:` prompt: a one-line editor with a cursor, history and Tab completion, as a shell's.

import SpikeHardware
import SpikeTerm

/// What a key did to the prompt.
enum CommandEdit: Equatable {
    /// Still editing.
    case editing
    /// Enter: run this text.
    case submit(String)
    /// Escape, Ctrl-C, or Backspace on an empty line: close without running.
    case cancel
    /// Not an editing key.
    case ignored
}

/// The `:` prompt's text, cursor (a character index) and history (oldest first).
public struct CommandEditor: Equatable, Sendable {
    /// The text typed.
    public var text = ""
    /// Where the next character goes, 0...text.count.
    public var cursor = 0
    /// Commands run before, oldest first (at most 100).
    public private(set) var history: [String] = []
    /// The history entry shown (nil: the line being typed).
    var historyIndex: Int?
    /// The line being typed before history browsing began.
    var draft = ""

    /// Starts a new line with `text` and the cursor at its end.
    mutating func open(_ text: String) {
        self.text = text; cursor = text.count; historyIndex = nil; draft = ""
    }

    /// Applies one key; `complete` gives the completions of a partial word (its index in the line, the words before).
    mutating func handle(_ key: Key, complete: (_ words: [String], _ partial: String) -> [String]) -> CommandEdit {
        switch key {
        case .escape, .ctrlC: return .cancel
        case .enter:
            let line = text
            let trimmed = line.split(separator: " ").joined(separator: " ")
            if !trimmed.isEmpty && history.last != trimmed {
                history.append(trimmed)
                if history.count > 100 { history.removeFirst() }
            }
            return .submit(line)
        case .backspace:
            if text.isEmpty { return .cancel }
            if cursor > 0 { remove(at: cursor - 1); cursor -= 1 }
        case .delete:
            if cursor < text.count { remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"): text = String(text.dropFirst(cursor)); cursor = 0
        case .up:
            guard !history.isEmpty else { break }
            if historyIndex == nil { draft = text; historyIndex = history.count }
            historyIndex = max(0, historyIndex! - 1)
            text = history[historyIndex!]; cursor = text.count
        case .down:
            guard let i = historyIndex else { break }
            if i + 1 < history.count { historyIndex = i + 1; text = history[i + 1] } else { historyIndex = nil; text = draft }
            cursor = text.count
        case .tab:
            let before = String(text.prefix(cursor))
            var words = before.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let partial = words.removeLast()
            let options = complete(words.filter { !$0.isEmpty }, partial)
            guard let common = CommandEditor.commonPrefix(options), common.count >= partial.count else { break }
            let added = String(common.dropFirst(partial.count)) + (options.count == 1 ? " " : "")
            insert(added)
        case .char(let c):
            guard text.count < 200 else { break }
            insert(String(c))
        default:
            return .ignored
        }
        return .editing
    }

    private mutating func insert(_ s: String) {
        let i = text.index(text.startIndex, offsetBy: cursor)
        text.insert(contentsOf: s, at: i)
        cursor += s.count
    }

    private mutating func remove(at k: Int) {
        text.remove(at: text.index(text.startIndex, offsetBy: k))
    }

    /// The longest common prefix of `words` (nil when empty).
    static func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for w in words.dropFirst() { while !w.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }
}

extension AppState {
    /// Command names for completion.
    static let commandNames = ["T", "sample", "layer", "neuron", "theme", "target", "save", "open", "compare",
                               "train", "stop", "help", "quit"]

    /// Completions of `partial` after `words`: command names first, then per command its
    /// names (layers, themes, targets, sessions under sessions/).
    func completions(_ words: [String], _ partial: String) -> [String] {
        let options: [String]
        switch words.first {
        case nil: options = AppState.commandNames
        case "layer": options = recorder?.layers.map(\.name) ?? []
        case "theme": options = Theme.builtins.map(\.name)
        case "target": options = TargetProfiles.names
        case "open", "e": options = AppState.sessionFiles()
        default: options = []
        }
        return options.filter { $0.hasPrefix(partial) }.sorted()
    }

    /// Session files in sessions/ of the working folder.
    static func sessionFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "sessions")) ?? [])
            .filter { $0.hasSuffix(".toml") || $0.hasSuffix(".nir") }.map { "sessions/" + $0 }
    }
}

import Foundation
