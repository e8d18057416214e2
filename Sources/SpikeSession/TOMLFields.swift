import Foundation
import TOMLKit

/// Typed reads of one TOML table with errors that name file, field, expected and found.
struct TOMLFields {
    let table: TOMLTable
    let file: String
    /// Prefix of field names in messages, e.g. "layers[2]." or "data.".
    let prefix: String

    private func found(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .string: return "\"\(v.string ?? "")\""
        case .int: return "\(v.int ?? 0)"
        case .double: return "\(v.double ?? 0)"
        case .bool: return "\(v.bool ?? false)"
        case .array: return "an array"
        case .table: return "a table"
        default: return "a date or time"
        }
    }

    func has(_ key: String) -> Bool { table[key] != nil }

    func string(_ key: String) throws -> String? {
        guard let v = table[key] else { return nil }
        guard let s = v.string else { throw SessionError.badValue(file: file, field: prefix + key, expected: "a string", found: found(v)) }
        return s
    }

    func requiredString(_ key: String, expected: String) throws -> String {
        guard let s = try string(key) else { throw SessionError.missing(file: file, field: prefix + key, expected: expected) }
        return s
    }

    func choice<T>(_ key: String, _ options: [(String, T)], default value: T? = nil) throws -> T {
        let names = options.map(\.0)
        guard let s = try string(key) else {
            if let value { return value }
            throw SessionError.missing(file: file, field: prefix + key, expected: "one of " + names.joined(separator: ", "))
        }
        guard let hit = options.first(where: { $0.0 == s }) else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: "one of " + names.joined(separator: ", "), found: "\"\(s)\"")
        }
        return hit.1
    }

    func int(_ key: String, default value: Int? = nil, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let v = table[key] else {
            if let value { return value }
            throw SessionError.missing(file: file, field: prefix + key, expected: "an integer")
        }
        guard let i = v.int else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: "an integer", found: found(v))
        }
        guard range.contains(i) else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: describe(range), found: "\(i)")
        }
        return i
    }

    /// A real number; integers are accepted (TOML's `beta = 1` is an integer).
    func float(_ key: String, default value: Float? = nil, _ check: (Float) -> Bool = { $0.isFinite },
               expected: String = "a number") throws -> Float {
        guard let v = table[key] else {
            if let value { return value }
            throw SessionError.missing(file: file, field: prefix + key, expected: expected)
        }
        let x: Float
        if let d = v.double { x = Float(d) } else if let i = v.int { x = Float(i) } else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: expected, found: found(v))
        }
        guard x.isFinite, check(x) else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: expected, found: "\(v.double.map { "\($0)" } ?? "\(v.int ?? 0)")")
        }
        return x
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let v = table[key] else { return value }
        guard let b = v.bool else { throw SessionError.badValue(file: file, field: prefix + key, expected: "true or false", found: found(v)) }
        return b
    }

    func ints(_ key: String) throws -> [Int]? {
        guard let v = table[key] else { return nil }
        guard let a = v.array else { throw SessionError.badValue(file: file, field: prefix + key, expected: "an array of integers", found: found(v)) }
        var out: [Int] = []
        for e in a {
            guard let i = e.int else { throw SessionError.badValue(file: file, field: prefix + key, expected: "an array of integers", found: "an element \(found(e))") }
            out.append(i)
        }
        return out
    }

    func subtable(_ key: String) throws -> TOMLFields? {
        guard let v = table[key] else { return nil }
        guard let t = v.table else { throw SessionError.badValue(file: file, field: prefix + key, expected: "a table", found: found(v)) }
        return TOMLFields(table: t, file: file, prefix: prefix + key + ".")
    }

    func tables(_ key: String) throws -> [TOMLFields] {
        guard let v = table[key] else { return [] }
        guard let a = v.array else { throw SessionError.badValue(file: file, field: prefix + key, expected: "an array of tables ([[\(key)]])", found: found(v)) }
        var out: [TOMLFields] = []
        for (i, e) in a.enumerated() {
            guard let t = e.table else {
                throw SessionError.badValue(file: file, field: "\(prefix)\(key)[\(i + 1)]", expected: "a table", found: found(e))
            }
            out.append(TOMLFields(table: t, file: file, prefix: "\(prefix)\(key)[\(i + 1)]."))
        }
        return out
    }

    /// Rejects keys outside `allowed` (catches typos such as `thershold`).
    func onlyKeys(_ allowed: [String]) throws {
        for key in table.keys.sorted() where !allowed.contains(key) {
            throw SessionError.unknownField(file: file, field: prefix + key, allowed: allowed)
        }
    }

    private func describe(_ r: ClosedRange<Int>) -> String {
        if r.upperBound == Int.max { return "an integer >= \(r.lowerBound)" }
        return "an integer from \(r.lowerBound) to \(r.upperBound)"
    }
}

extension TOMLFields {
    /// A whole file as UTF-8 text, or the error naming it.
    static func text(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionError.unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SessionError.unreadable(file: path, reason: "not UTF-8 text") }
        return text
    }

    /// The top table of TOML text (checked by `TOMLGuard` first); syntax errors name file, line and column.
    static func root(_ text: String, file: String) throws -> TOMLFields {
        do {
            try TOMLGuard.check(text)
            return TOMLFields(table: try TOMLTable(string: text), file: file, prefix: "")
        } catch let e as TOMLGuardProblem {
            throw SessionError.syntax(file: file, line: e.line, column: e.column, message: e.message)
        } catch let e as TOMLParseError {
            throw SessionError.syntax(file: file, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
    }
}
