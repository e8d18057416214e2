import SpikeTerm
import SpikeTrain
// The workbench app: this state, `handle(_:)` (App+Keys.swift) returning an `Effect`, and the
// pure `view(_:into:)` (App+View.swift). One thread owns the state; file I/O happens only in
// the loop (AppLoop.swift). Stepping: `sim.t` is the newest simulated step, `cursor` the step
// shown; stepping back moves only the cursor (the panes read the Recorder), stepping forward
// re-shows recorded steps before simulating new ones.

import SpikeCore
import SpikeSession

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The panes of the workbench, in Tab order.
public enum Pane: Int, CaseIterable, Equatable, Sendable {
    /// Spike raster of the selected layer with a population-rate sparkline.
    case raster
    /// Membrane potentials of the selected neurons.
    case membrane
    /// Readout probabilities, running answer, compare mode.
    case outputs
    /// The sample (image, label, prediction) or the stimulus current.
    case input
    /// Neurons, synapses, spikes and synaptic operations per step.
    case hardware

    /// Pane title.
    public var title: String {
        switch self {
        case .raster: "Raster"
        case .membrane: "Membrane"
        case .outputs: "Outputs"
        case .input: "Input"
        case .hardware: "Hardware"
        }
    }
}

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
    /// Start training in the background (`epochs` nil: the default for the session's data).
    case train(epochs: Int?)
    /// Write the network's weights to `weights` (safetensors), then `session` (pointing at
    /// them) to `path`.
    case saveWeights(Session, path: String, weights: String)
}

extension AccuracyByT {
    /// "T=1 95.8% T=2 96.1% ..." (one decimal).
    public var text: String {
        zip(timesteps, accuracy).map { "T=\($0) \(percent(Double($1)))" }.joined(separator: " ")
    }
}

/// The training view's state: idle, a run in progress (with its latest snapshot), or how the last run ended.
public enum TrainingState: Equatable, Sendable {
    /// Nothing trained in this workbench yet.
    case idle
    /// A run is in progress (`stopping` once a stop was asked for).
    case running(TrainingSnapshot, stopping: Bool)
    /// The last run ended (finished, stopped or failed); its last snapshot.
    case ended(TrainingSnapshot)

    /// True while a run is in progress.
    public var isActive: Bool { if case .running = self { true } else { false } }

    /// The latest snapshot (nil when idle).
    public var snapshot: TrainingSnapshot? {
        switch self {
        case .idle: nil
        case .running(let s, _), .ended(let s): s
        }
    }

    /// One line for the hardware pane and the status of the training view.
    public var text: String {
        switch self {
        case .idle:
            return "training: none yet (T trains)"
        case let .running(s, stopping):
            if stopping { return "training: stopping after this batch" }
            guard s.batchesPerEpoch > 0 else { return "training: loading data" }
            return "training: epoch \(s.epoch + 1)/\(s.epochs) batch \(s.batch + 1)/\(s.batchesPerEpoch)"
                + " loss \(fixed(s.loss, 4)) acc \(percent(s.accuracy))"
        case .ended(let s):
            switch s.outcome {
            case .failed(let m)?: return "training failed: \(m)"
            case .stopped?: return "training stopped after \(s.epochsCompleted) epochs" + lastTest(s)
            default: return "trained \(s.epochsCompleted) epochs" + lastTest(s)
            }
        }
    }

    private func lastTest(_ s: TrainingSnapshot) -> String {
        s.testAccuracy.last.map { ", test acc \(percent($0))" } ?? ""
    }
}

/// `v` as a percentage with one decimal ("95.8%"); "-" when not finite.
func percent(_ v: Double) -> String { v.isFinite ? fixed(100 * v, 1) + "%" : "-" }

/// `v` with `digits` decimals ("0.4321"); "-" when not finite.
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    let whole = Int(r / scale), frac = Int(r.truncatingRemainder(dividingBy: scale))
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (v < 0 && r > 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
}

