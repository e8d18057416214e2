import Foundation
import SpikeCore
import SpikeData

/// A session opened for use: its network with weights, its dataset, and the inputs of its samples.
public struct Workspace: Sendable {
    /// The session as read.
    public let session: Session
    /// The network with the session's weights (or seeded initial weights when it names none).
    public let network: Network
    /// The dataset (nil for a `stimulus` source): with an `[events]` table, the recordings binned
    /// into the session's T frames.
    public let dataset: Dataset?
    /// The recordings behind `dataset` when the session has an `[events]` table.
    public let events: EventSamples?
    /// The last sample's event frames (the input pane asks every frame).
    private let memo = EventViewMemo()

    /// Opens a session: reads its weights file and loads its data, checking both against the model.
    public init(session: Session) throws {
        self.session = session
        let file = session.path ?? "session"
        if let weightsPath = session.resolvedWeightsPath {
            let (tensors, _) = try Safetensors.read(path: weightsPath)
            network = try Network(spec: session.model, tensors: tensors, file: weightsPath, seed: session.seed)
        } else {
            network = try Network(spec: session.model, seed: session.seed)
        }
        let input = session.model.inputShape
        if session.data.source == .stimulus {
            // frames: the step's current as it is; rate: Poisson spikes at p = amplitude a step (teaching sessions)
            guard session.model.encoder == .frames || session.model.encoder == .rate(gain: 1) else {
                throw SessionError.badValue(file: file, field: "input.encoder", expected: "\"frames\" or \"rate\" (gain 1) for data.source = \"stimulus\"",
                                            found: "\"\(session.model.encoder.name)\"")
            }
            dataset = nil
            events = nil
        } else if let eventInput = session.data.events {
            let samples = try eventInput.samples(session.data.source.dataset ?? .digits, split: session.data.split)
            try session.check(samples)
            events = samples
            dataset = samples.frames(eventInput.binning, timesteps: session.timesteps)
        } else {
            let ds = try DataLoader.load(session.data.source.dataset ?? .digits, split: session.data.split)
            try ds.check(inputShape: input.isFlat ? [input.count] : [input.channels, input.height, input.width])
            dataset = ds
            events = nil
        }
        guard session.data.sample < sampleCount else {
            throw SessionError.badValue(file: file, field: "data.sample", expected: "a sample index below \(sampleCount)",
                                        found: "\(session.data.sample)")
        }
    }

    private init(session: Session, network: Network, dataset: Dataset?, events: EventSamples?) {
        (self.session, self.network, self.dataset, self.events) = (session, network, dataset, events)
    }

    /// The same workspace with `network` (same model spec, e.g. freshly trained weights) in place of its own.
    public func replacing(network: Network) -> Workspace {
        Workspace(session: session, network: network, dataset: dataset, events: events)
    }

    /// The same workspace with the session's weights path set to `weights` (the network is kept).
    public func replacing(weights: String?) -> Workspace {
        var s = session
        s.weights = weights
        return Workspace(session: s, network: network, dataset: dataset, events: events)
    }

    /// Opens the session file at `path`.
    public init(path: String) throws { try self.init(session: try Session.load(path: path)) }

    /// Number of samples (1 for a stimulus).
    public var sampleCount: Int { dataset?.count ?? 1 }

    /// The label of sample `k`, or nil for a stimulus.
    public func label(_ k: Int) -> Int? { dataset.map { $0.labels[k] } }

    /// The image of sample `k` as (F) values in [0, 1] (the stimulus: its frame at step 1).
    public func image(_ k: Int) -> [Float] {
        if let dataset { return Array(dataset.image(k)) }
        return Array(repeating: session.data.stimulus.current(at: 1), count: session.model.inputShape.count)
    }

    /// What `Simulation.setInput` takes for sample `k` at batch 1 and T = `timesteps` (default
    /// the session's): (F), or (T, F) frames.
    public func input(_ k: Int, timesteps: Int? = nil) -> [Float] {
        let t = timesteps ?? session.timesteps, f = session.model.inputShape.count
        guard let dataset else {
            // a rate code encodes the stimulus amplitude as a constant value (Poisson inputs at p = amplitude a step)
            if session.model.encoder != .frames { return Array(repeating: session.data.stimulus.amplitude, count: f) }
            var frames = [Float](repeating: 0, count: t * f)
            for step in 1...t {
                let c = session.data.stimulus.current(at: step)
                for i in 0..<f { frames[(step - 1) * f + i] = c }
            }
            return frames
        }
        if let view = eventView(k, timesteps: t) { return view.frames }
        let image = Array(dataset.image(k))
        return session.model.encoder == .frames ? Array([[Float]](repeating: image, count: t).joined()) : image
    }

