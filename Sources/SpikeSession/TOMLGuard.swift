// A structural check of TOML text before it reaches the TOML parser (toml++ inside TOMLKit).
// Fuzzing (bench/fuzz.sh) found inputs on which toml++'s own assertions abort the program —
// a table header or key that starts with a character no key can start with, an array with an
// empty element — and a NUL byte, which silently ends its document. This checker walks the
// grammar's structure (keys, tables, strings, arrays, inline tables, comments) and reports the
// first problem with its line and column; what it accepts is left to toml++ for the details
// (numbers, dates, escapes, duplicate keys).

/// A problem found before parsing: 1-based line and column, and what is wrong.
struct TOMLGuardProblem: Error, Equatable {
    let line: Int, column: Int, message: String
}

/// The structural checker (recursive descent over Unicode scalars).
struct TOMLGuard {
    private let s: [Unicode.Scalar]
    private var i = 0, line = 1, lineStart = 0

    /// Throws the first problem of `text`, if any.
    static func check(_ text: String) throws {
        var g = TOMLGuard(s: Array(text.unicodeScalars))
        try g.document()
    }

    private init(s: [Unicode.Scalar]) { self.s = s }

    private var atEnd: Bool { i >= s.count }
    private var c: Unicode.Scalar? { i < s.count ? s[i] : nil }

    private func fail(_ message: String) -> TOMLGuardProblem {
        TOMLGuardProblem(line: line, column: i - lineStart + 1, message: message)
    }

    private mutating func advance() {
        if s[i] == "\n" { line += 1; lineStart = i + 1 }
        i += 1
    }

    private static func isBareKey(_ ch: Unicode.Scalar) -> Bool {
        ch.isASCII && (("a"..."z").contains(ch) || ("A"..."Z").contains(ch) || ("0"..."9").contains(ch) || ch == "_" || ch == "-")
    }

    private mutating func checkControl() throws {
        guard let ch = c else { return }
        let v = ch.value
        if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F {
            throw fail("control character U+\(String(v, radix: 16, uppercase: true).zeroPadded(4)) is not allowed in TOML")
        }
    }

    /// Spaces and tabs.
    private mutating func spaces() throws { while let ch = c, ch == " " || ch == "\t" { advance() } }

    /// A comment to the end of the line (not the newline).
    private mutating func comment() throws {
        guard c == "#" else { return }
        while let ch = c, ch != "\n" { try checkControl(); advance() }
    }

    /// Spaces, comments and newlines (inside arrays).
    private mutating func blank() throws {
        while let ch = c {
            if ch == " " || ch == "\t" || ch == "\r" || ch == "\n" { advance() }
            else if ch == "#" { try comment() }
            else { break }
        }
    }

    /// End of a line: spaces, an optional comment, then a newline or the end.
    private mutating func endOfLine() throws {
        try spaces(); try comment()
        if c == "\r" { advance() }
        guard atEnd || c == "\n" else { throw fail("expected the end of the line") }
        if !atEnd { advance() }
    }

    private mutating func document() throws {
        // Control characters anywhere (NUL would end toml++'s document).
        var k = 0
        for ch in s {
            let v = ch.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F { i = k; recount(); try checkControl() }
            k += 1
        }
        i = 0; line = 1; lineStart = 0
        while !atEnd {
            try spaces()
            guard let ch = c else { break }
            if ch == "#" || ch == "\n" || ch == "\r" { try endOfLine(); continue }
            if ch == "[" {
                advance()
                let array = c == "["
                if array { advance() }
                try spaces()
                try keyPath()
                try spaces()
                guard c == "]" else { throw fail("expected ']' to close the table header") }
                advance()
                if array { guard c == "]" else { throw fail("expected ']]' to close the array-of-tables header") }; advance() }
                try endOfLine()
                continue
            }
            try keyPath()
            try spaces()
            guard c == "=" else { throw fail("expected '=' after the key") }
            advance()
            try spaces()
            try value(inline: false)
            try endOfLine()
        }
    }

    /// Recomputes line and column for position i (used once, for an early error).
    private mutating func recount() {
        line = 1; lineStart = 0
        for k in 0..<min(i, s.count) where s[k] == "\n" { line += 1; lineStart = k + 1 }
    }

    /// key ( '.' key )*
    private mutating func keyPath() throws {
        try key()
        while true {
            try spaces()
            guard c == "." else { return }
            advance(); try spaces(); try key()
        }
    }

    private mutating func key() throws {
        guard let ch = c else { throw fail("expected a key") }
        if ch == "\"" || ch == "'" { try string(); return }
        guard TOMLGuard.isBareKey(ch) else {
            throw fail("a key cannot start with '\(Character(ch))' (letters, digits, _ and - or a quoted key)")
        }
        while let k = c, TOMLGuard.isBareKey(k) { advance() }
    }

    private mutating func value(inline: Bool) throws {
        guard let ch = c else { throw fail("expected a value") }
        switch ch {
        case "\"", "'": try string()
        case "[": try array()
        case "{": try inlineTable()
        default:
            // Numbers, booleans, dates and times: a run of these characters (a space only
            // between a date and a time).
            let start = i
            while let k = c, TOMLGuard.isBareKey(k) || k == "." || k == "+" || k == ":" || k == "Z" || k == "z" {
                advance()
                if c == " ", i + 1 < s.count, ("0"..."9").contains(s[i + 1]), i - start == 10 { advance() }
            }
            if i == start { throw fail("expected a value, found '\(Character(ch))'") }
        }
    }

    private mutating func array() throws {
        advance()   // [
        try blank()
        if c == "]" { advance(); return }
        while true {
            try blank()
            if c == "]" { advance(); return }      // a trailing comma
            try value(inline: false)
            try blank()
            if c == "," { advance(); continue }
            guard c == "]" else { throw fail("expected ',' or ']' in the array") }
            advance(); return
        }
    }

    private mutating func inlineTable() throws {
        advance()   // {
        try spaces()
        if c == "}" { advance(); return }
        while true {
            try spaces()
            try keyPath()
            try spaces()
            guard c == "=" else { throw fail("expected '=' in the inline table") }
            advance(); try spaces()
            try value(inline: true)
            try spaces()
            if c == "," { advance(); continue }
            guard c == "}" else { throw fail("expected ',' or '}' in the inline table") }
            advance(); return
        }
    }

    private mutating func string() throws {
        let quote = c!
        let triple = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
        if triple { advance(); advance(); advance() } else { advance() }
        while true {
            guard let ch = c else { throw fail("the string is not closed") }
            if !triple && (ch == "\n" || ch == "\r") { throw fail("the string is not closed on its line") }
            if quote == "\"" && ch == "\\" { advance(); if !atEnd { advance() }; continue }
            if ch == quote {
                if !triple { advance(); return }
                if i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote {
                    advance(); advance(); advance()
                    while c == quote { advance() }     // up to two quotes may end the content
                    return
                }
            }
            advance()
        }
    }
}

private extension String {
    func zeroPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
