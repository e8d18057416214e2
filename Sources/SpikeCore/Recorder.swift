// A bounded per-step history of one batch element: every neuron layer's spikes (bit-packed),
// membranes (all neurons, or a chosen set for big layers) and the readout's logits. Steps are
// counted from 1 after a reset; the recorder keeps the last `capacity` of them. Stepping back
// in a UI reads exactly what was recorded here, never a re-simulation.

/// What a `Recorder` keeps.
public struct RecorderConfig: Equatable, Sendable {
    /// Steps kept; older ones are overwritten.
    public var capacity: Int = 1024
    /// Layers with at most this many neurons have every membrane recorded.
    public var fullMembraneLimit: Int = 2048
    /// Membranes recorded for larger layers when `chosen` names none: the first this many.
    public var defaultChosen: Int = 64
    /// Chosen neurons per layer name (overrides the two rules above).
    public var chosen: [String: [Int]] = [:]
    /// Which element of the batch is recorded.
    public var batchIndex: Int = 0
    /// The defaults.
    public init(capacity: Int = 1024, fullMembraneLimit: Int = 2048, defaultChosen: Int = 64,
                chosen: [String: [Int]] = [:], batchIndex: Int = 0) {
        self.capacity = capacity; self.fullMembraneLimit = fullMembraneLimit
        self.defaultChosen = defaultChosen; self.chosen = chosen; self.batchIndex = batchIndex
    }
}

/// A bounded history of recorded steps; storage is allocated once at creation.
public struct Recorder: Sendable {
    /// One recorded layer: the network layer it comes from and which membranes are kept.
    public struct Layer: Sendable, Equatable {
        /// Index of the layer in the network.
        public let index: Int
        /// The layer's name.
        public let name: String
        /// Neurons in the layer.
        public let neurons: Int
        /// Neurons whose membranes are kept, ascending.
        public let membraneNeurons: [Int]
        /// The layer's threshold (for plots); nil for models that never spike (LI, I).
        public let threshold: Float?
        /// The name of the neuron model's second state variable when it is recorded beside the
        /// membrane ("a" adaptation, "i" synaptic current), else nil.
        public let secondState: String?
        let words: Int
    }

    /// The recorded layers (every layer with a neuron model), in network order.
    public let layers: [Layer]
    /// Classes of the readout (0 without one).
    public let classes: Int
    /// Steps kept at most.
    public let capacity: Int
    /// Which batch element is recorded.
    public let batchIndex: Int
    /// Steps currently held (≤ capacity).
    public private(set) var count = 0
    /// The newest recorded step (0 when empty).
    public private(set) var latestStep = 0

    /// The rings, in one reference so that copying a recorder (a value) retains one object;
    /// `append` copies them first when they are shared (copy on write).
    private var storage: RecorderStorage
    /// Values of one encoded input step, F.
    public let inputs: Int
    private let inputWordCount: Int

    /// Creates an empty recorder for `network`.
    public init(network: Network, config: RecorderConfig = RecorderConfig()) {
        precondition(config.capacity > 0, "recorder capacity must be positive")
        var layers: [Layer] = []
        for (i, spec) in network.spec.layers.enumerated() {
            guard let neuron = spec.neuron else { continue }
            let n = network.shapes[i].output.count
            let chosen = config.chosen[spec.name].map { $0.filter { $0 >= 0 && $0 < n }.sorted() }
                ?? (n <= config.fullMembraneLimit ? Array(0..<n) : Array(0..<min(n, config.defaultChosen)))
            let second: String? = switch neuron {
            case .adaptiveLIF: "a"
            case .adaptiveThresholdLIF: "h"
            case .cubaLIF: "i"
            default: nil
            }
            layers.append(Layer(index: i, name: spec.name, neurons: n, membraneNeurons: chosen,
                                threshold: neuron.threshold, secondState: second, words: (n + 63) / 64))
        }
        self.layers = layers
        classes = network.classCount ?? 0
        capacity = config.capacity
        batchIndex = config.batchIndex
        inputs = network.spec.inputShape.count
        inputWordCount = (inputs + 63) / 64
        storage = RecorderStorage(
            spikeWords: layers.map { Array(repeating: 0, count: config.capacity * $0.words) },
            membranes: layers.map { Array(repeating: 0, count: config.capacity * $0.membraneNeurons.count) },
            seconds: layers.map { $0.secondState == nil ? [] : Array(repeating: 0, count: config.capacity * $0.membraneNeurons.count) },
            logitRing: Array(repeating: 0, count: config.capacity * classes),
            inputWords: Array(repeating: 0, count: config.capacity * ((network.spec.inputShape.count + 63) / 64)),
            inputBinary: Array(repeating: true, count: config.capacity))
    }

