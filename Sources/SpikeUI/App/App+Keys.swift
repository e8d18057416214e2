import Foundation
import SpikeTerm
import SpikeTrain
/// One row of the help overlay: the keys and what they do.
public struct KeyHelp: Equatable, Sendable {
    /// Keys as shown.
    public var keys: String
    /// What they do.
    public var action: String
}

extension AppState {
    /// Every key of the workbench, as the help overlay lists them.
    public static let keyHelp: [KeyHelp] = [
        KeyHelp(keys: "space", action: "run / pause"),
        KeyHelp(keys: "n  →", action: "one step forward (recorded steps first)"),
        KeyHelp(keys: "b  ←", action: "one step back (recorded history)"),
        KeyHelp(keys: "r", action: "reset to step 0"),
        KeyHelp(keys: "a", action: "run through the samples / stop at the end of each (learning sessions)"),
        KeyHelp(keys: "+  -", action: "run faster / slower"),
        KeyHelp(keys: "[  ]", action: "previous / next sample"),
        KeyHelp(keys: "j k  ↓ ↑", action: "select neuron"),
        KeyHelp(keys: "J K  PgDn PgUp", action: "select layer"),
        KeyHelp(keys: "Tab  S-Tab", action: "focus next / previous pane"),
        KeyHelp(keys: "c", action: "compare T=1 with T=N (and their cost on the chip)"),
        KeyHelp(keys: "v", action: "rate (soft-LIF) model: run it as spikes / as rates (rates vs spikes)"),
        KeyHelp(keys: "z", action: "zoom the focused pane to the whole screen / back"),
        KeyHelp(keys: "m  p", action: "hardware pane focused: colour by / placement"),
        KeyHelp(keys: "t", action: "set T (prompt)"),
        KeyHelp(keys: "T", action: "training view (trains on first use; stops a run)"),
        KeyHelp(keys: "x", action: "stop training (the weights so far are used)"),
        KeyHelp(keys: "Esc", action: "close the training view (training goes on)"),
        KeyHelp(keys: "s", action: "save the session (asks before it overwrites a file)"),
        KeyHelp(keys: ":", action: "command: T N, sample N, layer N, neuron N,"),
        KeyHelp(keys: "", action: "  theme NAME, target NAME|FILE, open FILE (:e), train [EPOCHS], stop,"),
        KeyHelp(keys: "", action: "  save [NAME] (:w; with trained weights also NAME.safetensors), q"),
        KeyHelp(keys: "click", action: "select a neuron in the raster"),
        KeyHelp(keys: "?", action: "this help (any key closes)"),
        KeyHelp(keys: "q", action: "quit"),
    ]

    /// What the status line says when `n` is pressed at the last step.
    static func endMessage(_ t: Int) -> String {
        "end of the presentation (T = \(t)): ] next sample, t sets T, r or space replays"
    }

    /// Applies one key; returns what the loop must do next. Never traps on any key.
    public mutating func handle(_ key: Key) -> Effect {
        if key == .resize { return .redraw }
        if let question = confirmation {
            confirmation = nil
            if key == .char("y") || key == .char("Y") { return question.onYes }
            if key == .ctrlC && question.onYes == .quit { return .quit }      // Ctrl-C twice quits
            message = StatusMessage("cancelled")
            return .redraw
        }
        if commandLine != nil { return handleCommandLine(key) }
        if showHelp, let effect = handleHelpKey(key) { return effect }
        message = nil
        if let effect = focus.view.key(key, &self) { return effect }
        switch key {
        case .char("q"), .ctrlC:
            if weightsUnsaved {
                ask("quit without saving the trained weights? y quits; any other key stays (:save NAME keeps them)", .quit)
                return .redraw
            }
            return .quit
        case .char("?"): setHelp(true)
        case .char(" "): toggleRunning()
        case .char("n"), .right:
            if !stepForward() { message = StatusMessage(AppState.endMessage(timesteps)) }
        case .char("b"), .left:
            if !stepBack() { message = StatusMessage(cursor == 0 ? "at step 0" : "older steps were not kept") }
        case .char("r"): reset()
        case .char("a"):
            throughSamples.toggle()
            message = StatusMessage(throughSamples ? "run through the samples: at the end of a presentation the next one starts"
                                    : "run stops at the end of a presentation")
        case .char("+"), .char("="): changeSpeed(by: 1)
        case .char("-"), .char("_"): changeSpeed(by: -1)
        case .char("["): report { try $0.setSample(($0.sample - 1 + $0.workspace.sampleCount) % $0.workspace.sampleCount) }
        case .char("]"): report { try $0.setSample(($0.sample + 1) % $0.workspace.sampleCount) }
        case .char("j"), .down: selectNeuron(neuron + 1)
        case .char("k"), .up: selectNeuron(neuron - 1)
        case .char("J"), .pageDown: cycleLayer(by: 1)
        case .char("K"), .pageUp: cycleLayer(by: -1)
        case .tab: cycleFocus(by: 1)
        case .backTab: cycleFocus(by: -1)
        case .char("c"):
            if workspace.network.classCount == nil {
                message = StatusMessage("compare needs a readout layer (its logits); this model has none")
            } else {
                setCompare(!compareMode)
            }
        case .char("v"):
            do { try setSpiking(!spikingMode) } catch {
                message = StatusMessage("v: spikes mode runs a rate network as spikes; this model has no soft-lif layer")
            }
        case .char("z"): zoomed.toggle()
        case .char("t"): setCommandLine("T ")
        case .char(":"): setCommandLine("")
        case .char("s"): return saveEffect(nil)
        case .char("T"): return trainingKey()
        case .char("x"):
            if !stopTraining() { message = StatusMessage("no training is running") }
        case .mouse(let x, let y): return click(x: x, y: y)
        case .escape: setTrainingView(false)
        default: return .none
        }
        return .redraw
    }

