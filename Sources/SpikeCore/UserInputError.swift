/// The marker of errors caused by what a user gave: a file, a field, a value, a limit. Every
/// module's error type for such input adopts it, and the command line maps it to exit code 2
/// (other errors exit 1). Its `description` is the message printed, naming the file, field or
/// limit and what was expected.
public protocol UserInputError: Error, CustomStringConvertible {}

extension ModelError: UserInputError {}
extension SafetensorsError: UserInputError {}
