import SpikeTerm
import SpikeTrain
// The workbench app: this state, `handle(_:)` (App+Keys.swift) returning an `Effect`, and the
// pure `view(_:into:)` (App+View.swift). One thread owns the state; file I/O happens only in
// the loop (AppLoop.swift). Stepping: `sim.t` is the newest simulated step, `cursor` the step
// shown; stepping back moves only the cursor (the panes read the Recorder), stepping forward
// re-shows recorded steps before simulating new ones.

import SpikeCore
import SpikeHardware
import SpikeSession
import SpikeLearn

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The whole workbench state: the stepping simulation, selection, mode and display settings.
public struct AppState {
    /// The open session's network and data.
    public private(set) var workspace: Workspace
    /// The stepping simulation (batch 1, recording).
    public private(set) var sim: Simulation
    /// The terminal size the layout is computed for.
    public var size: Size
    /// Timesteps T of one presentation.
    public private(set) var timesteps: Int
    /// The sample shown.
    public private(set) var sample: Int
    /// Index into the recorder's layers of the layer shown.
    public private(set) var layer = 0
    /// The selected (highlighted) neuron of that layer.
    public private(set) var neuron = 0
    /// The neurons plotted in the membrane pane, by colour slot (at most 4): a neuron keeps its
    /// slot, and so its colour, while it is shown.
    public private(set) var traces: [Int] = [0]
    /// The neurons the session named; the others in `traces` came from selection and are replaced first.
    var pinned: [Int] = []
    /// The step shown (0: before the first step); at most `sim.t`.
    public private(set) var cursor = 0
    /// True while running.
    public private(set) var running = false
    /// Index into `AppState.speeds`.
    public private(set) var speedIndex = 3
    /// The focused pane.
    public private(set) var focus: Pane = .raster
    /// True when the outputs pane compares T=1 with T=N.
    public private(set) var compareMode = false
    /// The comparison for the current sample and T (nil when off or without a readout).
    public internal(set) var compare: CompareResult?
    /// True when a rate (soft-LIF) network steps as its spiking twin, with the rate network's
    /// answer beside it (Features/RateVsSpikes.swift).
    public internal(set) var spikingMode = false
    /// The rate network's answer and rates for the current sample (spikes mode only).
    public internal(set) var rateReference: RateReference?
    /// T before spikes mode lengthened the presentation.
    var timestepsBeforeSpikes: Int?
    /// The theme in use, adapted to the terminal.
    public private(set) var theme: Theme
    /// Colours the terminal has; NO_COLOR requested.
    public let colours: Int, noColor: Bool
    /// Characters (Unicode or ASCII).
    public var glyphs: Glyphs
    /// True while the help overlay is shown.
    public private(set) var showHelp = false
    /// The `:` command being typed (nil when the command line is closed).
    public var commandLine: String? { commandOpen ? commandEditor.text : nil }
    /// The `:` prompt's editor (text, cursor, history); `commandOpen` while it is shown.
    public internal(set) var commandEditor = CommandEditor()
    var commandOpen = false
    /// The last message (cleared by the next key).
    public var message: StatusMessage?
    /// The training run: idle, in progress, or how the last one ended.
    public internal(set) var training: TrainingState = .idle
    /// True while the training view replaces the raster and membrane panes.
    public internal(set) var showTraining = false
    /// Accuracy by T over the test set for the weights in use (nil until computed).
    public internal(set) var accuracyByT: AccuracyByT?
    /// Why accuracy by T is not shown (no test set, an error), once known.
    public internal(set) var accuracyProblem: String?
    /// Increases whenever the stepping network's weights change (training, `:open`).
    public internal(set) var weightsVersion = 0
    /// True when the weights in use came from training here and are not saved yet.
    public internal(set) var weightsUnsaved = false
    /// Accuracy by T of each weights version computed so far (in memory only).
    var accuracyCache: [Int: AccuracyByT] = [:]
    /// The run in progress, if any.
    var trainingJob: TrainingJob?
    /// The accuracy evaluation in progress, if any.
    var accuracyJob: AccuracyJob?
    /// The chip: target, mapping, placement and the traffic of each simulated step.
    public internal(set) var hardware = HardwareState()
    /// The target as the session names it (a profile name or a file's path).
    public internal(set) var hardwareTargetName = "loihi"
    /// The help overlay's scroll and search.
    public internal(set) var help = HelpState()
    /// The question waiting for `y` (nil when none).
    public internal(set) var confirmation: Confirmation?
    /// True when the focused pane fills the whole screen (`z`).
    public internal(set) var zoomed = false