    /// Runs a `:` command; errors go to the status line.
    public mutating func execute(_ command: AppCommand) -> Effect {
        switch command {
        case .timesteps(let t): report { try $0.setTimesteps(t) }
        case .sample(let k): report { try $0.setSample(k) }
        case .layer(let name): report { try $0.setLayer(named: name) }
        case .neuron(let n):
            if n >= 0 && n < layerSize { selectNeuron(n) } else {
                message = StatusMessage("neuron must be from 0 to \(layerSize - 1), found \(n)", isError: true)
            }
        case .theme(let name):
            if let t = Theme.builtin(named: name) { setTheme(t) } else { return .loadTheme(name: name) }
        case .save(let name):
            if let name, weightsUnsaved {
                let effect = saveWeightsEffect(name)
                if FileManager.default.fileExists(atPath: savePath(name)) {
                    ask("save over \(savePath(name)) and its weights? y overwrites them, any other key cancels", effect)
                    return .redraw
                }
                return effect
            }
            return saveEffect(name)
        case .train(let epochs):
            if training.isActive {
                message = StatusMessage("training is already running (x stops it)", isError: true)
            } else {
                setTrainingView(true)
                return .train(epochs: epochs)
            }
        case .stop:
            if !stopTraining() { message = StatusMessage("no training is running") }
        case .open(let path): return .open(path: path)
        case .target(let name): return .loadTarget(name: name)
        case .compare: setCompare(!compareMode)
        case .help: setHelp(true)
        case .quit: return .quit
        }
        return .redraw
    }

    /// Where `:save NAME` writes: NAME as a path when it has a '/', else NAME.toml beside the
    /// session's file (or in sessions/); nil NAME is the session's own file.
    public func savePath(_ name: String?) -> String {
        let folder: String
        if let p = workspace.session.path, let slash = p.lastIndex(of: "/") {
            folder = String(p[...slash])
        } else if workspace.session.path != nil {
            folder = ""
        } else {
            folder = "sessions/"
        }
        guard let name else { return workspace.session.path ?? folder + workspace.session.name + ".toml" }
        let file = name.hasSuffix(".toml") ? name : name + ".toml"
        return name.contains("/") ? file : folder + file
    }

    /// Saving over an existing file asks first, naming it (so a lesson is never changed by one
    /// key); a new file is written at once.
    private mutating func saveEffect(_ name: String?) -> Effect {
        let path = savePath(name)
        let effect = Effect.save(session, path: path)
        guard FileManager.default.fileExists(atPath: path) else { return effect }
        let weights = weightsUnsaved ? " (the session only: :save NAME also writes the trained weights)" : ""
        ask("save over \(path)? y overwrites it, any other key cancels; :save NAME writes a new file\(weights)", effect)
        return .redraw
    }

    /// Asks `question`; `y` then returns `effect`.
    mutating func ask(_ question: String, _ effect: Effect) {
        confirmation = Confirmation(question, onYes: effect)
        message = nil
    }

    /// `:save NAME` with trained weights: NAME.toml and NAME.safetensors beside it.
    private func saveWeightsEffect(_ name: String) -> Effect {
        let path = savePath(name)
        let weights = String(path.dropLast(".toml".count)) + ".safetensors"
        return .saveWeights(session, path: path, weights: weights)
    }

    /// `T`: stops a run in progress; else hides the training view, or shows it and starts a run
    /// when nothing was trained yet.
    private mutating func trainingKey() -> Effect {
        if stopTraining() { return .redraw }
        if showTraining { setTrainingView(false); return .redraw }
        setTrainingView(true)
        if case .idle = training { return .train(epochs: nil) }
        return .redraw
    }

    private mutating func cycleLayer(by delta: Int) {
        let n = recorder?.layers.count ?? 0
        guard n > 0 else { message = StatusMessage("this model has no neuron layers"); return }
        guard n > 1, let r = recorder else {
            message = StatusMessage("this model has one neuron layer ('\(recorder?.layers.first?.name ?? "")'): J and K have nothing to switch to")
            return
        }
        _ = r
        report { try $0.setLayer((($0.layer + delta) % n + n) % n) }
    }

    private mutating func report(_ change: (inout AppState) throws -> Void) {
        do { try change(&self) } catch {
            message = StatusMessage("\(error)", isError: true)
        }
    }

    private mutating func handleCommandLine(_ key: Key) -> Effect {
        let state = self
        switch commandEditor.handle(key, complete: { state.completions($0, $1) }) {
        case .cancel:
            setCommandLine(nil)
        case .submit(let text):
            setCommandLine(nil)
            let trimmed = text.trimmingSpaces
            guard !trimmed.isEmpty else { return .redraw }
            do { return execute(try AppCommand.parse(trimmed)) } catch {
                message = StatusMessage("\(error)", isError: true)
            }
        case .editing:
            break
        case .ignored:
            return .none
        }
        return .redraw
    }

    private mutating func click(x: Int, y: Int) -> Effect {
        let layout = self.layout(for: size)
        let hit = zoomed ? (focus, layout.main) : layout.panes.first(where: { $0.area.contains(x: x, y: y) })
        guard !layout.tooSmall, let (pane, area) = hit else { return .none }
        if showTraining && layout.training.contains(area) { return .none }
        setFocus(pane)
        pane.view.click(x: x, y: y, area: area, &self)
        return .redraw
    }
}

extension String {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
