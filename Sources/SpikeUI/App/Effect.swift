// What a key asks of the loop, what the status line says, and the errors of `:` commands.

import SpikeCore
import SpikeSession
import SpikeTerm
import SpikeTrain

/// What the loop must do after a key changed the state.
public enum Effect: Equatable, Sendable {
    /// Nothing changed on screen.
    case none
    /// Draw a new frame.
    case redraw
    /// Leave the workbench.
    case quit
    /// Write `session` to `path` (Session.save), then report in the status line.
    case save(Session, path: String)
    /// Open the session file at `path` and replace the workspace.
    case open(path: String)
    /// Read themes/NAME.toml (or the path NAME) and switch to it.
    case loadTheme(name: String)
    /// Load the target profile `name` (a shipped name or a file) and remap onto it.
    case loadTarget(name: String)
    /// Start training in the background (`epochs` nil: the default for the session's data).
    case train(epochs: Int?)
    /// Write the network's weights to `weights` (safetensors), then `session` (pointing at
    /// them) to `path`.
    case saveWeights(Session, path: String, weights: String)
}

/// A question the workbench asks before doing something that cannot be undone: `y` does it,
/// any other key cancels.
public struct Confirmation: Equatable, Sendable {
    /// The question shown in the message line.
    public let question: String
    /// What `y` does.
    public let onYes: Effect
    /// Creates a question.
    public init(_ question: String, onYes: Effect) { (self.question, self.onYes) = (question, onYes) }
}

/// A line for the status area: information or an error.
public struct StatusMessage: Equatable, Sendable {
    /// The text.
    public var text: String
    /// True for errors (drawn in the warning style).
    public var isError: Bool
    /// Creates a message.
    public init(_ text: String, isError: Bool = false) { (self.text, self.isError) = (text, isError) }
}

/// Errors of the workbench's commands; shown in the status line, never fatal.
public enum AppError: Error, Equatable, CustomStringConvertible {
    /// A command or argument that cannot be used.
    case badArgument(String)
    /// An unknown `:` command.
    case unknownCommand(String)

    /// Every `:` command, as the unknown-command message and the help list them.
    public static let commands = ":T N (or :T8), :sample N, :layer N|NAME, :neuron N, :theme NAME, :target NAME|FILE, "
        + ":save [NAME] (:w), :open FILE (:e), :compare, :train [EPOCHS], :stop, :help, :q"

    /// The message shown.
    public var description: String {
        switch self {
        case .badArgument(let m): m
        case .unknownCommand(let c): "unknown command ':\(c)'; commands: " + AppError.commands
        }
    }
}

extension AppError: UserInputError {}