    /// Run speeds in steps per second.
    /// Above 1000 a tick takes several steps (learning demos run hundreds of seconds of model time).
    public static let speeds = [1, 2, 5, 10, 20, 50, 100, 1000, 10_000]
    /// Largest T accepted by `:T`.
    public static let maximumTimesteps = 10_000

    /// Opens the workbench on `workspace`; `theme` is the base theme before adaptation.
    public init(workspace: Workspace, theme: Theme, glyphs: Glyphs = .unicode,
                size: Size = Size(width: 120, height: 40), colours: Int = 256,
                noColor: Bool = false, target: Target? = nil) throws {
        self.workspace = workspace
        self.size = size
        (self.colours, self.noColor, self.glyphs) = (colours, noColor, glyphs)
        self.theme = theme.adapted(to: colours, noColor: noColor)
        timesteps = workspace.session.timesteps
        sample = workspace.session.data.sample
        sim = try AppState.makeSimulation(workspace, timesteps: timesteps, sample: sample, spiking: false)
        hardwareTargetName = workspace.session.hardware.target
        if workspace.session.hardware.placement == .traffic {
            hardware.setPlacement(.traffic, recorder: nil, seed: workspace.session.seed)
        }
        hardware.remap(workspace.network, target: target, capacity: sim.recorder?.capacity ?? 1024)
        applyView(workspace.session.view)
    }

    /// The recorder of the stepping simulation.
    public var recorder: Recorder? { sim.recorder }

    /// The session as it would be saved now (T, sample, layer, neurons, compare, theme).
    public var session: Session {
        var s = workspace.session
        s.timesteps = timesteps
        s.data.sample = sample
        if let r = recorder, layer < r.layers.count { s.view.layer = r.layers[layer].name }
        s.view.neurons = Array(([neuron] + traces.filter { $0 != neuron }).prefix(4))   // the selected one first
        s.view.compare = compareMode
        s.view.theme = theme.name
        s.hardware = HardwareSettings(target: hardwareTargetName, placement: hardware.placementKind)
        return s
    }

    /// The neurons plotted in the membrane pane, in colour-slot order.
    public var plotted: [Int] { traces }

    /// Neurons in the selected layer (0 without recorded layers).
    public var layerSize: Int {
        guard let r = recorder, layer < r.layers.count else { return 0 }
        return r.layers[layer].neurons
    }

    /// Steps per second when running.
    public var speed: Int { AppState.speeds[speedIndex] }

    /// How long the loop may wait for a key: one step interval when running, else a long sleep.
    /// While a background job runs, at most `backgroundPollMs` so its progress is drawn.
    public var inputTimeoutMs: Int {
        if running { return max(1, min(1000 / speed, hasBackgroundWork ? AppState.backgroundPollMs : 1000)) }
        return hasBackgroundWork ? AppState.backgroundPollMs : AppState.idleTimeoutMs
    }

    /// Input timeout when paused with nothing running in the background.
    public static let idleTimeoutMs = 1000
    /// Input timeout while training or evaluating in the background (about 10 frames per second).
    public static let backgroundPollMs = 100

    /// True while a training run or an accuracy evaluation is in progress.
    public var hasBackgroundWork: Bool { trainingJob != nil || accuracyJob != nil }

    /// The note of a guided tour for the step shown (the last note at or before it).
    public var currentNote: Note? {
        workspace.session.notes.filter { $0.step <= cursor }.max { $0.step < $1.step }
    }

    // MARK: - stepping

    /// Shows the next step: a recorded one if the cursor is behind, else simulates one.
    @discardableResult
    public mutating func stepForward() -> Bool {
        guard cursor < timesteps else { return false }     // a presentation ends at T
        defer { if cursor == timesteps { running = false } }
        if cursor < sim.t {
            cursor += 1
        } else {
            sim.step()
            cursor = sim.t
            hardware.account(step: sim.t, recorder: sim.recorder)
        }
        return true
    }

    /// True when the network runs on seeded initial weights (no weights file, nothing trained here).
    public var untrained: Bool { workspace.session.resolvedWeightsPath == nil && weightsVersion == 0 }

    /// True at the last step of the presentation.
    public var atEnd: Bool { cursor >= timesteps }

    /// Shows the previous recorded step; false when there is none.
    @discardableResult
    public mutating func stepBack() -> Bool {
        guard cursor > 0 else { return false }
        if let first = recorder?.steps?.lowerBound, first > 1, cursor - 1 < first { return false }
        cursor -= 1
        return true
    }

    /// When true, the run goes on through the samples: at the end of a presentation the next
    /// sample starts (key `a`; learning sessions show a rule at work over a dataset this way).
    public internal(set) var throughSamples = false

