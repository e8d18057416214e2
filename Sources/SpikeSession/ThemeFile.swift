import SpikeCore
import TOMLKit

/// A colour as written in a theme file, resolved to the terminal palette.
public enum ThemeColour: Equatable, Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case terminalDefault
    /// An entry of the 256-colour palette (0-15 are the terminal's system colours).
    case index(UInt8)
    /// A "#rrggbb" colour; the workbench maps it to the nearest palette entry of 16-255.
    case rgb(r: Int, g: Int, b: Int)
}

/// The style of one UI role as written in a theme file; unspecified fields are off/default.
public struct ThemeRoleStyle: Equatable, Sendable {
    /// Foreground colour.
    public var fg: ThemeColour = .terminalDefault
    /// Background colour.
    public var bg: ThemeColour = .terminalDefault
    /// Attributes.
    public var bold = false, dim = false, reverse = false, underline = false

    /// Creates a role style; everything defaults to the terminal's plain text.
    public init(fg: ThemeColour = .terminalDefault, bg: ThemeColour = .terminalDefault,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false,
                underline: Bool = false) {
        (self.fg, self.bg) = (fg, bg)
        (self.bold, self.dim, self.reverse, self.underline) = (bold, dim, reverse, underline)
    }
}

/// Why a theme file could not be read; `description` is the message shown to the user.
public enum ThemeFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or is not UTF-8.
    case unreadable(file: String, reason: String)
    /// The text is not valid TOML.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A field holds a value of the wrong kind or out of range.
    case badValue(file: String, field: String, expected: String, found: String)
    /// A field name that themes do not have (often a typo).
    case unknownField(file: String, field: String, expected: [String])

    /// The message printed for the user.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read theme file (\(reason))"
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): invalid TOML: \(message)"
        case let .badValue(file, field, expected, found):
            return "\(file): '\(field)' must be \(expected), found '\(found)'"
        case let .unknownField(file, field, expected):
            return "\(file): unknown field '\(field)', expected one of: "
                + expected.joined(separator: ", ")
        }
    }
}

/// A parsed `themes/NAME.toml`: role name → style, plus the list roles; roles left out
/// inherit from `base` (a built-in theme name, default "dark").
///
/// Format (every role optional):
///
///     name = "mine"
///     base = "dark"                    # one of ThemeFile.builtinNames
///     membrane = [39, "#ff8800", "green", { fg = 170, bold = true }]   # exactly 4
///     class_colours = [196, 208, ...]  # 1-16 entries
///     heat_ramp = [232, 236, ...]      # 2-24 entries, low to high
///     [title]
///     fg = 15                          # colour: name, 0-255 or "#rrggbb"
///     bg = "default"
///     bold = true                      # also dim, reverse, underline
///
/// "#rrggbb" is kept as RGB; the workbench maps it to the nearest entry of 16-255.
/// Not promised: round-tripping; this type only reads.
public struct ThemeFile: Equatable, Sendable {
    /// The theme's name (defaults to the file name without ".toml").
    public var name: String
    /// The built-in theme that supplies roles the file leaves out.
    public var base: String
    /// Single-style roles present in the file, by TOML role name.
    public var roles: [String: ThemeRoleStyle]
    /// List roles present in the file (membrane, class_colours, heat_ramp).
    public var lists: [String: [ThemeRoleStyle]]