    /// The steps held, oldest to newest; empty after a reset.
    public var steps: ClosedRange<Int>? { count == 0 ? nil : (latestStep - count + 1)...latestStep }

    /// Forgets every step (storage is kept).
    public mutating func reset() { count = 0; latestStep = 0 }

    private func slot(_ t: Int) -> Int? {
        guard let r = steps, r.contains(t) else { return nil }
        return (t - 1) % capacity
    }

    /// Records step `t` = `latestStep + 1` from the layers' outputs and membranes of one batch
    /// element (each `(B, N)` buffer is read at row `batchIndex`) and the logits row.
    mutating func append(outputs: (Int) -> UnsafeBufferPointer<Float>, membrane: (Int) -> UnsafeBufferPointer<Float>,
                         logits: UnsafeBufferPointer<Float>?, input: UnsafeBufferPointer<Float>? = nil,
                         secondState: ((Int) -> UnsafeBufferPointer<Float>)? = nil) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let storage = self.storage
        latestStep += 1
        count = min(count + 1, capacity)
        let s = (latestStep - 1) % capacity
        if let input {
            let base = batchIndex * inputs
            var odd: UInt64 = 0                       // nonzero values other than 1 (branch-free loops)
            storage.inputWords.withUnsafeMutableBufferPointer { words in
                for w in 0..<inputWordCount {
                    var bits: UInt64 = 0
                    let start = w * 64, end = min(start + 64, inputs)
                    for n in start..<end {
                        let v = input[base + n]
                        let nonzero: UInt64 = v != 0 ? 1 : 0
                        bits |= nonzero << UInt64(n - start)
                        odd |= nonzero & (v != 1 ? 1 : 0)
                    }
                    words[s * inputWordCount + w] = bits
                }
            }
            storage.inputBinary[s] = odd == 0
        }
        for (l, layer) in layers.enumerated() {
            let out = outputs(layer.index), base = batchIndex * layer.neurons
            storage.spikeWords[l].withUnsafeMutableBufferPointer { words in
                let w0 = s * layer.words
                for w in 0..<layer.words {
                    var bits: UInt64 = 0
                    let start = w * 64, end = min(start + 64, layer.neurons)
                    for n in start..<end where out[base + n] > 0 { bits |= 1 << UInt64(n - start) }
                    words[w0 + w] = bits
                }
            }
            let m = layer.membraneNeurons.count
            if layer.secondState != nil, let secondState {
                let a = secondState(layer.index)
                storage.seconds[l].withUnsafeMutableBufferPointer { dst in
                    for (k, n) in layer.membraneNeurons.enumerated() { dst[s * m + k] = a[base + n] }
                }
            }
            let mem = membrane(layer.index)
            storage.membranes[l].withUnsafeMutableBufferPointer { dst in
                if m == layer.neurons {
                    for n in 0..<m { dst[s * m + n] = mem[base + n] }
                } else {
                    for (k, n) in layer.membraneNeurons.enumerated() { dst[s * m + k] = mem[base + n] }
                }
            }
        }
        if let logits, classes > 0 {
            let base = batchIndex * classes
            for c in 0..<classes { storage.logitRing[s * classes + c] = logits[base + c] }
        }
    }

    /// Whether neuron `n` of recorded layer `layer` spiked at step `t` (false outside the history).
    public func spiked(layer: Int, step t: Int, neuron n: Int) -> Bool {
        guard let s = slot(t) else { return false }
        let words = layers[layer].words
        return storage.spikeWords[layer][s * words + n / 64] >> UInt64(n % 64) & 1 == 1
    }

    /// The packed spike words of a recorded layer at step t (bit n%64 of word n/64), or nil.
    public func spikeBits(layer: Int, step t: Int) -> ArraySlice<UInt64>? {
        guard let s = slot(t) else { return nil }
        let words = layers[layer].words
        return storage.spikeWords[layer][(s * words)..<((s + 1) * words)]
    }

    /// Number of spikes of a recorded layer at step t (0 outside the history).
    public func spikeCount(layer: Int, step t: Int) -> Int {
        spikeBits(layer: layer, step: t)?.reduce(0) { $0 + $1.nonzeroBitCount } ?? 0
    }

    /// Membranes of a recorded layer's `membraneNeurons` at step t, or nil outside the history:
    /// the pre-reset membrane u, the value that step compared with θ (v after the reset is u − θ
    /// or 0 on a spike, u otherwise).
    public func membranes(layer: Int, step t: Int) -> ArraySlice<Float>? {
        guard let s = slot(t) else { return nil }
        let m = layers[layer].membraneNeurons.count
        return storage.membranes[layer][(s * m)..<((s + 1) * m)]
    }

    /// Which input values were nonzero at step t (bit n%64 of word n/64), and whether they were
    /// all 1 (spikes), or nil outside the history.
    public func inputBits(step t: Int) -> (words: ArraySlice<UInt64>, binary: Bool)? {
        guard let s = slot(t) else { return nil }
        return (storage.inputWords[(s * inputWordCount)..<((s + 1) * inputWordCount)], storage.inputBinary[s])
    }

    /// The input values that were nonzero at step t, and whether they were all 1 (spikes), or nil
    /// outside the history.
    public func inputActivity(step t: Int) -> (active: [Int], binary: Bool)? {
        guard let s = slot(t) else { return nil }
        var active: [Int] = []
        for w in 0..<inputWordCount {
            var bits = storage.inputWords[s * inputWordCount + w]
            while bits != 0 { active.append(w * 64 + bits.trailingZeroBitCount); bits &= bits - 1 }
        }
        return (active, storage.inputBinary[s])
    }

    /// The second state (see `Layer.secondState`) of a recorded layer's `membraneNeurons` at step
    /// t, or nil outside the history or for a model without one.
    public func secondStates(layer: Int, step t: Int) -> ArraySlice<Float>? {
        guard let s = slot(t), layers[layer].secondState != nil else { return nil }
        let m = layers[layer].membraneNeurons.count
        return storage.seconds[layer][(s * m)..<((s + 1) * m)]
    }

    /// The readout's logits at step t, or nil outside the history or without a readout.
    public func logits(step t: Int) -> ArraySlice<Float>? {
        guard classes > 0, let s = slot(t) else { return nil }
        return storage.logitRing[(s * classes)..<((s + 1) * classes)]
    }
}

/// The rings of a `Recorder` (see there).
final class RecorderStorage: @unchecked Sendable {
    var spikeWords: [[UInt64]]    // per layer: (capacity, words)
    var membranes: [[Float]]      // per layer: (capacity, membraneNeurons.count)
    var seconds: [[Float]]        // per layer with a second state: (capacity, membraneNeurons.count)
    var logitRing: [Float]        // (capacity, classes)
    var inputWords: [UInt64]      // (capacity, words): which input values were nonzero
    var inputBinary: [Bool]       // (capacity): all nonzero input values were 1

    init(spikeWords: [[UInt64]], membranes: [[Float]], seconds: [[Float]], logitRing: [Float], inputWords: [UInt64],
         inputBinary: [Bool]) {
        (self.spikeWords, self.membranes, self.seconds) = (spikeWords, membranes, seconds)
        (self.logitRing, self.inputWords, self.inputBinary) = (logitRing, inputWords, inputBinary)
    }

    func copy() -> RecorderStorage {
        RecorderStorage(spikeWords: spikeWords, membranes: membranes, seconds: seconds, logitRing: logitRing,
                        inputWords: inputWords, inputBinary: inputBinary)
    }
}
