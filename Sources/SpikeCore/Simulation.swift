// The stepping simulator. Dimension letters: B batch, F input features, N a layer's outputs,
// T timesteps. All buffers are allocated once in `init`; `step()` allocates nothing. The
// equations live in the kernels (Kernels.swift, Neurons/): this file only drives them.

/// Runs a `Network` one timestep at a time for a batch, optionally recording batch element 0.
///
/// Determinism: `reset(stream:)` reseeds the one `Rng` from (seed, stream), so the same network,
/// input, seed and stream give the same spikes on every run.
///
/// Learning: the weights can change between steps through `updateParameters(layer:_:)`, which
/// keeps every derived copy in sync, and the rules in `learningRules` run after each step with
/// read access to every layer's presynaptic input, spikes and membranes (see `LearningRule`).
public final class Simulation {
    /// The network being simulated (change it through `updateParameters`).
    public private(set) var network: Network
    /// Batch size B.
    public let batch: Int
    /// The nominal run length T (the latency code spreads spikes over it; frames hold T frames).
    public let timesteps: Int
    /// The seed of the run's randomness (rate code).
    public let seed: UInt64
    /// Steps taken since the last reset (the step just computed is `t`).
    public private(set) var t = 0
    /// The recorded history (nil when recording is off).
    public private(set) var recorder: Recorder?
    /// Rules run after every step, in order (after the recorder has the step).
    public var learningRules: [any LearningRule] = []

    private let inputCount: Int                         // F
    private var rng: Rng
    private let input: UnsafeMutablePointer<Float>      // (B, F), or (T, B, F) for frames
    private let inputCapacity: Int
    private let encoded: UnsafeMutablePointer<Float>    // (B, F)
    private var outputs: [UnsafeMutablePointer<Float>]  // per layer (B, N): spikes, or the transform output
    private var currents: [UnsafeMutablePointer<Float>] // per layer (B, N): the transform output (neuron layers)
    private var membranes: [UnsafeMutablePointer<Float>] // per layer (B, N): v after the step (neuron layers)
    private var preReset: [UnsafeMutablePointer<Float>] // per layer (B, N): u, the value compared with θ
    private var auxiliary: [UnsafeMutablePointer<Float>] // per layer (B, N): a neuron's second state
    private var weightT: [UnsafeMutablePointer<Float>?] // dense layers at B = 1: Wᵀ (I, N) for events; at
                                                        // B > 1 on a CPU with the fast batched kernel: W packed for it
    private var cols: [UnsafeMutablePointer<Float>?]    // conv layers: im2col scratch (C·K·K, P·Q)
    private var lines: [UnsafeMutablePointer<Float>?]   // delay layers: the last d + 1 inputs, a ring (d + 1, B, N)
    private var allocations: [(UnsafeMutablePointer<Float>, Int)] = []