/// One sample run at T=1 and at T=N (separate presentations, not a prefix of one run).
public struct CompareResult: Equatable, Sendable {
    /// N of the second run.
    public var timesteps: Int
    /// Softmax of the mean logits of the T=1 run and of the T=N run.
    public var probabilitiesOne: [Float], probabilitiesN: [Float]
    /// Top class of each run.
    public var topOne: Int, topN: Int
    /// KL(P_N ‖ P_1) = Σ_c P_N(c)·ln(P_N(c) / P_1(c)), in nats.
    public var klDivergence: Float
    /// Entropy −Σ p·ln p of each step's softmax in the T=N run, in nats (N values).
    public var entropy: [Float]
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
    /// Further neurons plotted in the membrane pane (from the session), besides `neuron`.
    public private(set) var pinned: [Int] = []
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
    public private(set) var compare: CompareResult?
    /// The theme in use, adapted to the terminal.
    public private(set) var theme: Theme
    /// Colours the terminal has; NO_COLOR requested.
    public let colours: Int, noColor: Bool
    /// Characters (Unicode or ASCII).
    public var glyphs: Glyphs
    /// True while the help overlay is shown.
    public private(set) var showHelp = false
    /// The `:` command being typed (nil when the command line is closed).
    public private(set) var commandLine: String?
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
    /// Average synapses leaving one neuron of each recorded layer (for synaptic operations).
    public private(set) var fanOut: [Double] = []

    /// Run speeds in steps per second.
    public static let speeds = [1, 2, 5, 10, 20, 50, 100]
    /// Largest T accepted by `:T`.
    public static let maximumTimesteps = 10_000

    /// Opens the workbench on `workspace`; `theme` is the base theme before adaptation.
    public init(workspace: Workspace, theme: Theme, glyphs: Glyphs = .unicode,
                size: Size = Size(width: 120, height: 40), colours: Int = 256,
                noColor: Bool = false) throws {
        self.workspace = workspace
        self.size = size
        (self.colours, self.noColor, self.glyphs) = (colours, noColor, glyphs)
        self.theme = theme.adapted(to: colours, noColor: noColor)
        timesteps = workspace.session.timesteps
        sample = workspace.session.data.sample
        sim = try AppState.makeSimulation(workspace, timesteps: timesteps, sample: sample)
        applyView(workspace.session.view)
        fanOut = AppState.fanOuts(workspace.network, sim.recorder)
    }

    /// The recorder of the stepping simulation.
    public var recorder: Recorder? { sim.recorder }

    /// The session as it would be saved now (T, sample, layer, neurons, compare, theme).
    public var session: Session {
        var s = workspace.session
        s.timesteps = timesteps
        s.data.sample = sample
        if let r = recorder, layer < r.layers.count { s.view.layer = r.layers[layer].name }
        s.view.neurons = plotted
        s.view.compare = compareMode
        s.view.theme = theme.name
        return s
    }

    /// The neurons plotted in the membrane pane: the selected one first, at most 4.
    public var plotted: [Int] { Array(([neuron] + pinned.filter { $0 != neuron }).prefix(4)) }

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
    public mutating func stepForward() {
        if cursor < sim.t {
            cursor += 1
        } else {
            sim.step()
            cursor = sim.t
        }
    }

    /// Shows the previous recorded step; false when there is none.
    @discardableResult
    public mutating func stepBack() -> Bool {
        guard cursor > 0 else { return false }
        if let first = recorder?.steps?.lowerBound, first > 1, cursor - 1 < first { return false }
        cursor -= 1
        return true
    }

    /// One tick of the run: a step forward; running stops at the end of a presentation (T).
    public mutating func tick() {
        guard running else { return }
        stepForward()
        if cursor == timesteps { running = false }
    }

    /// Starts or pauses the run.
    public mutating func toggleRunning() { running.toggle() }

    /// Back to step 0 of the same sample (same randomness).
    public mutating func reset() {
        sim.reset(stream: UInt64(sample))
        cursor = 0
        running = false
    }

