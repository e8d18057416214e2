// The unrolled network: forward over T steps for a batch, storing what backward needs, and
// reverse-mode gradients through time (BPTT). Dimension letters: T steps, b the current batch
// (at most `capacity`), N a layer's outputs, I its inputs, F input features, K classes,
// O/C out/in channels, P·Q an output map, k a kernel size, St a tensor's stored steps: 1 when
// its value is the same every step (direct input through stateless layers), else T.
// Every tensor is laid out (St, b, N) with row index t·b + batch element.
// The force unwraps below (`lp.weight!`, `mem[i]!`, `xhat[i]!`) read buffers that `init` creates
// for exactly those layer kinds; none of them depends on outside input.
import Foundation
import SpikeCore

/// How the graph runs: training (batch-norm batch statistics) or inference (running statistics).
enum GraphMode { case training, inference }

/// The forward and backward pass of one `ModelSpec` for batches of up to `capacity` samples.
final class Graph<S: TrainScalar> {
    let spec: ModelSpec
    let shapes: [(input: FeatureShape, output: FeatureShape)]
    let steps: Int                       // T
    let capacity: Int                    // largest b
    var surrogate: Surrogate
    var detachReset: Bool
    /// Test-only: spikes s = σ(u − θ) (the surrogate's primitive) instead of H(u − θ), so
    /// finite differences see the derivative backward uses.
    var smoothSpikes = false
    var mode: GraphMode = .training
    var bnMomentum: S = 0.1
    /// Batch statistics over every step at once (T·B·H·W per channel), else per step (B·H·W).
    var bnOverTime = true
    /// Noise on soft-LIF outputs in training (see `RateNoise`), drawn per sample, step and layer
    /// from `noiseSeed` so that a split of the batch never changes it; `noiseFirstSample` is the
    /// batch index of this graph's first sample.
    var rateNoise: RateNoise?
    var noiseSeed: UInt64 = 0
    var noiseFirstSample = 0
    /// Batches trained before this one. Over time, the running statistics average the first
    /// batches equally (momentum max(0.1, 1/(n+1)), as PyTorch's momentum=None at first), so a
    /// short run leaves usable statistics; per step, they follow PyTorch's momentum 0.1 exactly.
    var bnBatchesSeen = 0

    var layers: [LayerParams<S>] = []
    var params: [Param<S>] = []
    var batch = 0           // b of the last forward
    let trainable: Bool                  // gradient buffers exist

    let inSteps: [Int]           // St of each layer's input
    let curSteps: [Int]          // St of each layer's transform output
    let outSteps: [Int]          // St of each layer's output (T for neuron layers)
    let needsInputGrad: [Bool]   // some earlier layer has parameters
    let input: Buf<S>            // (St0, b, F) encoded input
    var cur: [Buf<S>] = []  // (St, b, N) transform output = the neurons' input current I
    var out: [Buf<S>] = []       // (T, b, N) spikes, or the same Buf as cur without neuron
    var mem: [Buf<S>?] = []      // (T, b, N) membrane u before reset (soft-LIF: j)
    var held: [Buf<S>?] = []     // (T, b, N) 1 where a refractory LIF held its state
    var xhat: [Buf<S>?] = []     // (St, b, N) batch norm: normalised input
    var invStd: [Buf<S>?] = []   // (St, C) batch norm: 1/√(σ²_batch + ε)
    var gCur: [Buf<S>] = []      // like cur: ∂L/∂I
    var gOut: [Buf<S>] = []      // like out: ∂L/∂output (same Buf as gCur without neuron)
    let stateV: Buf<S>           // (b, N_max) membrane / carried ∂L/∂v
    let stateA: Buf<S>           // (b, N_max) second state / carried gradient
    let collapse: Buf<S>         // (b, N_max) ∂L/∂I summed over steps
    var convScratch: [ConvScratch<S>] = []   // one per worker
    /// Threads that share the rows of a convolution (each with its own scratch; BLAS should
    /// then run single-threaded).
    var workers = 1 { didSet { workers = max(1, min(workers, 2)) } }
    let logits: Buf<S>                   // (T, b, K) per-step output of the last layer
    let gLogits: Buf<S>                  // (T, b, K)