    /// Names of the built-in themes a file may use as `base`.
    public static let builtinNames = ["dark", "light", "high-contrast", "colorblind"]
    /// Role names that take one style (a TOML table).
    public static let singleRoles = [
        "text", "dim", "title", "focus_border", "border", "axis", "spike", "threshold", "bar",
        "bar_highlight", "event_on", "event_off", "status", "status_key", "warning", "selection", "canvas",
    ]
    /// Role names that take a list of styles, with the allowed entry counts.
    public static let listRoles: [(name: String, counts: ClosedRange<Int>)] = [
        ("membrane", 4...4), ("class_colours", 1...16), ("heat_ramp", 2...24),
    ]
    /// Named colours accepted in place of an index (0-15, plus "default").
    public static let colourNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow", "bright_blue",
        "bright_magenta", "bright_cyan", "bright_white",
    ]
    static let styleFields = ["fg", "bg", "bold", "dim", "reverse", "underline"]
    static let colourExpected = "a colour name, 0-255 or \"#rrggbb\""

    /// Creates a theme file value directly (roles left out inherit from `base`).
    public init(name: String, base: String = "dark", roles: [String: ThemeRoleStyle] = [:],
                lists: [String: [ThemeRoleStyle]] = [:]) {
        (self.name, self.base, self.roles, self.lists) = (name, base, roles, lists)
    }

    /// Reads and parses a theme file; errors name `path` as given.
    public static func load(path: String) throws -> ThemeFile {
        guard let text = readUTF8(path: path) else {
            throw ThemeFileError.unreadable(file: path, reason: "missing, unreadable or not UTF-8")
        }
        return try parse(text, file: path)
    }

    /// Parses theme TOML; `file` names the source in errors and supplies the default name.
    public static func parse(_ text: String, file: String) throws -> ThemeFile {
        let table: TOMLTable
        do {
            try TOMLGuard.check(text)
            table = try TOMLTable(string: text)
        } catch let error as TOMLGuardProblem {
            throw ThemeFileError.syntax(file: file, line: error.line, column: error.column, message: error.message)
        } catch let error as TOMLParseError {
            throw ThemeFileError.syntax(
                file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: error.description)
        } catch {
            throw ThemeFileError.syntax(file: file, line: 0, column: 0, message: "\(error)")
        }
        var stem = file.split(separator: "/").last.map(String.init) ?? file
        if stem.hasSuffix(".toml") { stem.removeLast(5) }
        var theme = ThemeFile(name: stem)
        let known = ["name", "base"] + listRoles.map(\.name) + singleRoles
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            switch key {
            case "name":
                guard let s = value.string, !s.isEmpty else {
                    throw ThemeFileError.badValue(
                        file: file, field: key, expected: "a non-empty string",
                        found: describe(value))
                }
                theme.name = s
            case "base":
                guard let s = value.string, builtinNames.contains(s) else {
                    throw ThemeFileError.badValue(
                        file: file, field: key,
                        expected: "one of " + builtinNames.joined(separator: ", "),
                        found: describe(value))
                }
                theme.base = s
            default:
                if let list = listRoles.first(where: { $0.name == key }) {
                    guard let array = value.array else {
                        throw ThemeFileError.badValue(
                            file: file, field: key, expected: "an array of colours or styles",
                            found: describe(value))
                    }
                    guard list.counts.contains(array.count) else {
                        let n = list.counts.lowerBound == list.counts.upperBound
                            ? "\(list.counts.lowerBound)"
                            : "\(list.counts.lowerBound)-\(list.counts.upperBound)"
                        throw ThemeFileError.badValue(
                            file: file, field: key, expected: "\(n) entries",
                            found: "\(array.count) entries")
                    }
                    var styles: [ThemeRoleStyle] = []
                    for i in 0..<array.count {
                        styles.append(try parseEntry(array[i], field: "\(key)[\(i)]", file: file))
                    }
                    theme.lists[key] = styles
                } else if singleRoles.contains(key) {
                    guard let roleTable = value.table else {
                        throw ThemeFileError.badValue(
                            file: file, field: key, expected: "a table of fg, bg, bold, ...",
                            found: describe(value))
                    }
                    theme.roles[key] = try parseStyle(roleTable, field: key, file: file)
                } else {
                    throw ThemeFileError.unknownField(file: file, field: key, expected: known)
                }
            }
        }
        return theme
    }

    /// A list entry: a bare colour (the foreground) or a style table.
    static func parseEntry(_ value: TOMLValueConvertible, field: String, file: String) throws
        -> ThemeRoleStyle
    {
        if let t = value.table { return try parseStyle(t, field: field, file: file) }
        return ThemeRoleStyle(fg: try parseColour(value, field: field, file: file))
    }

    static func parseStyle(_ table: TOMLTable, field: String, file: String) throws
        -> ThemeRoleStyle
    {
        var style = ThemeRoleStyle()
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            let path = "\(field).\(key)"
            switch key {
            case "fg": style.fg = try parseColour(value, field: path, file: file)
            case "bg": style.bg = try parseColour(value, field: path, file: file)
            case "bold", "dim", "reverse", "underline":
                guard let b = value.bool else {
                    throw ThemeFileError.badValue(
                        file: file, field: path, expected: "true or false", found: describe(value))
                }
                switch key {
                case "bold": style.bold = b
                case "dim": style.dim = b
                case "reverse": style.reverse = b
                default: style.underline = b
                }
            default:
                throw ThemeFileError.unknownField(file: file, field: path, expected: styleFields)
            }
        }
        return style
    }

    /// A colour: "default", a name from `colourNames`, 0-255 (integral floats accepted) or "#rrggbb".
    static func parseColour(_ value: TOMLValueConvertible, field: String, file: String) throws
        -> ThemeColour
    {
        let bad = ThemeFileError.badValue(
            file: file, field: field, expected: colourExpected, found: describe(value))
        if let i = value.int {
            guard (0...255).contains(i) else { throw bad }
            return .index(UInt8(i))
        }
        if let d = value.double {
            guard d.rounded() == d, d >= 0, d <= 255 else { throw bad }
            return .index(UInt8(d))
        }
        guard let s = value.string else { throw bad }
        let name = String(s.lowercased().map { $0 == "-" ? "_" : $0 })
        if name == "default" { return .terminalDefault }
        if name == "grey" || name == "gray" { return .index(8) }
        if let i = colourNames.firstIndex(of: name) { return .index(UInt8(i)) }
        if let rgb = parseHex(s) { return .rgb(r: rgb.r, g: rgb.g, b: rgb.b) }
        throw bad
    }

    /// How a value is quoted in error messages: strings bare, tables and arrays by kind.
    static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return value.string ?? ""
        case .int: return value.int.map { "\($0)" } ?? "integer"
        case .double: return value.double.map { "\($0)" } ?? "number"
        case .bool: return value.bool.map { "\($0)" } ?? "boolean"
        case .table: return "a table"
        case .array: return "an array"
        default: return value.debugDescription
        }
    }

    /// Parses "#rrggbb" (case-insensitive) into RGB; nil when malformed.
    static func parseHex(_ text: String) -> (r: Int, g: Int, b: Int)? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 7, scalars[0] == "#" else { return nil }
        var channels: [Int] = []
        for k in 0..<3 {
            guard let hi = hexDigit(scalars[1 + 2 * k]), let lo = hexDigit(scalars[2 + 2 * k]) else { return nil }
            channels.append(hi * 16 + lo)
        }
        return (channels[0], channels[1], channels[2])
    }

    private static func hexDigit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "0"..."9": return Int(s.value - 48)
        case "a"..."f": return Int(s.value - 87)
        case "A"..."F": return Int(s.value - 55)
        default: return nil
        }
    }
}

extension ThemeFileError: UserInputError {}
