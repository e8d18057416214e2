// End-to-end tests of the workbench: the built binary inside tmux (120x40, TERM=xterm-256color,
// LANG=C.UTF-8), driven by send-keys and read by capture-pane. Each test uses its own tmux
// server (-L) and always kills it. Skipped when tmux is not installed.

import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The repository root (Tests/TUITests/TUITests.swift is three levels down).
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// tmux on the PATH, or nil.
private let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

private struct TUIError: Error, CustomStringConvertible { let description: String }

/// The built `spikescope` beside the test bundle.
private func binary() throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("spikescope").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw TUIError(description: "spikescope binary not found near \(CommandLine.arguments[0])")
}

/// Arguments that open the digits session: none (the default session) once its trained weights
/// exist, else a copy without the weights line (seeded untrained weights) in `dir`.
private func digitsArguments(dir: String) throws -> [String] {
    if FileManager.default.fileExists(atPath: repoRoot + "/sessions/digits.safetensors") { return [] }
    let text = try String(contentsOfFile: repoRoot + "/sessions/digits.toml", encoding: .utf8)
    let copy = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("weights =") }.joined(separator: "\n")
    let path = dir + "/digits.toml"
    try copy.write(toFile: path, atomically: true, encoding: .utf8)
    return ["--session", path]
}

/// Runs a program to completion with a clean signal state (empty mask, default handlers:
/// a tmux server inherits them, and the test runner's threads block most signals); stdin is
/// /dev/null, stdout and stderr go to a file that is returned as `out` when `capture` is true.
@discardableResult
private func run(_ path: String, _ arguments: [String], capture: Bool = true) throws -> (code: Int32, out: String) {
    let outPath = capture ? NSTemporaryDirectory() + "spikescope-tui-out-\(getpid())-\(UInt64.random(in: 0...UInt64.max))" : "/dev/null"
    defer { if capture { unlink(outPath) } }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
    guard rc == 0 else { throw TUIError(description: "cannot start \(path): error \(rc)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let out = capture ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    return (code, out)
}

/// One tmux server with one window running the workbench.
private final class TmuxSession {
    let socket: String
    let dir: String
    let tmux: String

    /// Starts `spikescope ARGS` in a detached window of the given size; the shell prints
    /// EXIT=<code> when it ends and then waits, so the exit code can be read from the pane.
    init(arguments: [String], width: Int = 120, height: Int = 40, tag: String, environment: [String] = []) throws {
        guard let tmux = tmuxPath else { throw TUIError(description: "no tmux") }
        self.tmux = tmux
        socket = "spikescope-test-\(tag)-\(getpid())"
        dir = NSTemporaryDirectory() + socket
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let args = try digitsArguments(dir: dir) + arguments
        let command = (environment.isEmpty ? "" : "env " + environment.map { "'\($0)'" }.joined(separator: " ") + " ")
            + ([try binary()] + args).map { "'\($0)'" }.joined(separator: " ")
        // run.sh records its pid and becomes the workbench, so signals can be sent to it.
        try "cd '\(repoRoot)' || exit 99\necho $$ > '\(dir)/pid'\nexec \(command)\n"
            .write(toFile: dir + "/run.sh", atomically: true, encoding: .utf8)
        let shell = "sh '\(dir)/run.sh'; echo EXIT=$?; sleep 60"
        try run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                       "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "-e", "TERM=xterm-256color",
                       "-e", "NO_COLOR=", "sh", "-c", shell], capture: false)
    }

    /// Always kills the server and removes the folder and the socket file (tmux leaves it).
    func close() {
        _ = try? run(tmux, ["-L", socket, "kill-server"], capture: false)
        try? FileManager.default.removeItem(atPath: dir)
        let socketDir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(socketDir)/tmux-\(getuid())/\(socket)")
    }

    /// Sends tmux key names (e.g. "n", "Space", "Right").
    func send(_ keys: String...) throws { try run(tmux, ["-L", socket, "send-keys"] + keys, capture: false) }

    /// The visible pane text.
    func capture() throws -> String { try run(tmux, ["-L", socket, "capture-pane", "-p"]).out }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        try run(tmux, ["-L", socket, "resize-window", "-x", "\(width)", "-y", "\(height)"], capture: false)
    }

    /// Polls the pane until `condition` holds (10 s at most); returns the last capture.
    @discardableResult
    func waitFor(_ what: String, _ condition: (String) -> Bool) throws -> String {
        var text = ""
        for _ in 0..<100 {
            text = try capture()
            if condition(text) { return text }
            usleep(100_000)
        }
        throw TUIError(description: "timed out waiting for \(what); the pane shows:\n\(text)")
    }
}