    /// One tick of the run: a step forward (speed/1000 steps above 1000 steps/s); running stops
    /// at the end of a presentation (T), or (`throughSamples`) moves on to the next sample.
    public mutating func tick() {
        guard running else { return }
        for _ in 0..<max(1, speed / 1000) where running {
            if !stepForward() { running = false }
            guard throughSamples, atEnd, workspace.sampleCount > 1 else { continue }
            do {
                try setSample((sample + 1) % workspace.sampleCount)
                running = true
            } catch {
                running = false
                message = StatusMessage("\(error)", isError: true)
            }
        }
    }

    /// Starts or pauses the run; at the end of the presentation, starts it again from step 0.
    public mutating func toggleRunning() {
        if !running && atEnd { reset() }
        running.toggle()
    }

    /// Back to step 0 of the same sample (same randomness).
    public mutating func reset() {
        sim.reset(stream: UInt64(sample))
        plasticity?.restart(sim)          // short-term synapses recover; learned weights stay
        cursor = 0
        running = false
        hardware.clearRun()
    }

    /// Selects sample `k`, resets the run.
    public mutating func setSample(_ k: Int) throws {
        guard k >= 0, k < workspace.sampleCount else {
            throw AppError.badArgument("sample must be from 0 to \(workspace.sampleCount - 1), found \(k)")
        }
        sample = k
        try sim.setInput(workspace.input(k, timesteps: timesteps))
        reset()
        refreshCompare()
        refreshRateReference()
    }

    /// Sets T, rebuilding the simulation (the run starts again).
    public mutating func setTimesteps(_ t: Int) throws {
        guard t >= 1, t <= AppState.maximumTimesteps else {
            throw AppError.badArgument("T must be from 1 to \(AppState.maximumTimesteps), found \(t)")
        }
        sim = try AppState.makeSimulation(workspace, timesteps: t, sample: sample, spiking: spikingMode,
                                          learned: plasticity == nil ? nil : sim.network)
        hardware.clearRun()
        timesteps = t
        cursor = 0
        running = false
        refreshCompare()
    }

    /// Selects recorded layer `index` (clamped selection of neurons).
    public mutating func setLayer(_ index: Int) throws {
        let count = recorder?.layers.count ?? 0
        guard index >= 0, index < count else {
            throw AppError.badArgument(count == 0 ? "this model has no neuron layers"
                                       : "layer must be from 0 to \(count - 1), found \(index)")
        }
        if index != layer { pinned = [] }
        layer = index
        neuron = min(neuron, max(0, layerSize - 1))
        traces = [neuron]
    }

    /// Selects recorded layer by name or index text.
    public mutating func setLayer(named name: String) throws {
        if let i = Int(name) { try setLayer(i); return }
        guard let i = recorder?.layers.firstIndex(where: { $0.name == name }) else {
            let names = recorder?.layers.map(\.name).joined(separator: ", ") ?? ""
            throw AppError.badArgument("no neuron layer '\(name)' (layers: \(names))")
        }
        try setLayer(i)
    }

    /// Selects neuron `n` of the layer shown (clamped).
    /// Selects neuron n of the layer shown. A neuron already plotted keeps its slot; a new one
    /// takes a free slot, else the slot of a neuron that came from selection, else the last.
    public mutating func selectNeuron(_ n: Int) {
        neuron = min(max(n, 0), max(0, layerSize - 1))
        guard !traces.contains(neuron) else { return }
        if traces.count < 4 { traces.append(neuron); return }
        let slot = traces.lastIndex { !pinned.contains($0) } ?? traces.count - 1
        traces[slot] = neuron
    }

    /// Moves the focus to the next (or previous) pane of the layout.
    public mutating func cycleFocus(by delta: Int) {
        let shown = layout(for: size).panes.map(\.pane)
        let order = Pane.allCases.filter { shown.contains($0) }
        guard !order.isEmpty else { return }
        let n = order.count, at = order.firstIndex(of: focus) ?? 0
        focus = order[((at + delta) % n + n) % n]
    }

    /// The panes' places for `size` (the weights pane with a learning rule).
    public func layout(for size: Size) -> AppLayout { AppLayout(size: size, learning: plasticity != nil) }

    /// Focuses `pane`.
    public mutating func setFocus(_ pane: Pane) { focus = pane }

    /// Changes the run speed by `delta` levels (clamped).
    public mutating func changeSpeed(by delta: Int) {
        speedIndex = min(max(speedIndex + delta, 0), AppState.speeds.count - 1)
    }

    /// Turns compare mode on or off.
    public mutating func setCompare(_ on: Bool) {
        compareMode = on
        refreshCompare()
    }