    /// Builds the graph with the network's current parameters; with `sharing`, the parameter
    /// values (not gradients) and running statistics are those of another graph of the same network.
    /// `training` false allocates no gradient or batch-norm buffers (inference only).
    init(network: Network, steps: Int, capacity: Int, surrogate: Surrogate, detachReset: Bool,
         sharing: Graph<S>? = nil, training: Bool = true) {
        spec = network.spec; shapes = network.shapes; trainable = training
        self.steps = steps; self.capacity = capacity
        self.surrogate = surrogate; self.detachReset = detachReset
        let n = spec.layers.count
        var inS: [Int] = [], curS: [Int] = [], outS: [Int] = [], needs: [Bool] = []
        var st = spec.encoder == .direct ? 1 : steps
        var seenParams = false
        for layer in spec.layers {
            inS.append(st)
            let c: Int = switch layer.kind { case .recurrentDense, .delay: steps; default: st }
            curS.append(c)
            st = layer.neuron != nil ? steps : c
            outS.append(st)
            needs.append(seenParams)
            if layer.kind.hasWeights { seenParams = true }
        }
        inSteps = inS; curSteps = curS; outSteps = outS; needsInputGrad = needs
        input = Buf(inS[0] * capacity * spec.inputShape.count)
        var maxN = 1, maxCols = 1, maxConvOut = 1, maxConvWeights = 1
        for i in 0..<n {
            let (inShape, outShape) = shapes[i], layer = spec.layers[i]
            let nOut = outShape.count
            maxN = max(maxN, nOut)
            // Buffers are shared where one value is dead before the other is written (memory is
            // what limits the batch): see `aliases` below.
            let flattenAlias: Bool = if case .flatten = layer.kind { i > 0 } else { false }
            let c = flattenAlias ? out[i - 1] : Buf<S>(curS[i] * capacity * nOut)
            cur.append(c)
            let gc = !training ? Buf<S>(0) : flattenAlias ? gOut[i - 1] : layer.neuron != nil ? c : Buf<S>(curS[i] * capacity * nOut)
            gCur.append(gc)
            if let neuron = layer.neuron {
                out.append(Buf(steps * capacity * nOut))
                gOut.append(!training ? Buf(0) : curS[i] == steps ? gc : Buf(steps * capacity * nOut))
                mem.append(Buf(steps * capacity * nOut))
                if neuron.keepsHeldMask { held.append(Buf(steps * capacity * nOut)) } else { held.append(nil) }
            } else {
                out.append(c); gOut.append(gc); mem.append(nil); held.append(nil)
            }
            if case .batchNorm = layer.kind {
                xhat.append(!training ? Buf(0) : Graph.overwritable(spec.layers, before: i) ? out[i - 1] : Buf(curS[i] * capacity * nOut))
                invStd.append(Buf(training ? curS[i] * outShape.channels : 0))
            } else {
                xhat.append(nil); invStd.append(nil)
            }
            if let g = layer.kind.convGeometry {
                maxCols = max(maxCols, inShape.channels * g.taps * outShape.height * outShape.width)
                maxConvOut = max(maxConvOut, nOut)
                maxConvWeights = max(maxConvWeights, g.outChannels * inShape.channels * g.taps)
            }
            var lp = LayerParams<S>()
            for (name, shape, keyPath) in network.expectedShapes(layer: i) {
                let values = network.parameters[i][keyPath: keyPath]
                if keyPath == \LayerParameters.runningMean || keyPath == \LayerParameters.runningVar {
                    let b = Buf<S>(values.count)
                    for k in values.indices { b.p[k] = S(values[k]) }
                    if keyPath == \LayerParameters.runningMean { lp.runningMean = b } else { lp.runningVar = b }
                    continue
                }
                let p: Param<S>
                if let other = sharing?.params.first(where: { $0.name == name }) {
                    p = Param(sharing: other)
                } else {
                    p = Param(name: name, shape: shape, layer: i, keyPath: keyPath, values: values)
                }
                params.append(p)
                if keyPath == \LayerParameters.weight { lp.weight = p }
                else if keyPath == \LayerParameters.bias { lp.bias = p }
                else { lp.recurrent = p }
            }
            if let other = sharing?.layers[i] {
                lp.runningMean = other.runningMean; lp.runningVar = other.runningVar
            }
            layers.append(lp)
        }
        stateV = Buf(capacity * maxN); stateA = Buf(capacity * maxN); collapse = Buf(capacity * maxN)
        convScratch = (0..<2).map { _ in ConvScratch(cols: maxCols * Graph.convChunk, outputs: maxConvOut * Graph.convChunk,
                                                     weights: maxConvWeights, channels: maxConvOut) }
        let k = shapes[n - 1].output.count
        logits = Buf(steps * capacity * k); gLogits = Buf(training ? steps * capacity * k : 0)
    }