/// True when `text` has a braille cell (U+2800...U+28FF) on one of `rows`, columns 1...70.
private func hasBraille(_ text: String, rows: Range<Int>) -> Bool {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return rows.contains { y in
        y < lines.count && lines[y].unicodeScalars.dropFirst().prefix(70).contains { (0x2800...0x28FF).contains($0.value) }
    }
}

@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func workbenchStepsResizesAndQuitsRestoringTheTerminal() throws {
    let tmux = try TmuxSession(arguments: [], tag: "main")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/4 ") && $0.contains("Raster hidden") }
    for _ in 0..<5 { try tmux.send("n") }
    let text = try tmux.waitFor("the end of the presentation") { $0.contains(" t 4/4 ") && $0.contains("end of the presentation") }
    #expect(hasBraille(text, rows: 1..<21), "no braille in the raster:\n\(text)")
    #expect(text.contains("Membrane hidden"))
    #expect(text.contains("answer: "))
    try tmux.send("Left")
    try tmux.waitFor("step back") { $0.contains(" t 3/4 ") }
    try tmux.resize(width: 80, height: 24)
    let small = try tmux.waitFor("80x24") { text in
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count >= 24 && lines[23].hasPrefix(" t 3/4 ") && lines[0].hasPrefix("┏Raster")
    }
    #expect(!small.contains("too small"))
    try tmux.resize(width: 50, height: 12)
    try tmux.waitFor("the too-small message") { $0.contains("Terminal too small (50x12).") }
    try tmux.resize(width: 120, height: 40)
    try tmux.waitFor("120x40 again") { text in
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count >= 40 && lines[39].hasPrefix(" t 3/4 ") && hasBraille(text, rows: 1..<21)
    }
    try tmux.send("q")
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=0"))
    #expect(!after.contains("Raster"), "the workbench is still on screen:\n\(after)")   // alternate screen left
}

@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func compareModeShowsTOneAndTN() throws {
    let tmux = try TmuxSession(arguments: [], tag: "compare")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/4 ") }
    try tmux.send("c")
    // every part of the compare view in one frame (a loaded machine may draw them a frame apart)
    let text = try tmux.waitFor("compare mode") {
        $0.contains("T=1: ") && $0.contains("T=4: ") && $0.contains("Outputs · compare T=1 vs T=4") && $0.contains("KL ")
    }
    #expect(text.contains("Outputs · compare T=1 vs T=4") && text.contains("KL "))
    try tmux.send(":", "T", " ", "8", "Enter")
    try tmux.waitFor("T=8") { $0.contains("T=8: ") && $0.contains(" t 0/8 ") }
    try tmux.send(":", "l", "a", "y", "e", "r", " ", "x", "Enter")
    try tmux.waitFor("an error in the status line") { $0.contains("no neuron layer 'x' (layers: hidden)") }
    try tmux.send("q")
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}

@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func asciiAndFramesOptionsWork() throws {
    let tmux = try TmuxSession(arguments: ["--ascii", "--frames", "3"], tag: "ascii")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/4 | ") }
    try tmux.send("n")
    let text = try tmux.waitFor("step 1") { $0.contains(" t 1/4 | ") }
    let allASCII = text.unicodeScalars.allSatisfy { $0.isASCII }
    #expect(allASCII)
    try tmux.send("n")   // the third frame: --frames 3 exits
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}