    /// A simulation of this workspace's network (or of `other`, a network of the same input, e.g.
    /// its spiking twin) at batch 1 and T = `timesteps` (default the session's), loaded with
    /// sample `k` and reset. A session's `[plasticity]` rule runs on it after every step.
    public func simulation(sample k: Int, timesteps: Int? = nil, recording: RecorderConfig? = RecorderConfig(),
                           network other: Network? = nil) throws -> Simulation {
        let t = timesteps ?? session.timesteps
        let sim = Simulation(network: other ?? network, batch: 1, timesteps: t, seed: session.seed, recording: recording)
        try sim.setInput(input(k, timesteps: t))
        sim.reset(stream: UInt64(k))
        if let p = session.plasticity { sim.learningRules = [try p.rule(for: sim)] }
        return sim
    }
}

/// Sample k's recording binned into T frames, and each frame's time window.
public struct EventView: Sendable {
    /// The sample and T.
    public let sample: Int, timesteps: Int
    /// (T, C, H', W') event counts.
    public let frames: [Float]
    /// One frame's shape (C, H', W').
    public let frameShape: [Int]
    /// Each frame's [start, end) in µs.
    public let windows: [(start: Int64, end: Int64)]
    /// Events in the recording after the filters.
    public let eventCount: Int
}

extension Workspace {
    /// Sample k's event frames at T (nil without an `[events]` table); the last one is kept.
    public func eventView(_ k: Int, timesteps t: Int) -> EventView? {
        guard let events, let binning = session.data.events?.binning else { return nil }
        if let v = memo.get(), v.sample == k, v.timesteps == t { return v }
        let recording = events.recording(k)
        let kept = binning.refractoryUs > 0 || binning.denoiseUs > 0 ? binning.filtered(recording) : recording.events
        let shape = binning.frameShape(width: events.width, height: events.height), count = t * shape.reduce(1, *)
        let frames = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            binning.bin(kept: kept, width: events.width, height: events.height, timesteps: t, into: out.baseAddress!)
            initialized = count
        }
        let view = EventView(sample: k, timesteps: t, frames: frames,
                             frameShape: shape,
                             windows: binning.windows(kept, timesteps: t), eventCount: kept.count)
        memo.set(view)
        return view
    }
}

/// Holds the last `EventView` behind a lock (workspaces are values shared across threads).
final class EventViewMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var view: EventView?
    func get() -> EventView? { lock.lock(); defer { lock.unlock() }; return view }
    func set(_ v: EventView) { lock.lock(); view = v; lock.unlock() }
}

extension Session {
    /// Throws unless one frame of `samples` binned as the `[events]` table says is the model's input.
    public func check(_ samples: EventSamples) throws {
        guard let e = data.events else { return }
        let frame = e.binning.frameShape(width: samples.width, height: samples.height), input = model.inputShape
        let dims = input.isFlat ? [input.count] : [input.channels, input.height, input.width]
        guard dims == frame || dims == [frame.reduce(1, *)] else {
            throw SessionError.badValue(file: path ?? "session", field: "input.shape",
                                        expected: "\(frame): a frame of the \(samples.width)x\(samples.height) sensor, "
                                            + "\(frame[0]) polarity channel\(frame[0] == 1 ? "" : "s"), downsampled by \(e.binning.downsample)",
                                        found: "\(dims)")
        }
    }

    /// The event recordings of one split of `source` (nil without an `[events]` table), checked against the model's input.
    public func eventSamples(_ source: DataSource, split: Split) throws -> EventSamples? {
        guard let e = data.events else { return nil }
        let samples = try e.samples(source, split: split)
        try check(samples)
        return samples
    }

    /// One split of `source` as the model reads it: images, or (with an `[events]` table) the
    /// recordings binned into `timesteps` frames when read.
    public func dataset(_ source: DataSource, split: Split, timesteps: Int) throws -> Dataset {
        guard let e = data.events, let samples = try eventSamples(source, split: split) else { return try DataLoader.load(source, split: split) }
        return samples.frames(e.binning, timesteps: timesteps)
    }
}