    // MARK: - the two workers

    /// Runs `body(worker, part)` over `workers` contiguous parts of 0..<count, each part on its
    /// own thread; inline when `work` (the elements the whole call touches) is too small to be
    /// worth a thread. The parts are fixed by `count` alone, so results never depend on timing.
    func parallel(_ count: Int, work: Int = .max, _ body: (Int, Range<Int>) -> Void) {
        let parts = min(workers, count)
        if parts <= 1 || work < parallelWork { body(0, 0..<count); return }
        let half = (count + 1) / 2
        concurrently(2) { w in body(w, w == 0 ? 0..<half : half..<count) }
    }

    /// Below this many elements a pass runs on one thread (a dispatch costs a few microseconds);
    /// tests set 0 to split every pass.
    var parallelWork = 1 << 14

    // MARK: - shared buffers
    //
    // aliases: which buffers one memory serves, and why that is safe.
    // - A neuron layer's current I (cur) is read only by its own forward, so its ∂L/∂I (gCur)
    //   takes its place; when I has every step, ∂L/∂s (gOut) too, since each neuron backward
    //   reads ∂L/∂s[k] before it writes ∂L/∂I[k] at the same k.
    // - A flatten (not first) is a view: its output is its input's buffer, its gradient its input's
    //   gradient; its forward and backward then do nothing.
    // - Batch norm writes x̂ over its input when nothing reads that input again: the output of a
    //   layer without neurons (a convolution's, say) is read only by the next layer's forward.

    /// Whether the output of layer i − 1 (through flatten views) may be overwritten by layer i:
    /// it is not the graph's input and not a neuron layer's output (which its backward reads).
    private static func overwritable(_ layers: [LayerSpec], before i: Int) -> Bool {
        var j = i - 1
        while j >= 0, case .flatten = layers[j].kind { j -= 1 }
        return j >= 0 && layers[j].neuron == nil
    }

    /// Number of outputs of the last layer, K.
    var classes: Int { shapes[shapes.count - 1].output.count }

    /// Copies the current parameters (and batch-norm running statistics) into `network`.
    func store(into network: inout Network) {
        for p in params {
            network.parameters[p.layer][keyPath: p.keyPath] = (0..<p.count).map { Float(p.value.p[$0]) }
        }
        for (i, lp) in layers.enumerated() {
            if let m = lp.runningMean { network.parameters[i].runningMean = (0..<m.count).map { Float(m.p[$0]) } }
            if let v = lp.runningVar { network.parameters[i].runningVar = (0..<v.count).map { Float(v.p[$0]) } }
        }
    }

    /// Copies the batch-norm running statistics of `network` into the graph.
    func loadRunning(from network: Network) {
        for (i, lp) in layers.enumerated() {
            if let m = lp.runningMean { for (e, x) in network.parameters[i].runningMean.enumerated() { m.p[e] = S(x) } }
            if let v = lp.runningVar { for (e, x) in network.parameters[i].runningVar.enumerated() { v.p[e] = S(x) } }
        }
    }

    /// Sets every gradient to zero (once per batch; backward accumulates).
    func zeroGrad() { for p in params { p.grad.zero() } }

    // MARK: - forward

    /// Runs T steps for `b` samples `images` (b, F), or (b, T, F) for the frames encoder, and
    /// fills `logits` (T, b, K). `rng` drives the rate code.
    func forward(images: UnsafeBufferPointer<Float>, batch b: Int, rng: inout Rng) {
        precondition(b >= 1 && b <= capacity, "batch \(b) exceeds capacity \(capacity)")
        batch = b
        encode(images, b, &rng)
        for i in spec.layers.indices {
            let x = i == 0 ? input : out[i - 1]
            transform(i, x)
            if spec.layers[i].neuron != nil { neuronForward(i) }
        }
        let last = spec.layers.count - 1, k = classes
        for t in 0..<steps {
            let src = out[last].p + (outSteps[last] == 1 ? 0 : t * b * k)
            (logits.p + t * b * k).update(from: src, count: b * k)
        }
    }