    /// Creates a simulation with zero state; `recording` nil turns the recorder off.
    public init(network: Network, batch: Int = 1, timesteps: Int, seed: UInt64,
                recording: RecorderConfig? = RecorderConfig()) {
        precondition(batch > 0 && timesteps > 0, "batch and timesteps must be positive")
        self.network = network
        self.batch = batch
        self.timesteps = timesteps
        self.seed = seed
        rng = Rng(seed: seed)
        inputCount = network.spec.inputShape.count
        inputCapacity = (network.spec.encoder == .frames ? timesteps : 1) * batch * inputCount
        var allocs: [(UnsafeMutablePointer<Float>, Int)] = []
        func tracked(_ n: Int) -> UnsafeMutablePointer<Float> {
            // 64-byte aligned: the event kernel's 64-byte loads then never straddle two cache lines.
            let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * MemoryLayout<Float>.stride, alignment: 64)
                .bindMemory(to: Float.self, capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            allocs.append((p, n))
            return p
        }
        input = tracked(inputCapacity)
        encoded = tracked(batch * inputCount)
        outputs = []; currents = []; membranes = []; preReset = []; auxiliary = []; weightT = []; cols = []; lines = []
        for (i, layer) in network.spec.layers.enumerated() {
            let (inShape, outShape) = network.shapes[i]
            let n = batch * outShape.count
            let out = tracked(n)
            outputs.append(out)
            let neuron = layer.neuron != nil
            currents.append(neuron ? tracked(n) : out)
            membranes.append(neuron ? tracked(n) : out)
            preReset.append(neuron ? tracked(n) : out)
            auxiliary.append(neuron ? tracked(n) : out)
            if batch == 1 || Kernels.eventsFast, case .dense(let o) = layer.kind {
                weightT.append(tracked(batch == 1 ? o * inShape.count : Kernels.packedEventsCount(inputs: inShape.count, outputs: o)))
            } else {
                weightT.append(nil)
            }
            if let g = layer.kind.convGeometry {
                cols.append(tracked(inShape.channels * g.taps * outShape.height * outShape.width))
            } else {
                cols.append(nil)
            }
            if case .delay(let d) = layer.kind { lines.append(tracked((d + 1) * n)) } else { lines.append(nil) }
        }
        allocations = allocs
        for i in network.spec.layers.indices { syncDerived(layer: i) }
        recorder = recording.map { Recorder(network: network, config: $0) }
    }

    deinit {
        for (p, n) in allocations { p.deinitialize(count: max(n, 1)); p.deallocate() }
    }

    /// Values one call of `setInput` takes: B·F, or T·B·F for the frames encoder.
    public var inputValues: Int { inputCapacity }