@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func sigtermRestoresTheTerminalAndExits143() throws {
    let tmux = try TmuxSession(arguments: [], tag: "term")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/4 ") }
    let pidText = try String(contentsOfFile: tmux.dir + "/pid", encoding: .utf8)
    guard let pid = Int32(pidText.filter(\.isNumber)) else { Issue.record("no pid in '\(pidText)'"); return }
    kill(pid, SIGTERM)
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=143"))
    #expect(!after.contains("Raster"))
}

@Test func withoutATerminalTheWorkbenchExitsTwoPointingToRun() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try binary())
    p.arguments = ["--session", "sessions/lif-neuron.toml"]
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    p.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    _ = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 2)
    #expect(String(decoding: e, as: UTF8.self)
            == "spikescope: stdin is not a terminal; the TUI needs one (use `spikescope run` for batch output)\n")
}

@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func trainingViewTrainsLiveAndStops() throws {
    let tmux = try TmuxSession(arguments: [], tag: "train")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/4 ") }
    try tmux.send("T")
    let live = try tmux.waitFor("training progress") { $0.contains("┏Training") && $0.contains("samples/s") && $0.contains("loss per batch") }
    #expect(live.contains("digits · T=4 · batch 32"))
    try tmux.send("x")
    let done = try tmux.waitFor("the stopped run") { $0.contains("training stopped after") }
    #expect(done.contains("trained (unsaved)"))
    try tmux.send("Escape")
    try tmux.waitFor("the raster again") { $0.contains("Raster hidden") }
    // Quitting with trained, unsaved weights asks first; any key but y stays.
    try tmux.send("q")
    try tmux.waitFor("the quit question") { $0.contains("quit without saving the trained weights?") }
    try tmux.send("n")
    try tmux.waitFor("the cancel") { $0.contains("cancelled") }
    // Ctrl-C (SIGINT, sent to the workbench alone: tmux's C-c would also stop the test's shell)
    // asks too, and a second one quits.
    let pidText = try String(contentsOfFile: tmux.dir + "/pid", encoding: .utf8)
    let pid = try #require(Int32(pidText.filter(\.isNumber)))
    kill(pid, SIGINT)
    try tmux.waitFor("the quit question again") { $0.contains("quit without saving the trained weights?") }
    kill(pid, SIGINT)
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}

/// The chip panel in a real terminal: the hardware pane maps the default session onto Loihi,
/// follows the steps, switches metric and placement with its own keys, remaps with :target,
/// and fills the screen with z.
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func hardwarePanelMapsStepsAndRemapsUnderTmux() throws {
    let tmux = try TmuxSession(arguments: [], tag: "chip")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains("Hardware · loihi · 2/128 cores · sequential") }
    try tmux.send("n"); try tmux.send("n")
    try tmux.waitFor("step 2 traffic") { $0.contains("t 2  ") && $0.contains(" spk ") }
    for _ in 0..<4 { try tmux.send("Tab") }                       // focus the hardware pane
    try tmux.send("z")
    try tmux.waitFor("the zoomed pane") { text in
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.first?.hasPrefix("┏Hardware · loihi") == true
    }
    try tmux.send("m")
    try tmux.waitFor("the spikes metric") { $0.contains("spikes this step") }
    try tmux.send("p")
    try tmux.waitFor("traffic-aware placement") { $0.contains("cores · traffic") }
    for key in [":", "t", "a", "r", "g", "e", "t", "Space", "t", "r", "u", "e", "n", "o", "r", "t", "h", "Enter"] { try tmux.send(key) }
    try tmux.waitFor("the remap") { $0.contains("Hardware · truenorth · 2/4,096 cores") }
    try tmux.send("q")
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=0"))
}