    /// Selects sample `k`, resets the run.
    public mutating func setSample(_ k: Int) throws {
        guard k >= 0, k < workspace.sampleCount else {
            throw AppError.badArgument("sample must be from 0 to \(workspace.sampleCount - 1), found \(k)")
        }
        sample = k
        try sim.setInput(AppState.input(workspace, sample: k, timesteps: timesteps))
        reset()
        refreshCompare()
    }

    /// Sets T, rebuilding the simulation (the run starts again).
    public mutating func setTimesteps(_ t: Int) throws {
        guard t >= 1, t <= AppState.maximumTimesteps else {
            throw AppError.badArgument("T must be from 1 to \(AppState.maximumTimesteps), found \(t)")
        }
        sim = try AppState.makeSimulation(workspace, timesteps: t, sample: sample)
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
    public mutating func selectNeuron(_ n: Int) {
        neuron = min(max(n, 0), max(0, layerSize - 1))
    }

    /// Moves the focus to the next (or previous) pane.
    public mutating func cycleFocus(by delta: Int) {
        let n = Pane.allCases.count
        focus = Pane(rawValue: ((focus.rawValue + delta) % n + n) % n) ?? .raster
    }

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
    public mutating func setHelp(_ shown: Bool) { showHelp = shown }

    /// Opens (text non-nil) or closes the command line.
    public mutating func setCommandLine(_ text: String?) { commandLine = text }

    /// Replaces the workspace (`:open`), keeping the terminal settings.
    public mutating func replace(workspace: Workspace) throws {
        let t = workspace.session.timesteps, k = workspace.session.data.sample
        let newSim = try AppState.makeSimulation(workspace, timesteps: t, sample: k)
        self.workspace = workspace
        sim = newSim
        (timesteps, sample, cursor, running, layer, neuron, pinned) = (t, k, 0, false, 0, 0, [])
        fanOut = AppState.fanOuts(workspace.network, sim.recorder)
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
        sim = try AppState.makeSimulation(ws, timesteps: timesteps, sample: sample)
        workspace = ws
        (cursor, running) = (0, false)
        fanOut = AppState.fanOuts(network, sim.recorder)
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
        pinned = Array(valid.dropFirst())
        compareMode = view.compare
        if let t = Theme.builtin(named: view.theme) { setTheme(t) }
        refreshCompare()
    }

    // MARK: - derived values

    /// Recomputes the comparison when compare mode is on (two short runs, no recording).
    mutating func refreshCompare() {
        compare = compareMode ? (try? AppState.compareRuns(workspace, sample: sample, timesteps: timesteps)) : nil
    }

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

    /// Spikes of all recorded layers at step t.
    public func spikes(step t: Int) -> Int {
        guard let r = recorder else { return 0 }
        return r.layers.indices.reduce(0) { $0 + r.spikeCount(layer: $1, step: t) }
    }

    /// Synaptic operations at step t: Σ over layers of spikes × average fan-out.
    public func synapticOps(step t: Int) -> Int {
        guard let r = recorder else { return 0 }
        var ops = 0.0
        for l in r.layers.indices where l < fanOut.count {
            ops += Double(r.spikeCount(layer: l, step: t)) * fanOut[l]
        }
        return Int(ops.rounded())
    }

    // MARK: - building

    static func makeSimulation(_ ws: Workspace, timesteps: Int, sample: Int) throws -> Simulation {
        let config = RecorderConfig(capacity: max(1024, timesteps))
        let sim = Simulation(network: ws.network, batch: 1, timesteps: timesteps, seed: ws.session.seed,
                             recording: config)
        try sim.setInput(input(ws, sample: sample, timesteps: timesteps))
        sim.reset(stream: UInt64(sample))
        return sim
    }

    /// The simulation input of sample k for T timesteps ((F), or (T, F) frames).
    static func input(_ ws: Workspace, sample k: Int, timesteps t: Int) -> [Float] {
        let f = ws.session.model.inputShape.count
        if ws.dataset == nil {
            var frames = [Float](repeating: 0, count: t * f)
            for step in 1...t {
                let c = ws.session.data.stimulus.current(at: step)
                for i in 0..<f { frames[(step - 1) * f + i] = c }
            }
            return frames
        }
        let image = ws.image(k)
        guard ws.session.model.encoder == .frames else { return image }
        var frames: [Float] = []
        frames.reserveCapacity(t * f)
        for _ in 0..<t { frames.append(contentsOf: image) }
        return frames
    }

    static func compareRuns(_ ws: Workspace, sample k: Int, timesteps n: Int) throws -> CompareResult? {
        guard ws.network.classCount != nil else { return nil }
        func run(_ t: Int) throws -> (mean: [Float], entropy: [Float]) {
            let sim = Simulation(network: ws.network, batch: 1, timesteps: t, seed: ws.session.seed, recording: nil)
            try sim.setInput(input(ws, sample: k, timesteps: t))
            sim.reset(stream: UInt64(k))
            var sum: [Float] = []
            var entropy: [Float] = []
            for _ in 0..<t {
                sim.step()
                let l = Array(sim.logits())
                if sum.isEmpty { sum = [Float](repeating: 0, count: l.count) }
                for c in l.indices { sum[c] += l[c] }
                entropy.append(AppState.entropy(softmax(l)))
            }
            return (sum.map { $0 / Float(t) }, entropy)
        }
        let one = try run(1), many = try run(n)
        let p1 = softmax(one.mean), pn = softmax(many.mean)
        var kl: Float = 0
        for c in pn.indices where pn[c] > 0 { kl += pn[c] * logf(pn[c] / max(p1[c], 1e-30)) }
        return CompareResult(timesteps: n, probabilitiesOne: p1, probabilitiesN: pn,
                             topOne: argmax(p1) ?? 0, topN: argmax(pn) ?? 0, klDivergence: kl,
                             entropy: many.entropy)
    }

    static func entropy(_ p: [Float]) -> Float {
        var h: Float = 0
        for v in p where v > 0 { h -= v * logf(v) }
        return h
    }

    /// Average outgoing synapses per neuron of each recorded layer: the next weighted layer's
    /// synapses divided by its inputs (pooling and flatten passed through), plus the layer's own
    /// recurrent synapses.
    static func fanOuts(_ net: Network, _ recorder: Recorder?) -> [Double] {
        guard let r = recorder else { return [] }
        return r.layers.map { rec in
            var out = 0.0
            if case .recurrentDense(let o) = net.spec.layers[rec.index].kind { out += Double(o) }
            var j = rec.index + 1
            while j < net.spec.layers.count {
                let (input, output) = net.shapes[j]
                switch net.spec.layers[j].kind {
                case .dense, .recurrentDense:
                    return out + Double(output.count)
                case let .conv2d(_, k, _, _):
                    let synapses = Double(output.count * input.channels * k * k)
                    return out + synapses / Double(max(1, input.count))
                default:
                    j += 1
                }
            }
            return out
        }
    }
}

/// Softmax of logits (max-subtracted); empty for empty input.
public func softmax(_ z: [Float]) -> [Float] {
    guard let m = z.max() else { return [] }
    let e = z.map { expf($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Index of the largest value (first on ties); nil when empty.
public func argmax(_ v: [Float]) -> Int? {
    v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) }
}

/// Errors of the workbench's commands; shown in the status line, never fatal.
public enum AppError: Error, Equatable, CustomStringConvertible {
    /// A command or argument that cannot be used.
    case badArgument(String)
    /// An unknown `:` command.
    case unknownCommand(String)

    /// The message shown.
    public var description: String {
        switch self {
        case .badArgument(let m): m
        case .unknownCommand(let c): "unknown command ':\(c)' (try :T N, :sample N, :layer N, :theme NAME, :save NAME, :open FILE, :train N, :stop)"
        }
    }
}

extension AppError: UserInputError {}
