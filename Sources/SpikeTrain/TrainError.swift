import SpikeCore
// Errors of the trainer; one place words them.
import SpikeData

/// What can go wrong configuring or running training; `description` is the message printed.
public enum TrainError: Error, Equatable, CustomStringConvertible {
    /// A loss name that `Loss.parse` does not know.
    case unknownLoss(name: String, known: [String])
    /// A configuration value out of range: the field, what it must be, what was found.
    case badValue(field: String, expected: String, found: String)
    /// The dataset does not fit the model (wraps SpikeData's message).
    case data(DataError)
    /// The model cannot be trained as described (no layer, wrong output count, ...).
    case model(String)
    /// The loss became NaN or infinite at a step; names the last good checkpoint, if any.
    case nonFiniteLoss(epoch: Int, batch: Int, step: Int, lastCheckpoint: String?)
    /// A checkpoint or optimizer-state file does not match this trainer.
    case badCheckpoint(file: String, reason: String)

    /// The message printed to the user.
    public var description: String {
        switch self {
        case let .unknownLoss(name, known):
            return "loss: unknown name '\(name)', expected one of \(known.joined(separator: ", "))"
        case let .badValue(field, expected, found):
            return "\(field): must be \(expected), found '\(found)'"
        case let .data(error):
            return error.description
        case let .model(reason):
            return "model: \(reason)"
        case let .nonFiniteLoss(epoch, batch, step, last):
            return "loss is not finite at epoch \(epoch + 1), batch \(batch + 1) (optimizer step \(step)); "
                + (last.map { "last good checkpoint: \($0)" } ?? "no checkpoint was written yet")
        case let .badCheckpoint(file, reason):
            return "\(file): cannot resume: \(reason)"
        }
    }
}

extension TrainError: UserInputError {}
