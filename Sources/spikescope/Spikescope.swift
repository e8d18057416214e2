import ArgumentParser
import Foundation
import SpikeCore
import SpikeData
import SpikeSession
import SpikeTrain

/// The root command: subcommands for the workbench and the headless jobs.
struct Spikescope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spikescope",
        abstract: "An interactive terminal workbench for spiking neural networks.",
        discussion: """
            Exit codes: 0 ok, 2 usage or bad input (the message names the file, field or limit), 1 internal error.
            Sessions are TOML files (see sessions/); weights are safetensors files.
            """,
        version: "spikescope 0.4.0",
        subcommands: [Tui.self, Run.self, Info.self, Train.self, Eval.self, Learn.self, Map.self, DataCommand.self, Import.self, Export.self,
                      Bench.self, NIRRead.self],
        defaultSubcommand: Tui.self)
}

/// Options shared by the commands that open a session.
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: "Session file (TOML). Default: sessions/digits.toml.")
    var session: String?

    /// The session path given, or the default session found beside the working folder or the executable.
    func resolvedPath() -> String {
        if let session { return session }
        return defaultSessionPath()
    }
}

/// sessions/digits.toml in the working folder, else in the repository the executable was built in.
func defaultSessionPath() -> String {
    let rel = "sessions/digits.toml"
    if FileManager.default.fileExists(atPath: rel) { return rel }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        let candidate = dir.appendingPathComponent(rel).path
        if FileManager.default.fileExists(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return rel
}

/// Errors caused by the user's input (files, fields, values): exit code 2.
func isInputError(_ error: Error) -> Bool { error is any UserInputError }

/// A bad command-line value found after parsing.
struct InputError: UserInputError {
    /// The message printed to the user.
    let description: String
}

@main
enum Main {
    static func main() {
        do {
            var command = try Spikescope.parseAsRoot()
            try command.run()
        } catch let error where isInputError(error) {
            FileHandle.standardError.write(Data("spikescope: error: \(error)\n".utf8))
            exit(2)
        } catch {
            let code = Spikescope.exitCode(for: error)
            if code == .success {
                print(Spikescope.fullMessage(for: error))
                exit(0)
            }
            FileHandle.standardError.write(Data((Spikescope.fullMessage(for: error) + "\n").utf8))
            if code == .validationFailure { exit(2) }   // usage errors: 2, not sysexits' 64
            if let e = error as? ExitCode { exit(e.rawValue) }
            exit(1)
        }
    }
}