/// A TERM the workbench cannot draw on gets a clear message and exit 2 (ncurses' initscr would
/// print its own error and exit 1).
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)), arguments: ["dumb", "no-such-terminal"])
func anUnusableTermExitsTwoWithAClearMessage(term: String) throws {
    let tmux = try TmuxSession(arguments: [], tag: "term-\(term)", environment: ["TERM=\(term)"])
    defer { tmux.close() }
    let text = try tmux.waitFor("the exit") { $0.contains("EXIT=") }
    #expect(text.contains("EXIT=2"), "\(text)")
    #expect(text.contains("TERM='\(term)' cannot show the workbench"), "\(text)")
}

/// The teacher's checks in a real terminal: the LIF lesson shows u at or above θ at its spike.
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func theLIFLessonShowsTheCrossingUnderTmux() throws {
    let tmux = try TmuxSession(arguments: ["--session", "sessions/lif-neuron.toml"], tag: "lif")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/100 ") }
    for _ in 0..<20 { try tmux.send("n") }                       // the neuron spikes at step 20
    let text = try tmux.waitFor("step 20") { $0.contains(" t 20/100 ") }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let title = try #require(lines.firstIndex { $0.contains("Membrane neuron · θ=1") })
    // Legend, marker row, then the plot's top row whose label is the largest u shown.
    let top = lines[title + 3].dropFirst().split(separator: "┤").first.map { $0.trimmingCharacters(in: .whitespaces) }
    #expect((top.flatMap { Float($0) } ?? 0) >= 1, "top label \(top ?? "-"):\n\(text)")
    #expect(lines[title + 2].contains("●"), "no spike marker:\n\(text)")
    try tmux.send("q")
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}

/// At 80x24: compare mode lists all ten classes, help says how to quit, `s` on a shipped session
/// asks and "no" leaves the file as it was.
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func at80x24CompareHelpAndSaveBehaveUnderTmux() throws {
    let session = repoRoot + "/sessions/tour.toml"
    let before = try String(contentsOfFile: session, encoding: .utf8)
    let tmux = try TmuxSession(arguments: ["--session", "sessions/tour.toml"], width: 80, height: 24, tag: "small")
    defer { tmux.close() }
    try tmux.waitFor("the first frame") { $0.contains(" t 0/8 ") }
    try tmux.send("c")
    let compare = try tmux.waitFor("compare mode") { $0.contains("Outputs · compare") }
    for c in 0..<10 {
        #expect(compare.contains("│ \(c) ") || compare.contains("│▸\(c) "), "class \(c) missing:\n\(compare)")
    }
    try tmux.send("?")
    try tmux.waitFor("help with quit") { $0.contains("Help · Esc or ? closes") && $0.contains("q quits") }
    try tmux.send("Escape")
    try tmux.send("s")
    try tmux.waitFor("the save question") { $0.contains("save over ") && $0.contains("tour.toml?") }
    try tmux.send("n")
    try tmux.waitFor("cancelled") { $0.contains("cancelled") }
    #expect(try String(contentsOfFile: session, encoding: .utf8) == before)
    try tmux.send("q")
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}

