import SpikeTerm
import ArgumentParser
import Foundation
import SpikeHardware
import SpikeSession
import SpikeUI

/// `spikescope tui` (the default): the interactive workbench in the terminal.
struct Tui: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the interactive workbench (the default command).",
        discussion: "Keys: press ? in the workbench. Needs a terminal; for batch output use `spikescope run`.")

    @OptionGroup var options: SessionOptions
    @Option(help: "Theme: dark, light, high-contrast, colorblind, or themes/NAME.toml (default: the session's).")
    var theme: String?
    @Flag(help: "Draw with ASCII characters only.") var ascii = false
    @Option(help: "Exit after this many frames (for scripted tests).") var frames: Int?
    @Option(help: "Step length in seconds for a NIR graph given as --session FILE.nir (default: read from the graph).")
    var dt: Double?

    func run() throws {
        if let frames, frames < 1 { throw InputError(description: "--frames must be at least 1, found \(frames)") }
        let path = options.resolvedPath()
        // A NIR graph opens as the session `spikescope import` would write, in a temporary folder
        // (`:w NAME` saves it where the user wants).
        let session = path.hasSuffix(".nir") ? try Import.session(fromNIR: path, dt: dt, timesteps: 10).session : try Session.load(path: path)
        let workspace = try Workspace(session: session)
        var loop = AppLoop(maxFrames: frames, themeFolders: themeFolders(sessionPath: path))
        loop.openSession = { [dt] p in p.hasSuffix(".nir") ? try Import.session(fromNIR: p, dt: dt, timesteps: 10).session : try Session.load(path: p) }
        let base = try loop.loadThemeOrInputError(theme ?? workspace.session.view.theme)
        let target = try Target.load(workspace.session.hardware.target)
        let terminal: NCursesTerminal
        do {
            terminal = try NCursesTerminal()
        } catch let error as TerminalError {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            Foundation.exit(2)
        }
        NCursesTerminal.restoreTerminalOnCrash()
        defer { terminal.restore() }
        let noColor = Theme.noColorRequested(ProcessInfo.processInfo.environment)
        var state = try AppState(workspace: workspace, theme: base,
                                 glyphs: ascii || !terminal.localeIsUTF8 ? .ascii : .unicode,
                                 size: terminal.size, colours: terminal.colours, noColor: noColor, target: target)
        state.setTheme(base)
        loop.frameIntervalMs = 33
        loop.run(&state, terminal: terminal)
        // Background work (accuracy by T, a training run) may still be inside OpenBLAS: a normal
        // exit would run library destructors under it (a crash seen at exit in release builds).
        // Give the terminal back, flush, and leave without running them.
        terminal.restore()
        fflush(stdout)
        _exit(0)
    }

    /// themes/ in the working folder, beside the session's folder, and in the repository the
    /// executable was built in.
    private func themeFolders(sessionPath: String) -> [String] {
        var folders = ["themes"]
        let sessionDir = URL(fileURLWithPath: sessionPath).deletingLastPathComponent()
        folders.append(sessionDir.deletingLastPathComponent().appendingPathComponent("themes").path)
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(dir.appendingPathComponent("themes").path)
            dir = dir.deletingLastPathComponent()
        }
        return folders
    }
}

extension AppLoop {
    /// `loadTheme`, with an unknown theme reported as an input error (exit 2).
    func loadThemeOrInputError(_ name: String) throws -> Theme {
        do { return try loadTheme(name) } catch let error as AppError {
            throw InputError(description: "--theme: \(error)")
        }
    }
}