    /// Switches to `theme` (adapted to this terminal).
    public mutating func setTheme(_ base: Theme) {
        theme = base.adapted(to: colours, noColor: noColor)
    }

    /// Shows or hides the help overlay.
    public mutating func setHelp(_ shown: Bool) { showHelp = shown; help = HelpState() }

    /// Opens (text non-nil) or closes the command line.
    public mutating func setCommandLine(_ text: String?) {
        if let text { commandEditor.open(text); commandOpen = true } else { commandOpen = false }
    }

    /// Replaces the workspace (`:open`), keeping the terminal settings.
    public mutating func replace(workspace: Workspace) throws {
        let t = workspace.session.timesteps, k = workspace.session.data.sample
        let newSim = try AppState.makeSimulation(workspace, timesteps: t, sample: k, spiking: false)
        self.workspace = workspace
        sim = newSim
        (spikingMode, rateReference, timestepsBeforeSpikes) = (false, nil, nil)
        (timesteps, sample, cursor, running, layer, neuron, pinned, traces) = (t, k, 0, false, 0, 0, [], [0])
        hardware.remap(workspace.network, capacity: sim.recorder?.capacity ?? 1024)
        trainingJob?.stop()
        trainingJob = nil
        accuracyJob = nil
        (training, showTraining, weightsUnsaved, accuracyProblem) = (.idle, false, false, nil)
        weightsVersion += 1
        accuracyByT = nil
        applyView(workspace.session.view)
    }

    /// Puts `network` (same model, e.g. just trained) in place of the stepping network between
    /// frames: the simulation is rebuilt at the same T and sample and starts again at step 0.
    public mutating func replaceNetwork(_ network: Network) throws {
        let ws = workspace.replacing(network: network)
        sim = try AppState.makeSimulation(ws, timesteps: timesteps, sample: sample, spiking: spikingMode)
        workspace = ws
        refreshRateReference()
        (cursor, running) = (0, false)
        hardware.remap(network, capacity: sim.recorder?.capacity ?? 1024)
        weightsVersion += 1
        accuracyByT = accuracyCache[weightsVersion]
        accuracyProblem = nil
        refreshCompare()
    }

    /// Points the session at `weights` (after `:save NAME` wrote them); the weights are saved.
    mutating func weightsSaved(to weights: String) {
        workspace = workspace.replacing(weights: weights)
        weightsUnsaved = false
    }

    private mutating func applyView(_ view: ViewSettings) {
        if let name = view.layer, let i = recorder?.layers.firstIndex(where: { $0.name == name }) {
            layer = i
        } else {
            layer = 0
        }
        let valid = view.neurons.filter { $0 >= 0 && $0 < layerSize }
        neuron = valid.first ?? 0
        pinned = Array(valid.prefix(4))
        traces = pinned.isEmpty ? [neuron] : pinned
        compareMode = view.compare
        if let t = Theme.builtin(named: view.theme) { setTheme(t) }
        refreshCompare()
    }

    // MARK: - derived values

    /// The readout's logits at step t (nil outside the history or without a readout).
    public func logits(step t: Int) -> ArraySlice<Float>? { recorder?.logits(step: t) }

    /// Mean of the logits of the recorded steps 1...t (nil without a readout or before step 1).
    public func runningLogits(upTo t: Int) -> [Float]? {
        guard let r = recorder, r.classes > 0, t >= 1, let steps = r.steps else { return nil }
        var sum = [Float](repeating: 0, count: r.classes)
        var n = 0
        for s in max(1, steps.lowerBound)...min(t, steps.upperBound) {
            guard let l = r.logits(step: s) else { continue }
            for (c, v) in l.enumerated() { sum[c] += v }
            n += 1
        }
        guard n > 0 else { return nil }
        return sum.map { $0 / Float(n) }
    }

    /// The running answer at the step shown: argmax of the mean logits so far.
    public var prediction: Int? { runningLogits(upTo: cursor).flatMap(argmax) }

    // MARK: - building

    /// The stepping simulation: the workspace's network, or in spikes mode its spiking twin.
    /// A session's `[plasticity]` rule runs on it after every step.
    static func makeSimulation(_ ws: Workspace, timesteps: Int, sample: Int, spiking: Bool, learned: Network? = nil) throws -> Simulation {
        try ws.simulation(sample: sample, timesteps: timesteps, recording: RecorderConfig(capacity: max(1024, timesteps)),
                          network: spiking ? try ws.network.spiking() : learned)
    }

    /// The learning rule running on the stepping network (a session's `[plasticity]`), if any.
    public var plasticity: LayerPlasticity? { sim.learningRules.first as? LayerPlasticity }
}
