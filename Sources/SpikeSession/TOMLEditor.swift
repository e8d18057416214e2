/// Edits single values of a TOML text in place, leaving comments, order and layout alone.
///
/// TOMLKit's writer drops comments and re-sorts keys, so the workbench saves what it owns
/// (T, sample, view settings, weights path) by replacing just those values' text. Only plain
/// tables (`[name]`) and the top level are edited; values may span lines when bracketed.
public struct TOMLEditor: Equatable, Sendable {
    /// The text, one element a line (no line terminators).
    public private(set) var lines: [String]

    /// Splits `text` into lines.
    public init(_ text: String) {
        // Split on the scalar "\n": a Swift Character holds "\r\n" whole, so a CRLF line would
        // otherwise stay joined to the next one (found by fuzzing: its [data] was not seen and a
        // second one was appended).
        var l = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        if l.last == "" { l.removeLast() }
        lines = l
    }

    /// The edited text, newline-terminated.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// Sets `key = value` (value already in TOML syntax) in `table` (nil: top level).
    public mutating func set(table: String?, key: String, value: String) {
        let (start, end) = section(table) ?? appendSection(table!)   // nil section means top level, which always exists
        var i = start
        while i < end {
            if let (keyEnd, valueEnd, lastLine) = keyValue(at: i, key: key) {
                let line = lines[i]
                let prefix = String(line[..<keyEnd])
                let tail = String(lines[lastLine][valueEnd...])
                lines[i] = prefix + value + tail
                if lastLine > i { lines.removeSubrange((i + 1)...lastLine) }
                return
            }
            i += 1
        }
        // not present: insert after the section's last non-blank line
        var at = end
        while at > start && lines[at - 1].trimmingCharacters(in: .whitespaces).isEmpty { at -= 1 }
        if table == nil && at == start { at = end }   // top level with no keys yet: before the first table
        lines.insert("\(key) = \(value)", at: at)
    }

    /// Line range [start, end) of a table's body; nil table is the top level (before any header).
    private func section(_ table: String?) -> (Int, Int)? {
        var start: Int? = table == nil ? 0 : nil
        for (i, line) in lines.enumerated() {
            guard let header = Self.header(line) else { continue }
            if let s = start { return (s, i) }
            if let table, header == "[\(table)]" { start = i + 1 }
        }
        return start.map { ($0, lines.count) }
    }

    private mutating func appendSection(_ table: String) -> (Int, Int) {
        if let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
        lines.append("[\(table)]")
        return (lines.count, lines.count)
    }

    /// "[name]" or "[[name]]" with inner spaces and tabs removed (TOML allows both around the
    /// name), for a header line; nil otherwise.
    private static func header(_ line: String) -> String? {
        let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix("[") else { return nil }
        let body = t.split(separator: "#", maxSplits: 1).first.map(String.init) ?? t
        return body.filter { $0 != " " && $0 != "\t" }
    }

    /// If line i assigns `key`: where its value starts, where it ends, and on which line.
    private func keyValue(at i: Int, key: String) -> (String.Index, String.Index, Int)? {
        let line = lines[i]
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix(key) else { return nil }
        var j = trimmed.index(trimmed.startIndex, offsetBy: key.count)
        while j < trimmed.endIndex, trimmed[j] == " " || trimmed[j] == "\t" { j = trimmed.index(after: j) }
        guard j < trimmed.endIndex, trimmed[j] == "=" else { return nil }
        j = trimmed.index(after: j)
        while j < trimmed.endIndex, trimmed[j] == " " || trimmed[j] == "\t" { j = trimmed.index(after: j) }
        // scan the value: strings, brackets (possibly over several lines), else up to a comment
        var lineNo = i, text = line, k = j
        var depth = 0, inString: Character? = nil
        while true {
            if k == text.endIndex {
                if depth > 0 && lineNo + 1 < lines.count { lineNo += 1; text = lines[lineNo]; k = text.startIndex; continue }
                break
            }
            let c = text[k]
            if let q = inString {
                if c == "\\" && q == "\"" { k = text.index(after: k); if k < text.endIndex { k = text.index(after: k) }; continue }
                if c == q { inString = nil }
            } else if c == "\"" || c == "'" {
                inString = c
            } else if c == "[" || c == "{" {
                depth += 1
            } else if c == "]" || c == "}" {
                depth -= 1
                if depth == 0 { k = text.index(after: k); break }
            } else if depth == 0 && (c == "#" ) {
                break
            }
            k = text.index(after: k)
        }
        // trim trailing spaces of the value so the comment keeps its spacing
        var end = k
        if lineNo == i || depth == 0 {
            while end > (lineNo == i ? j : text.startIndex), text[text.index(before: end)] == " " { end = text.index(before: end) }
        }
        return (j, end, lineNo)
    }
}

import Foundation
