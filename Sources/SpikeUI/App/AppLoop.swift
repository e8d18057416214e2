import SpikeTerm
import SpikeTrain
import SpikeCore
import SpikeHardware
import SpikeSession

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The workbench's event loop: the only place that waits, draws and does file I/O.
///
/// Each turn: draw when something changed and the last frame is at least `frameIntervalMs` old
/// (frames are capped apart from steps), then block in `readKey` until a key or the next step
/// is due (paused: up to 1 s, no busy polling), apply the key, and take the steps that are due.
public struct AppLoop {
    /// Shortest time between two frames (33 ms: about 30 frames per second).
    public var frameIntervalMs = 33
    /// Stop after this many frames (for scripted tests); nil runs until quit.
    public var maxFrames: Int?
    /// Folders searched for themes/NAME.toml, first first.
    public var themeFolders: [String]
    /// Computes accuracy by T in the background after opening and after training.
    public var evaluatesAccuracy = true
    /// Reads the session `:open PATH` names (the executable adds NIR graphs, read in a child process).
    public var openSession: (String) throws -> Session = { try Session.load(path: $0) }

    /// Creates a loop.
    public init(maxFrames: Int? = nil, themeFolders: [String] = ["themes"]) {
        (self.maxFrames, self.themeFolders) = (maxFrames, themeFolders)
    }

    /// Runs until `q` (or `maxFrames`); returns the number of frames drawn.
    @discardableResult
    public func run(_ state: inout AppState, terminal: Terminal) -> Int {
        var frames = 0
        var buffer = Buffer(width: 0, height: 0)
        var dirty = true
        var lastFrame = -1_000_000
        var nextStep = now()
        while true {
            // Background work is read once per turn, between frames: snapshots, new weights.
            if state.pollBackground() { dirty = true }
            if evaluatesAccuracy { state.startAccuracyIfNeeded() }
            let t = now()
            if dirty && (t - lastFrame >= frameIntervalMs || !state.running) {
                let size = terminal.size
                state.size = size
                if buffer.width != size.width || buffer.height != size.height {
                    buffer.resize(width: size.width, height: size.height)
                }
                view(state, into: &buffer)
                terminal.draw(buffer)
                frames += 1
                lastFrame = t
                dirty = false
                if let maxFrames, frames >= maxFrames { return frames }
            }
            var timeout = state.inputTimeoutMs
            if state.running { timeout = max(0, nextStep - now()) }
            if dirty { timeout = min(timeout, max(0, lastFrame + frameIntervalMs - now())) }
            if let key = terminal.readKey(timeoutMs: timeout) {
                if key == .resize { state.size = terminal.size }
                let wasRunning = state.running
                let effect = state.handle(key)
                if state.running && !wasRunning { nextStep = now() }
                switch effect {
                case .none: break
                case .quit: return frames
                default:
                    perform(effect, on: &state)
                    dirty = true
                }
            }
            if state.running && now() >= nextStep {
                state.tick()
                nextStep += max(1, 1000 / state.speed)
                if now() - nextStep > 1000 { nextStep = now() }   // fell behind: do not catch up
                dirty = true
            }
        }
    }

    /// Does the file work an effect asks for and reports it in the status line.
    public func perform(_ effect: Effect, on state: inout AppState) {
        switch effect {
        case let .save(session, path):
            do {
                try session.save(to: path)
                state.message = StatusMessage("saved \(path)")
            } catch {
                state.message = StatusMessage("\(error)", isError: true)
            }
        case .open(let path):
            do {
                let ws = try Workspace(session: try openSession(path))
                try state.replace(workspace: ws)
                state.message = StatusMessage("opened \(path)")
            } catch {
                state.message = StatusMessage("\(error)", isError: true)
            }
        case .loadTheme(let name):
            do {
                state.setTheme(try loadTheme(name))
                state.message = StatusMessage("theme \(state.theme.name)")
            } catch {
                state.message = StatusMessage("\(error)", isError: true)
            }
        case .loadTarget(let name):
            do {
                state.setTarget(try Target.load(name), name: name)
                state.message = StatusMessage(state.hardware.mapping != nil
                    ? "mapped onto \(state.hardware.target?.name ?? name): \(state.hardware.mapping?.cores.count ?? 0) cores"
                    : state.hardware.problem ?? "", isError: state.hardware.mapping == nil)
            } catch {
                state.message = StatusMessage("\(error)", isError: true)
            }
        case .train(let epochs):
            state.startTraining(epochs: epochs)
        case let .saveWeights(session, path, weights):
            do {
                let net = state.workspace.network
                try Safetensors.write(net.tensors(), metadata: [
                    "format": "spikescope-weights", "T": "\(session.timesteps)",
                    "layers": net.spec.layers.map(\.name).joined(separator: ","),
                ], to: weights)
                let absolute = absolutePath(weights)
                var s = session
                s.weights = absolute
                try s.save(to: path)
                state.weightsSaved(to: absolute)
                state.message = StatusMessage("saved \(path) and \(weights)")
            } catch {
                state.message = StatusMessage("\(error)", isError: true)
            }
        case .none, .redraw, .quit:
            break
        }
    }

    /// A built-in theme, a theme file path (ending in .toml), or NAME.toml in `themeFolders`.
    public func loadTheme(_ name: String) throws -> Theme {
        if let t = Theme.builtin(named: name) { return t }
        if name.hasSuffix(".toml") { return Theme(try ThemeFile.load(path: name)) }
        for folder in themeFolders {
            let path = folder + "/" + name + ".toml"
            if access(path, R_OK) == 0 { return Theme(try ThemeFile.load(path: path)) }
        }
        let known = Theme.builtins.map(\.name).joined(separator: ", ")
        throw AppError.badArgument("no theme '\(name)' (built-in: \(known); or themes/\(name).toml)")
    }

    /// Milliseconds on a monotonic clock.
    private func now() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}
