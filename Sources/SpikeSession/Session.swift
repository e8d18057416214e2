import SpikeCore
import SpikeData
import SpikeHardware

/// A whole workbench state as plain values: model, weights, data, view. Parsed from and saved
/// to a hand-editable TOML session file (see `Session.load(path:)`, `Session.save(to:)`).
public struct Session: Equatable, Sendable {
    /// The file the session was read from (nil for one built in code).
    public var path: String?
    /// A short title.
    public var name: String
    /// Seed of every random draw (weight init, rate code).
    public var seed: UInt64
    /// Timesteps T of one presentation.
    public var timesteps: Int
    /// The model description.
    public var model: ModelSpec
    /// The weights file as written in the session (relative to the session's folder), or nil.
    public var weights: String?
    /// Where samples come from.
    public var data: DataSettings
    /// What the workbench shows.
    public var view: ViewSettings
    /// Notes of a guided tour, shown at their step.
    public var notes: [Note]
    /// The neuromorphic target the hardware pane maps the model onto.
    public var hardware = HardwareSettings()
    /// A local learning rule the workbench runs after every step (`[plasticity]`), or nil.
    public var plasticity: PlasticitySettings?

    /// Creates a session.
    public init(path: String? = nil, name: String, seed: UInt64 = 0, timesteps: Int, model: ModelSpec,
                weights: String? = nil, data: DataSettings = DataSettings(), view: ViewSettings = ViewSettings(),
                notes: [Note] = []) {
        self.path = path; self.name = name; self.seed = seed; self.timesteps = timesteps; self.model = model
        self.weights = weights; self.data = data; self.view = view; self.notes = notes
    }

    /// The weights path resolved against the session file's folder, or nil when the session has none.
    public var resolvedWeightsPath: String? {
        guard let weights else { return nil }
        if weights.hasPrefix("/") { return weights }
        guard let path, let slash = path.lastIndex(of: "/") else { return weights }
        return String(path[...slash]) + weights
    }
}

/// The data source of a session.
public struct DataSettings: Equatable, Sendable {
    /// Where the input comes from: a dataset, or the stimulus of teaching sessions.
    public var source: InputSource = .dataset(.digits)
    /// Which split of the dataset is browsed.
    public var split: Split = .test
    /// The sample shown first.
    public var sample: Int = 0
    /// For `stimulus`: a current step of `amplitude` from step `onset` to `offset` (inclusive, 1-based).
    public var stimulus: Stimulus = Stimulus()
    /// The `[events]` table: the data as event frames (an N-MNIST folder, or images through the
    /// simulated saccade camera), binned afresh for each T; nil for images as they are.
    public var events: EventInput?
    /// Defaults: the embedded digits, test split, sample 0.
    public init(source: InputSource = .dataset(.digits), split: Split = .test, sample: Int = 0, stimulus: Stimulus = Stimulus()) {
        self.source = source; self.split = split; self.sample = sample; self.stimulus = stimulus
    }
}

/// Where a session's input comes from (`data.source` in session files: "digits",
/// "fashion-mnist", "stimulus", or a folder path).
public enum InputSource: Equatable, Sendable {
    /// A dataset (see `DataSource`).
    case dataset(DataSource)
    /// The current step of `DataSettings.stimulus` (no dataset).
    case stimulus

    /// Parses the word of session files.
    public init(name: String) { self = name == "stimulus" ? .stimulus : .dataset(DataSource(name: name)) }

    /// The word written in session files.
    public var name: String {
        switch self {
        case .dataset(let d): d.name
        case .stimulus: "stimulus"
        }
    }

    /// The dataset, nil for the stimulus.
    public var dataset: DataSource? { if case .dataset(let d) = self { d } else { nil } }
}

/// A current step for teaching sessions: `amplitude` on every input from `onset` to `offset`.
public struct Stimulus: Equatable, Sendable {
    /// Current while on.
    public var amplitude: Float = 1
    /// First step with current (1-based).
    public var onset: Int = 1
    /// Last step with current (inclusive).
    public var offset: Int = Int.max
    /// 1: a step of current; k > 1: one-step pulses every k steps from `onset` (a regular spike train).
    public var every: Int = 1
    /// A step of `amplitude` from `onset` to `offset` (pulses every `every` steps).
    public init(amplitude: Float = 1, onset: Int = 1, offset: Int = Int.max, every: Int = 1) {
        self.amplitude = amplitude; self.onset = onset; self.offset = offset; self.every = every
    }
    /// The current at step t (1-based).
    public func current(at t: Int) -> Float { t >= onset && t <= offset && (t - onset) % max(every, 1) == 0 ? amplitude : 0 }
}

/// What the workbench shows.
public struct ViewSettings: Equatable, Sendable {
    /// Name of the selected layer (nil: the first neuron layer).
    public var layer: String?
    /// Neurons whose membranes are plotted (up to 4).
    public var neurons: [Int] = [0]
    /// Whether the outputs pane compares T=1 with T=N.
    public var compare: Bool = false
    /// Theme name.
    public var theme: String = "dark"
    /// Defaults.
    public init(layer: String? = nil, neurons: [Int] = [0], compare: Bool = false, theme: String = "dark") {
        self.layer = layer; self.neurons = neurons; self.compare = compare; self.theme = theme
    }
}

/// The hardware pane's target and placement (`[hardware]` in session files).
public struct HardwareSettings: Equatable, Sendable {
    /// A shipped profile name ("loihi", ...) or a profile file's path.
    public var target: String = "loihi"
    /// Sequential or traffic-aware placement.
    public var placement: PlacementKind = .sequential
    /// Defaults: Loihi, sequential.
    public init(target: String = "loihi", placement: PlacementKind = .sequential) {
        self.target = target; self.placement = placement
    }
}

/// A note of a guided tour, shown from its step on until the next note.
public struct Note: Equatable, Sendable {
    /// The step the note belongs to (1-based).
    public var step: Int
    /// The text.
    public var text: String
    /// Creates a note.
    public init(step: Int, text: String) { self.step = step; self.text = text }
}