    /// Encodes the input through the engine's encoder: once for direct input (St = 1), else
    /// step by step. Frames arrive as (b, T, F).
    func encode(_ images: UnsafeBufferPointer<Float>, _ b: Int, _ rng: inout Rng) {
        let f = spec.inputShape.count, n = b * f, steps = self.steps
        for t in 0..<inSteps[0] {
            spec.encoder.encode(step: t, timesteps: steps, samples: images.baseAddress!, batch: b, features: f,
                                rng: &rng, frameOffset: { bi, t in (bi * steps + t) * f }, out: input.p + t * n)
        }
    }

    func transform(_ i: Int, _ xb: Buf<S>) {
        let b = batch, layer = spec.layers[i], (inShape, outShape) = shapes[i]
        let rows = inSteps[i] * b, x = xb.p, y = cur[i].p, nIn = inShape.count
        let lp = layers[i]
        switch layer.kind {
        case .dense(let o), .recurrentDense(let o):
            parallel(rows, work: rows * nIn * o) { _, r in
                Kernels.dense(x: x + r.lowerBound * nIn, batch: r.count, inputs: nIn, weight: lp.weight!.value.p,
                              bias: lp.bias?.value.p, outputs: o, out: y + r.lowerBound * o)
            }
            if curSteps[i] > inSteps[i] {           // recurrent layer fed a constant input
                for t in 1..<steps { (y + t * b * o).update(from: y, count: b * o) }
            }
        case .conv2d, .conv1d:
            convForward(i, x, rows)
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            let nOut = outShape.count
            parallel(rows, work: rows * nIn) { _, r in
                Kernels.pool(Kernels.Pool(layer.kind)!, x: x + r.lowerBound * nIn, batch: r.count, channels: inShape.channels,
                             height: inShape.height, width: inShape.width, kernel: k, out: y + r.lowerBound * nOut)
            }
        case .flatten:
            if y == x { return }                    // a view of its input
            parallel(rows, work: rows * nIn) { _, r in
                (y + r.lowerBound * nIn).update(from: x + r.lowerBound * nIn, count: r.count * nIn)
            }
        case .batchNorm(let eps):
            batchNormForward(i, x, S(eps))
        case .delay(let d):
            // y[t] = x[t − d], zeros for t < d (an input constant over time is x[0] at every step).
            let step = b * nIn, constant = inSteps[i] == 1
            for t in 0..<steps {
                if t < d { (y + t * step).update(repeating: 0, count: step) } else { (y + t * step).update(from: x + (constant ? 0 : (t - d) * step), count: step) }
            }
        }
    }

    // MARK: - backward

    /// Loss gradient of every parameter, accumulated (`+=`) from ∂L/∂z in `gLogits` (T, b, K)
    /// and, when `firingRate` is given, the rate regulariser's gradient; returns the regulariser's value.
    @discardableResult
    func backward(firingRate: (weight: Double, target: Double)? = nil) -> S {
        precondition(trainable, "backward on a graph built for inference")
        let b = batch, last = spec.layers.count - 1, k = classes
        for i in spec.layers.indices {
            gOut[i].zero(outSteps[i] * b * shapes[i].output.count)
            if spec.layers[i].neuron != nil { gCur[i].zero(curSteps[i] * b * shapes[i].output.count) }
        }
        for t in 0..<steps {
            let dst = gOut[last].p + (outSteps[last] == 1 ? 0 : t * b * k), src = gLogits.p + t * b * k
            for e in 0..<(b * k) { dst[e] += src[e] }
        }
        var regulariser: S = 0
        if let firingRate { regulariser = self.firingRate(firingRate, accumulate: true) }
        for i in spec.layers.indices.reversed() {
            if spec.layers[i].neuron != nil { neuronBackward(i) }
            transformBackward(i)
        }
        return regulariser
    }

    /// The firing-rate regulariser w·Σ_l (r_l − target)² of the last forward; with `accumulate`,
    /// also adds its gradient 2w·(r_l − target)/(T·b·N) to every spike's ∂L/∂s.
    func firingRate(_ term: (weight: Double, target: Double), accumulate: Bool = false) -> S {
        var total: S = 0
        for i in spec.layers.indices {
            guard let neuron = spec.layers[i].neuron, neuron.isSpiking else { continue }
            let n = steps * batch * shapes[i].output.count, s = out[i].p, g = gOut[i].p
            var sum: S = 0
            for e in 0..<n { sum += s[e] }
            let d = sum / S(n) - S(term.target)
            total += S(term.weight) * d * d
            if accumulate {
                let ge = 2 * S(term.weight) * d / S(n)
                for e in 0..<n { g[e] += ge }
            }
        }
        return total
    }

