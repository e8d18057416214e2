import SpikeTerm
import SpikeTrain
/// A `:` command of the workbench's command line.
public enum AppCommand: Equatable, Sendable {
    /// `:T N` sets the timesteps of a presentation.
    case timesteps(Int)
    /// `:sample N` selects a sample.
    case sample(Int)
    /// `:layer N` or `:layer NAME` selects a neuron layer.
    case layer(String)
    /// `:neuron N` selects a neuron of the layer shown.
    case neuron(Int)
    /// `:theme NAME` switches theme (built-in or themes/NAME.toml).
    case theme(String)
    /// `:save` (the session's own file) or `:save NAME`.
    case save(String?)
    /// `:open FILE` opens another session.
    case open(String)
    /// `:target NAME` or `:target FILE` maps the model onto another neuromorphic target.
    case target(String)
    /// `:compare` toggles compare mode.
    case compare
    /// `:train` or `:train N`: train the model in the background (N epochs).
    case train(Int?)
    /// `:stop` stops training.
    case stop
    /// `:help` shows the keys.
    case help
    /// `:q` / `:quit`.
    case quit

    /// Parses the text typed after ':'; errors name the command and what it needs.
    public static func parse(_ text: String) throws -> AppCommand {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // ":T8" is ":T 8".
        if let first = words.first, first.count > 1, first.first == "T" || first.first == "t",
           first.dropFirst().allSatisfy(\.isNumber) {
            words = ["T", String(first.dropFirst())] + words.dropFirst()
        }
        guard let name = words.first else { throw AppError.badArgument("empty command") }
        let rest = words.dropFirst().joined(separator: " ")
        func integer(_ what: String) throws -> Int {
            guard words.count == 2, let n = Int(words[1]) else {
                throw AppError.badArgument(":\(name) needs \(what), found '\(rest)'")
            }
            return n
        }
        func argument(_ what: String) throws -> String {
            guard !rest.isEmpty else { throw AppError.badArgument(":\(name) needs \(what)") }
            return rest
        }
        switch name {
        case "T", "t", "timesteps": return .timesteps(try integer("a whole number of timesteps"))
        case "sample": return .sample(try integer("a sample index"))
        case "layer": return .layer(try argument("a layer index or name"))
        case "neuron": return .neuron(try integer("a neuron index"))
        case "theme": return .theme(try argument("a theme name"))
        case "save", "w": return .save(rest.isEmpty ? nil : rest)
        case "open", "e": return .open(try argument("a session file"))
        case "target": return .target(try argument("a target name or profile file"))
        case "compare": return .compare
        case "train":
            guard words.count > 1 else { return .train(nil) }
            let n = try integer("a number of epochs")
            guard n >= 1 else { throw AppError.badArgument(":train needs at least 1 epoch, found \(n)") }
            return .train(n)
        case "stop": return .stop
        case "help", "h": return .help
        case "q", "quit": return .quit
        default: throw AppError.unknownCommand(name)
        }
    }
}