    /// Copies the batch's input: (B, F) samples, or (T, B, F) frames for the frames encoder.
    public func setInput(_ values: [Float]) throws {
        guard values.count == inputCapacity else {
            throw ModelError.inputSize(expected: inputCapacity, found: values.count)
        }
        values.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: inputCapacity) }
    }

    /// Zeroes every state and the history and reseeds the randomness from (seed, stream).
    public func reset(stream: UInt64 = 0) {
        t = 0
        rng = stream == 0 ? Rng(seed: seed) : Rng(seed: seed).derived(stream)
        for i in outputs.indices {
            let n = batch * network.shapes[i].output.count
            for buffer in [outputs[i], currents[i], membranes[i], preReset[i], auxiliary[i]] {
                buffer.update(repeating: 0, count: n)
            }
            if let line = lines[i], case .delay(let d) = network.spec.layers[i].kind { line.update(repeating: 0, count: (d + 1) * n) }
        }
        recorder?.reset()
    }

    /// Advances the whole network one timestep for the batch, records it, then runs the
    /// learning rules.
    public func step() {
        t += 1
        let frameStride = batch * inputCount
        network.spec.encoder.encode(step: t - 1, timesteps: timesteps, samples: input, batch: batch,
                                    features: inputCount, rng: &rng,
                                    frameOffset: { b, t in t * frameStride + b * self.inputCount }, out: encoded)
        var x = UnsafePointer(encoded)
        for (i, layer) in network.spec.layers.enumerated() {
            transform(i, layer, x)
            if let neuron = layer.neuron {
                let n = batch * network.shapes[i].output.count
                neuron.step(n, NeuronBuffers(current: currents[i], v: membranes[i], a: auxiliary[i],
                                             u: preReset[i], s: outputs[i]), spike: Heaviside<Float>())
            }
            x = UnsafePointer(outputs[i])
        }
        if recorder != nil {
            let last = network.spec.layers.count - 1
            let logits = network.spec.hasReadout
                ? UnsafeBufferPointer(start: outputs[last], count: batch * network.shapes[last].output.count) : nil
            recorder?.append(outputs: { self.output(layer: $0) }, membrane: { self.preResetMembrane(layer: $0) }, logits: logits,
                             input: UnsafeBufferPointer(start: encoded, count: batch * inputCount),
                             secondState: { UnsafeBufferPointer(start: self.auxiliary[$0], count: self.batch * self.network.shapes[$0].output.count) })
        }
        for rule in learningRules { rule.afterStep(self) }
    }

    /// Runs `steps` steps.
    public func run(steps: Int) { for _ in 0..<steps { step() } }

    /// A layer's output of the last step, (B, N): spikes for neuron layers, else the transform's output.
    public func output(layer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: outputs[i], count: batch * network.shapes[i].output.count)
    }

    /// A layer's input of the last step, (B, I): the previous layer's output, or the encoded
    /// input for the first layer (a learning rule's presynaptic activity).
    public func input(layer i: Int) -> UnsafeBufferPointer<Float> {
        i == 0 ? UnsafeBufferPointer(start: encoded, count: batch * inputCount) : output(layer: i - 1)
    }

    /// A layer's membrane after the last step's reset, (B, N); the transform output for layers without neurons.
    public func membrane(layer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: membranes[i], count: batch * network.shapes[i].output.count)
    }

    /// A layer's membrane before the last step's reset, (B, N): the value that was compared with θ.
    public func preResetMembrane(layer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: preReset[i], count: batch * network.shapes[i].output.count)
    }

    /// The readout's logits of the last step for batch element `b`, or empty without a readout.
    public func logits(batchIndex b: Int = 0) -> ArraySlice<Float> {
        guard let classes = network.classCount else { return [] }
        let out = output(layer: network.spec.layers.count - 1)
        return Array(out[(b * classes)..<((b + 1) * classes)])[...]
    }

    /// Spikes (outputs > 0) of layer `i` at the last step for batch element `b`.
    public func spikeCount(layer i: Int, batchIndex b: Int = 0) -> Int {
        let n = network.shapes[i].output.count, out = output(layer: i)
        var c = 0
        for k in (b * n)..<((b + 1) * n) where out[k] > 0 { c += 1 }
        return c
    }

    /// Changes layer `i`'s parameters between steps (the one way to change weights while
    /// stepping): `body` edits them in place, then every derived copy (the transposed dense
    /// weights of the event path) is rebuilt. The parameter shapes must not change.
    public func updateParameters(layer i: Int, _ body: (inout LayerParameters) -> Void) {
        let before = network.parameters[i]
        body(&network.parameters[i])
        let after = network.parameters[i]
        precondition(after.weight.count == before.weight.count && after.bias.count == before.bias.count
                     && after.recurrent.count == before.recurrent.count, "updateParameters changed a shape")
        syncDerived(layer: i)
    }

    /// Rebuilds layer i's copies derived from its weights.
    private func syncDerived(layer i: Int) {
        guard let w = weightT[i], case .dense(let o) = network.spec.layers[i].kind else { return }
        let inputs = network.shapes[i].input.count, p = network.parameters[i].weight
        if batch > 1 {
            p.withUnsafeBufferPointer { Kernels.packEvents(weight: $0.baseAddress!, inputs: inputs, outputs: o, packed: w) }
            return
        }
        for r in 0..<o { for c in 0..<inputs { w[c * o + r] = p[r * inputs + c] } }
    }

    // MARK: - one step's parts

    /// The batched event product with the samples in `eventChunks` parts that both cores take
    /// as they come free (a part per thread would leave one core waiting while the other thread
    /// wakes up); a small product runs on the calling thread. Each sample's sums are the same
    /// whichever thread computes them.
    private func eventsOnTwoThreads(x: UnsafePointer<Float>, inputs: Int, packed: UnsafePointer<Float>, outputs: Int,
                                    out: UnsafeMutablePointer<Float>) {
        let b = batch, parts = min(Simulation.eventChunks, b), size = (b + parts - 1) / parts
        let run = { (part: Int) in
            let rows = min(part * size, b)..<min((part + 1) * size, b)
            if rows.isEmpty { return }
            Kernels.denseEvents(x: x + rows.lowerBound * inputs, batch: rows.count, inputs: inputs, packed: packed,
                                outputs: outputs, out: out + rows.lowerBound * outputs)
        }
        if b * inputs * outputs < 1 << 22 { for part in 0..<parts { run(part) }; return }
        concurrently(parts, run)
    }

    /// Parts a batched event product is cut into for the two cores.
    static let eventChunks = 4

    private func transform(_ i: Int, _ layer: LayerSpec, _ x: UnsafePointer<Float>) {
        let (inShape, outShape) = network.shapes[i]
        let cur = currents[i]
        network.parameters[i].weight.withUnsafeBufferPointer { w in
        network.parameters[i].bias.withUnsafeBufferPointer { bias in
            let b = bias.isEmpty ? nil : bias.baseAddress
            switch layer.kind {
            case .dense(let o), .recurrentDense(let o):
                let inputs = inShape.count
                if let wt = weightT[i] {
                    let values = batch * inputs
                    let nonzero = Kernels.countNonzero(x, values)
                    if batch == 1 ? nonzero * 3 < inputs : Double(nonzero) < Kernels.eventsDensityLimit * Double(values) {
                        for r in 0..<batch {
                            if let b { (cur + r * o).update(from: b, count: o) } else { (cur + r * o).update(repeating: 0, count: o) }
                        }
                        if batch == 1 {
                            Kernels.denseEvents(x: x, inputs: inputs, weightT: wt, outputs: o, out: cur)
                        } else {
                            eventsOnTwoThreads(x: x, inputs: inputs, packed: wt, outputs: o, out: cur)
                        }
                        return
                    }
                }
                Kernels.dense(x: x, batch: batch, inputs: inputs, weight: w.baseAddress!, bias: b, outputs: o, out: cur)
                if case .recurrentDense = layer.kind {
                    network.parameters[i].recurrent.withUnsafeBufferPointer { r in
                        Kernels.recurrent(spikes: outputs[i], batch: batch, neurons: o, weight: r.baseAddress!, out: cur)
                    }
                }
            case .conv2d, .conv1d:
                guard let g = layer.kind.convGeometry else { return }   // every conv kind has one
                Kernels.conv(x: x, batch: batch, channels: inShape.channels, height: inShape.height,
                             width: inShape.width, weight: w.baseAddress!, bias: b, g,
                             outHeight: outShape.height, outWidth: outShape.width, cols: cols[i]!, out: cur)
            case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
                Kernels.pool(Kernels.Pool(layer.kind)!, x: x, batch: batch, channels: inShape.channels,
                             height: inShape.height, width: inShape.width, kernel: k, out: cur)
            case .flatten:
                cur.update(from: x, count: batch * inShape.count)
            case .delay(let d):
                // Step t writes its input to slot t mod (d + 1) and reads the one written d steps
                // before (zeros until then: the ring is cleared on reset).
                let n = batch * inShape.count, line = lines[i]!
                (line + (t % (d + 1)) * n).update(from: x, count: n)
                cur.update(from: line + ((t + 1) % (d + 1)) * n, count: n)
            case .batchNorm(let eps):
                let p = network.parameters[i]
                p.runningMean.withUnsafeBufferPointer { m in
                p.runningVar.withUnsafeBufferPointer { v in
                    Kernels.batchNormInference(x: x, batch: batch, channels: inShape.channels,
                                               spatial: inShape.height * inShape.width, gamma: w.baseAddress!,
                                               beta: bias.baseAddress!, mean: m.baseAddress!, variance: v.baseAddress!,
                                               epsilon: eps, out: cur)
                }}
            }
        }}
    }
}

/// A rule that changes a simulation's weights as it steps (plasticity), run after every
/// `Simulation.step()`. It reads `input(layer:)` (presynaptic), `output(layer:)` (postsynaptic
/// spikes), `membrane(layer:)` and `preResetMembrane(layer:)`, and writes through
/// `updateParameters(layer:_:)`.
public protocol LearningRule: AnyObject {
    /// Called once after each step, with the step's activity readable in `simulation`.
    func afterStep(_ simulation: Simulation)
}