    /// Parameter gradients of layer i's transform and ∂L/∂x into the previous layer's gOut.
    func transformBackward(_ i: Int) {
        let b = batch, layer = spec.layers[i], (inShape, outShape) = shapes[i]
        let nIn = inShape.count, nOut = outShape.count, lp = layers[i]
        let x = i == 0 ? input.p : out[i - 1].p
        let gx: UnsafeMutablePointer<S>? = needsInputGrad[i] ? gOut[i - 1].p : nil
        var g = gCur[i].p
        var rows = curSteps[i] * b
        if curSteps[i] > inSteps[i] {               // recurrent fed a constant input: sum over steps
            collapse.p.update(from: g, count: b * nOut)
            for t in 1..<steps { let src = g + t * b * nOut; for e in 0..<(b * nOut) { collapse.p[e] += src[e] } }
            g = collapse.p; rows = b
        }
        switch layer.kind {
        case .dense(let o), .recurrentDense(let o):
            // Worker w computes half of ∂W's (and ∂b's) rows and half of ∂x's rows.
            let gw = lp.weight!.grad.p, w = lp.weight!.value.p, gb = lp.bias?.grad.p
            parallel(2, work: rows * nIn * o) { _, halves in
                for h in halves {
                    let outs = h == 0 ? 0..<(o / 2) : (o / 2)..<o
                    if !outs.isEmpty {
                        S.gemm(transA: true, transB: false, m: outs.count, n: nIn, k: rows, alpha: 1, a: g + outs.lowerBound,
                               lda: o, b: x, ldb: nIn, beta: 1, c: gw + outs.lowerBound * nIn, ldc: nIn)
                    }
                    if let gb { for r in 0..<rows { let row = g + r * o; for c in outs { gb[c] += row[c] } } }
                    let part = h == 0 ? 0..<(rows / 2) : (rows / 2)..<rows
                    if let gx, !part.isEmpty {
                        S.gemm(transA: false, transB: false, m: part.count, n: nIn, k: o, alpha: 1, a: g + part.lowerBound * o,
                               lda: o, b: w, ldb: nIn, beta: 1, c: gx + part.lowerBound * nIn, ldc: nIn)
                    }
                }
            }
        case .conv2d, .conv1d:
            convBackward(i, x, g, rows, gx)
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            guard let gx else { return }
            let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width, ch = inShape.channels
            let isMax: Bool = if case .maxPool2d = layer.kind { true } else { false }
            let scale: S = if case .avgPool2d = layer.kind { 1 / S(k * k) } else { 1 }
            parallel(rows, work: rows * nIn) { _, part in
                for bc in (part.lowerBound * ch)..<(part.upperBound * ch) {
                    let src = x + bc * h * w, dst = gx + bc * h * w, gy = g + bc * ph * pw
                    if k == 2 && !isMax {               // the common case: each ∂y spread over its 2×2 window
                        for p in 0..<ph {
                            let d0 = dst + 2 * p * w, d1 = d0 + w, gr = gy + p * pw
                            for q in 0..<pw {
                                let v = gr[q] * scale
                                d0[2 * q] += v; d0[2 * q + 1] += v; d1[2 * q] += v; d1[2 * q + 1] += v
                            }
                        }
                        continue
                    }
                    for p in 0..<ph {
                        for q in 0..<pw {
                            let gv = gy[p * pw + q]
                            if isMax {
                                var best = -S.infinity, at = 0
                                for dy in 0..<k {
                                    for dx in 0..<k {
                                        let e = (p * k + dy) * w + q * k + dx
                                        if src[e] > best { best = src[e]; at = e }
                                    }
                                }
                                dst[at] += gv
                            } else {
                                for dy in 0..<k { for dx in 0..<k { dst[(p * k + dy) * w + q * k + dx] += gv * scale } }
                            }
                        }
                    }
                }
            }
        case .flatten:
            guard let gx, gx != g else { return }  // a view: the gradient is already its input's
            parallel(rows, work: rows * nIn) { _, part in
                for e in (part.lowerBound * nIn)..<(part.upperBound * nIn) { gx[e] += g[e] }
            }
        case .batchNorm:
            batchNormBackward(i, g, gx)
        case .delay(let d):
            guard let gx else { return }
            let step = b * nIn, constant = inSteps[i] == 1
            for t in d..<max(d, steps) {
                let dst = gx + (constant ? 0 : (t - d) * step), src = g + t * step
                for e in 0..<step { dst[e] += src[e] }
            }
        }
    }
}
