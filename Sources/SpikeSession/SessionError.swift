import SpikeCore

/// Errors in the files users edit; each names the file and field, what was expected and what was found.
public enum SessionError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, message: String)
    case missing(file: String, field: String, expected: String)
    case badValue(file: String, field: String, expected: String, found: String)
    case unknownField(file: String, field: String, allowed: [String])
    case model(file: String, ModelError)
    case unwritable(file: String, reason: String)

    /// The message printed to the user.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .syntax(file, line, column, message): "\(file):\(line):\(column): TOML syntax error: \(message)"
        case let .missing(file, field, expected): "\(file): missing '\(field)' (expected \(expected))"
        case let .badValue(file, field, expected, found): "\(file): '\(field)' must be \(expected), found \(found)"
        case let .unknownField(file, field, allowed):
            "\(file): unknown field '\(field)' (expected one of: \(allowed.joined(separator: ", ")))"
        case let .model(file, error): "\(file): \(error.description)"
        case let .unwritable(file, reason): "\(file): cannot save: \(reason)"
        }
    }
}

extension SessionError: UserInputError {}