/// The terminal modes tmux holds for the pane: alternate screen, cursor visible, keypad (both
/// kinds), mouse reporting (any, button, standard, SGR). A shell prompt has "0 1 0 0 0 0 0 0".
private func paneModes(_ tmux: TmuxSession) throws -> String {
    try run(tmux.tmux, ["-L", tmux.socket, "display-message", "-p",
                        "#{alternate_on} #{cursor_flag} #{keypad_flag} #{keypad_cursor_flag} #{mouse_any_flag} "
                            + "#{mouse_button_flag} #{mouse_standard_flag} #{mouse_sgr_flag}"]).out
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Terminal hygiene, repeated (issue 20): in each of three states (stepping with the clock
/// running, training live, the help overlay), a resize storm and then, at a random moment,
/// SIGINT, SIGTERM or a crash signal (SIGSEGV, SIGABRT). Every round must leave the pane as a
/// shell left it: the alternate screen off, the cursor visible, keypad and mouse reporting off,
/// and no workbench text on screen; the exit code says how it ended (0 after Ctrl-C, which
/// quits, asking first while training runs; 143 for SIGTERM; 128 + the signal for a crash).
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(6)))
func everySignalInEveryStateRestoresTheTerminal() throws {
    let states: [(key: String, shows: String)] = [(" ", "running"), ("T", "samples/s"), ("?", "Help · Esc or ? closes")]
    let signals: [(Int32, String)] = [(SIGINT, "EXIT=0"), (SIGTERM, "EXIT=143"), (SIGSEGV, "EXIT=139"), (SIGABRT, "EXIT=134")]
    var rng = SystemRandomNumberGenerator()
    var rounds = 0
    for repeatIndex in 0..<3 {
        for (s, state) in states.enumerated() {
            for (signal, exit) in signals {
                let tmux = try TmuxSession(arguments: [], width: 100, height: 30, tag: "hygiene-\(repeatIndex)-\(s)-\(signal)")
                defer { tmux.close() }
                try tmux.waitFor("the first frame") { $0.contains(" t 0/4 ") }
                let before = try paneModes(tmux)
                #expect(before.hasPrefix("1 0"), "the workbench should own the screen with the cursor hidden: \(before)")
                try tmux.send(state.key)
                try tmux.waitFor("state '\(state.shows)'") { $0.contains(state.shows) }
                // A resize storm: sizes from too small to large, without waiting between them.
                for _ in 0..<8 {
                    try tmux.resize(width: Int.random(in: 30...160, using: &rng), height: Int.random(in: 8...50, using: &rng))
                }
                usleep(UInt32.random(in: 0...300_000, using: &rng))
                let pid = try #require(Int32(try String(contentsOfFile: tmux.dir + "/pid", encoding: .utf8).filter(\.isNumber)))
                kill(pid, signal)
                var after = try tmux.waitFor("the exit or the quit question") {
                    $0.contains("EXIT=") || $0.contains("quit without saving")
                }
                if !after.contains("EXIT="), signal == SIGINT {
                    // Ctrl-C while training asks first; a second one quits.
                    kill(pid, SIGINT)
                    after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
                }
                let label = "state '\(state.shows)', signal \(signal), round \(repeatIndex)"
                #expect(after.contains(exit), "\(label): \(after)")
                #expect(try paneModes(tmux) == "0 1 0 0 0 0 0 0", "\(label): the terminal modes were not restored")
                #expect(!after.contains("Raster") && !after.contains("Help ·") && !after.contains("samples/s"),
                        "\(label): the workbench is still on screen:\n\(after)")
                rounds += 1
            }
        }
    }
    #expect(rounds == 36)
}

/// `spikescope --session FILE.nir` opens a NIR graph straight in the workbench (issue 18): the
/// digits model exported as NIR steps like the session it came from.
@Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
func aNIRGraphOpensInTheWorkbench() throws {
    let dir = NSTemporaryDirectory() + "spikescope-tui-nir-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let exported = try run(try binary(), ["export", "--session", repoRoot + "/sessions/digits.toml", "--out", dir + "/digits.nir"])
    #expect(exported.code == 0, "\(exported.out)")
    let tmux = try TmuxSession(arguments: ["--session", dir + "/digits.nir"], tag: "nir")
    defer { tmux.close() }
    let first = try tmux.waitFor("the first frame") { $0.contains(" t 0/10 ") }
    #expect(first.contains("Raster hidden"), "\(first)")
    try tmux.send("n")
    try tmux.waitFor("a step") { $0.contains(" t 1/10 ") }
    // `:open` takes a NIR graph too
    try tmux.send(":")
    try tmux.send("-l", "open \(dir)/digits.nir")
    try tmux.send("Enter")
    try tmux.waitFor("the graph opened again") { $0.contains("opened \(dir)/digits.nir") && $0.contains(" t 0/10 ") }
    try tmux.send("q")
    #expect(try tmux.waitFor("exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
}
