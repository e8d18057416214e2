// The stepping simulator. Dimension letters: B batch, F input features, N a layer's outputs,
// T timesteps. All buffers are allocated once in `init`; `step()` allocates nothing.

/// Runs a `Network` one timestep at a time for a batch, optionally recording batch element 0.
///
/// Determinism: `reset(stream:)` reseeds the one `Rng` from (seed, stream), so the same network,
/// input, seed and stream give the same spikes on every run.
public final class Simulation {
    /// The network being simulated.
    public let network: Network
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

    private let inputCount: Int                         // F
    private var rng: Rng
    private let input: UnsafeMutablePointer<Float>      // (B, F), or (T, B, F) for frames
    private let inputCapacity: Int
    private let encoded: UnsafeMutablePointer<Float>    // (B, F)
    private var outputs: [UnsafeMutablePointer<Float>]  // per layer (B, N): spikes, or the transform output
    private var currents: [UnsafeMutablePointer<Float>] // per layer (B, N): the transform output (neuron layers)
    private var membranes: [UnsafeMutablePointer<Float>] // per layer (B, N): membranes after the step (neuron layers)
    private var states: [NeuronState]                   // per layer, (B, N) arrays; empty when no neuron
    private var weightT: [UnsafeMutablePointer<Float>?] // dense layers at B = 1: Wᵀ (I, N) for events
    private var cols: [UnsafeMutablePointer<Float>?]    // conv layers: im2col scratch (C·K·K, P·Q)
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
        func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        var allocs: [(UnsafeMutablePointer<Float>, Int)] = []
        func tracked(_ n: Int) -> UnsafeMutablePointer<Float> { let p = alloc(n); allocs.append((p, n)); return p }
        input = tracked(inputCapacity)
        encoded = tracked(batch * inputCount)
        outputs = []; currents = []; membranes = []; states = []; weightT = []; cols = []
        for (i, layer) in network.spec.layers.enumerated() {
            let (inShape, outShape) = network.shapes[i]
            let n = batch * outShape.count
            outputs.append(tracked(n))
            currents.append(layer.neuron != nil ? tracked(n) : outputs[i])
            membranes.append(layer.neuron != nil ? tracked(n) : outputs[i])
            states.append(NeuronState(count: layer.neuron != nil ? n : 0))
            if batch == 1, case .dense(let o) = layer.kind {
                let w = tracked(o * inShape.count), p = network.parameters[i].weight
                for r in 0..<o { for c in 0..<inShape.count { w[c * o + r] = p[r * inShape.count + c] } }
                weightT.append(w)
            } else {
                weightT.append(nil)
            }
            if case let .conv2d(_, k, _, _) = layer.kind {
                cols.append(tracked(inShape.channels * k * k * outShape.height * outShape.width))
            } else {
                cols.append(nil)
            }
        }
        allocations = allocs
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
        for i in states.indices { states[i].reset() }
        for i in outputs.indices {
            let n = batch * network.shapes[i].output.count
            outputs[i].update(repeating: 0, count: n)
            currents[i].update(repeating: 0, count: n)
            membranes[i].update(repeating: 0, count: n)
        }
        recorder?.reset()
    }

    /// Advances the whole network one timestep for the batch, then records it.
    public func step() {
        t += 1
        encode()
        var x = UnsafePointer(encoded)
        for (i, layer) in network.spec.layers.enumerated() {
            transform(i, layer, x)
            if let neuron = layer.neuron {
                neuron.step(&states[i], current: UnsafeBufferPointer(start: currents[i], count: states[i].membrane.count))
                states[i].output.withUnsafeBufferPointer { outputs[i].update(from: $0.baseAddress!, count: $0.count) }
                states[i].membrane.withUnsafeBufferPointer { membranes[i].update(from: $0.baseAddress!, count: $0.count) }
            }
            x = UnsafePointer(outputs[i])
        }
        if recorder != nil {
            let last = network.spec.layers.count - 1
            let logits = network.spec.hasReadout
                ? UnsafeBufferPointer(start: outputs[last], count: batch * network.shapes[last].output.count) : nil
            recorder?.append(outputs: { self.output(layer: $0) }, membrane: { self.membrane(layer: $0) }, logits: logits)
        }
    }

    /// Runs `steps` steps.
    public func run(steps: Int) { for _ in 0..<steps { step() } }

    /// A layer's output of the last step, (B, N): spikes for neuron layers, else the transform's output.
    public func output(layer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: outputs[i], count: batch * network.shapes[i].output.count)
    }

    /// A layer's membrane after the last step, (B, N); the transform output for layers without neurons.
    public func membrane(layer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: membranes[i], count: batch * network.shapes[i].output.count)
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

    // MARK: - one step's parts

    private func encode() {
        let n = batch * inputCount
        switch network.spec.encoder {
        case .direct:
            encoded.update(from: input, count: n)
        case .rate(let gain):
            for k in 0..<n {
                let p = min(max(gain * input[k], 0), 1)
                encoded[k] = rng.nextFloat() < p ? 1 : 0
            }
        case .latency(let threshold):
            let span = Float(timesteps - 1), k0 = Float(t - 1)
            for k in 0..<n {
                let x = min(max(input[k], 0), 1)
                encoded[k] = (x >= threshold && ((1 - x) * span).rounded() == k0) ? 1 : 0
            }
        case .frames:
            if t <= timesteps {
                encoded.update(from: input + (t - 1) * n, count: n)
            } else {
                encoded.update(repeating: 0, count: n)
            }
        }
    }

    private func transform(_ i: Int, _ layer: LayerSpec, _ x: UnsafePointer<Float>) {
        let (inShape, outShape) = network.shapes[i]
        let p = network.parameters[i], cur = currents[i]
        switch layer.kind {
        case .dense(let o), .recurrentDense(let o):
            let inputs = inShape.count
            var nonzero = 0
            if let wt = weightT[i] {
                for k in 0..<inputs where x[k] != 0 { nonzero += 1 }
                if nonzero * 3 < inputs {
                    if p.bias.isEmpty { cur.update(repeating: 0, count: o) } else { cur.update(from: p.bias, count: o) }
                    Kernels.denseEvents(x: x, inputs: inputs, weightT: wt, outputs: o, out: cur)
                    break
                }
            }
            p.weight.withUnsafeBufferPointer { w in
                p.bias.withUnsafeBufferPointer { b in
                    Kernels.dense(x: x, batch: batch, inputs: inputs, weight: w.baseAddress!, bias: b,
                                  outputs: o, out: cur)
                }
            }
            if case .recurrentDense = layer.kind {
                states[i].output.withUnsafeBufferPointer { s in
                    p.recurrent.withUnsafeBufferPointer { r in
                        Kernels.recurrent(spikes: s.baseAddress!, batch: batch, neurons: o, weight: r.baseAddress!, out: cur)
                    }
                }
            }
        case let .conv2d(o, k, stride, pad):
            p.weight.withUnsafeBufferPointer { w in
                p.bias.withUnsafeBufferPointer { b in
                    Kernels.conv2d(x: x, batch: batch, channels: inShape.channels, height: inShape.height,
                                   width: inShape.width, weight: w.baseAddress!, bias: b, outChannels: o,
                                   kernel: k, stride: stride, padding: pad, outHeight: outShape.height,
                                   outWidth: outShape.width, cols: cols[i]!, out: cur)
                }
            }
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            let kind: Kernels.Pool = if case .avgPool2d = layer.kind { .average } else if case .sumPool2d = layer.kind { .sum } else { .max }
            Kernels.pool(kind, x: x, batch: batch, channels: inShape.channels, height: inShape.height,
                         width: inShape.width, kernel: k, out: cur)
        case .flatten:
            cur.update(from: x, count: batch * inShape.count)
        case .batchNorm(let eps):
            Kernels.batchNormInference(x: x, batch: batch, channels: inShape.channels,
                                       spatial: inShape.height * inShape.width, gamma: p.weight, beta: p.bias,
                                       mean: p.runningMean, variance: p.runningVar, epsilon: eps, out: cur)
        }
    }
}
