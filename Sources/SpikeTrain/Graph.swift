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
    /// Batches trained before this one. Over time, the running statistics average the first
    /// batches equally (momentum max(0.1, 1/(n+1)), as PyTorch's momentum=None at first), so a
    /// short run leaves usable statistics; per step, they follow PyTorch's momentum 0.1 exactly.
    var bnBatchesSeen = 0

    private(set) var layers: [LayerParams<S>] = []
    private(set) var params: [Param<S>] = []
    private(set) var batch = 0           // b of the last forward
    let trainable: Bool                  // gradient buffers exist

    private let inSteps: [Int]           // St of each layer's input
    private let curSteps: [Int]          // St of each layer's transform output
    private let outSteps: [Int]          // St of each layer's output (T for neuron layers)
    private let needsInputGrad: [Bool]   // some earlier layer has parameters
    private let input: Buf<S>            // (St0, b, F) encoded input
    private(set) var cur: [Buf<S>] = []  // (St, b, N) transform output = the neurons' input current I
    private var out: [Buf<S>] = []       // (T, b, N) spikes, or the same Buf as cur without neuron
    private var mem: [Buf<S>?] = []      // (T, b, N) membrane u before reset (soft-LIF: j)
    private var held: [Buf<S>?] = []     // (T, b, N) 1 where a refractory LIF held its state
    private var xhat: [Buf<S>?] = []     // (St, b, N) batch norm: normalised input
    private var invStd: [Buf<S>?] = []   // (St, C) batch norm: 1/√(σ²_batch + ε)
    private var gCur: [Buf<S>] = []      // like cur: ∂L/∂I
    private var gOut: [Buf<S>] = []      // like out: ∂L/∂output (same Buf as gCur without neuron)
    private let stateV: Buf<S>           // (b, N_max) membrane / carried ∂L/∂v
    private let stateA: Buf<S>           // (b, N_max) second state / carried gradient
    private let collapse: Buf<S>         // (b, N_max) ∂L/∂I summed over steps
    private var convScratch: [ConvScratch<S>] = []   // one per worker
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
            let c: Int = if case .recurrentDense = layer.kind { steps } else { st }
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
            let c = Buf<S>(curS[i] * capacity * nOut)
            cur.append(c)
            let gc = Buf<S>(training ? curS[i] * capacity * nOut : 0)
            gCur.append(gc)
            if let neuron = layer.neuron {
                out.append(Buf(steps * capacity * nOut)); gOut.append(Buf(training ? steps * capacity * nOut : 0))
                mem.append(Buf(steps * capacity * nOut))
                if case .lif(let p) = neuron, p.refractorySteps > 0 { held.append(Buf(steps * capacity * nOut)) } else { held.append(nil) }
            } else {
                out.append(c); gOut.append(gc); mem.append(nil); held.append(nil)
            }
            if case .batchNorm = layer.kind {
                xhat.append(Buf(training ? curS[i] * capacity * nOut : 0))
                invStd.append(Buf(training ? curS[i] * outShape.channels : 0))
            } else {
                xhat.append(nil); invStd.append(nil)
            }
            if case let .conv2d(o, k, _, _) = layer.kind {
                maxCols = max(maxCols, inShape.channels * k * k * outShape.height * outShape.width)
                maxConvOut = max(maxConvOut, nOut)
                maxConvWeights = max(maxConvWeights, o * inShape.channels * k * k)
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

    private func encode(_ images: UnsafeBufferPointer<Float>, _ b: Int, _ rng: inout Rng) {
        let f = spec.inputShape.count, n = b * f
        switch spec.encoder {
        case .direct:
            for k in 0..<n { input.p[k] = S(images[k]) }
        case .rate(let gain):
            for t in 0..<steps {
                let dst = input.p + t * n
                for k in 0..<n {
                    let p = min(max(gain * images[k], 0), 1)
                    dst[k] = rng.nextFloat() < p ? 1 : 0
                }
            }
        case .latency(let threshold):
            let span = Float(steps - 1)
            for t in 0..<steps {
                let dst = input.p + t * n
                for k in 0..<n {
                    let x = min(max(images[k], 0), 1)
                    dst[k] = (x >= threshold && ((1 - x) * span).rounded() == Float(t)) ? 1 : 0
                }
            }
        case .frames:
            for t in 0..<steps {
                for bi in 0..<b {
                    for k in 0..<f { input.p[(t * b + bi) * f + k] = S(images[(bi * steps + t) * f + k]) }
                }
            }
        }
    }

    private func transform(_ i: Int, _ xb: Buf<S>) {
        let b = batch, layer = spec.layers[i], (inShape, outShape) = shapes[i]
        let rows = inSteps[i] * b, x = xb.p, y = cur[i].p, nIn = inShape.count
        let lp = layers[i]
        switch layer.kind {
        case .dense(let o), .recurrentDense(let o):
            var beta: S = 0
            if let bias = lp.bias {
                for r in 0..<rows { (y + r * o).update(from: bias.value.p, count: o) }
                beta = 1
            }
            S.gemm(transA: false, transB: true, m: rows, n: o, k: nIn, alpha: 1, a: x, lda: nIn,
                   b: lp.weight!.value.p, ldb: nIn, beta: beta, c: y, ldc: o)
            if curSteps[i] > inSteps[i] {           // recurrent layer fed a constant input
                for t in 1..<steps { (y + t * b * o).update(from: y, count: b * o) }
            }
        case .conv2d:
            convForward(i, x, rows)
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width
            let isMax: Bool = if case .maxPool2d = layer.kind { true } else { false }
            let scale: S = if case .avgPool2d = layer.kind { 1 / S(k * k) } else { 1 }
            for bc in 0..<(rows * inShape.channels) {
                let src = x + bc * h * w, dst = y + bc * ph * pw
                for p in 0..<ph {
                    for q in 0..<pw {
                        var acc: S = isMax ? -S.infinity : 0
                        if isMax {
                            for dy in 0..<k {
                                let row = src + (p * k + dy) * w + q * k
                                for dx in 0..<k { acc = max(acc, row[dx]) }
                            }
                        } else {
                            for dy in 0..<k {
                                let row = src + (p * k + dy) * w + q * k
                                for dx in 0..<k { acc += row[dx] }
                            }
                        }
                        dst[p * pw + q] = acc * scale
                    }
                }
            }
        case .flatten:
            y.update(from: x, count: rows * nIn)
        case .batchNorm(let eps):
            batchNormForward(i, x, S(eps))
        }
    }

    /// Batch-norm groups of layer i: (count, rows each); a row is one sample at one step.
    private func bnGroups(_ i: Int) -> (Int, Int) {
        bnOverTime ? (1, curSteps[i] * batch) : (curSteps[i], batch)
    }

    private func batchNormForward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ eps: S) {
        let shape = shapes[i].output, c = shape.channels, hw = shape.height * shape.width
        let y = cur[i].p, lp = layers[i]
        let gamma = lp.weight!.value.p, beta = lp.bias!.value.p
        let rm = lp.runningMean!.p, rv = lp.runningVar!.p
        if mode == .inference || !trainable {
            for r in 0..<(curSteps[i] * batch) {
                for ch in 0..<c {
                    let s = gamma[ch] / (rv[ch] + eps).squareRoot(), shift = beta[ch] - s * rm[ch]
                    let base = (r * c + ch) * hw
                    for k in 0..<hw { y[base + k] = s * x[base + k] + shift }
                }
            }
            return
        }
        let xh = xhat[i]!.p, inv = invStd[i]!.p
        // A group is the rows normalised together: every step at once (over time), or one step.
        let (groups, rowsPerGroup) = bnGroups(i)
        let n = S(rowsPerGroup * hw), updates = (!bnOverTime && curSteps[i] == 1) ? steps : 1
        for g in 0..<groups {
            let rows = (g * rowsPerGroup)..<((g + 1) * rowsPerGroup)
            for ch in 0..<c {
                var sum: S = 0
                for r in rows { let base = (r * c + ch) * hw; for k in 0..<hw { sum += x[base + k] } }
                let mean = sum / n
                var sq: S = 0
                for r in rows {
                    let base = (r * c + ch) * hw
                    for k in 0..<hw { let d = x[base + k] - mean; sq += d * d }
                }
                let variance = sq / n
                let istd = 1 / (variance + eps).squareRoot()
                inv[g * c + ch] = istd
                for r in rows {
                    let base = (r * c + ch) * hw
                    for k in 0..<hw {
                        let h = (x[base + k] - mean) * istd
                        xh[base + k] = h
                        y[base + k] = gamma[ch] * h + beta[ch]
                    }
                }
                let unbiased = n > 1 ? sq / (n - 1) : variance
                let m = bnOverTime ? max(bnMomentum, 1 / S(bnBatchesSeen + 1)) : bnMomentum
                for _ in 0..<updates {
                    rm[ch] = (1 - m) * rm[ch] + m * mean
                    rv[ch] = (1 - m) * rv[ch] + m * unbiased
                }
            }
        }
    }

    /// Spike function: H(u − θ), or its smooth stand-in in gradient checks.
    @inline(__always) private func spike(_ u: S, _ th: S) -> S {
        smoothSpikes ? surrogate.primitive(u - th) : (u >= th ? 1 : 0)
    }

    private func neuronForward(_ i: Int) {
        guard let neuron = spec.layers[i].neuron else { return }
        let b = batch, nOut = shapes[i].output.count, n = b * nOut
        let v = stateV.p, a = stateA.p
        v.update(repeating: 0, count: n); a.update(repeating: 0, count: n)
        let recurrent = layers[i].recurrent
        for t in 0..<steps {
            let current = cur[i].p + (curSteps[i] == 1 ? 0 : t * n)
            if let r = recurrent, t > 0 {          // I[t] += s[t−1]·Rᵀ
                S.gemm(transA: false, transB: true, m: b, n: nOut, k: nOut, alpha: 1, a: out[i].p + (t - 1) * n,
                       lda: nOut, b: r.value.p, ldb: nOut, beta: 1, c: current, ldc: nOut)
            }
            let u = mem[i]!.p + t * n, s = out[i].p + t * n
            switch neuron {
            case .integrateAndFire(let p):
                leakyStep(n, u, s, v, current, beta: 1, th: S(p.threshold), p.reset)
            case .lif(let p):
                let th = S(p.threshold), beta = S(p.beta)
                if p.refractorySteps == 0 {
                    leakyStep(n, u, s, v, current, beta: beta, th: th, p.reset)
                } else {
                    let hold = held[i]!.p + t * n, refr = S(p.refractorySteps)
                    for k in 0..<n {
                        if a[k] > 0 {                  // refractory: v held, input ignored, no spike
                            a[k] -= 1; s[k] = 0; u[k] = v[k]; hold[k] = 1
                            continue
                        }
                        hold[k] = 0
                        let uk = beta * v[k] + current[k], sk = spike(uk, th)
                        u[k] = uk; s[k] = sk; v[k] = reset(uk, sk, th, p.reset)
                        a[k] = (uk >= th ? 1 : 0) * refr   // the counter follows the hard spike
                    }
                }
            case .cubaLIF(let p):
                let th = S(p.threshold), alpha = S(p.alpha), beta = S(p.beta)
                for k in 0..<n {
                    let ik = alpha * a[k] + current[k]
                    a[k] = ik
                    let uk = beta * v[k] + ik, sk = spike(uk, th)
                    u[k] = uk; s[k] = sk; v[k] = reset(uk, sk, th, p.reset)
                }
            case .adaptiveLIF(let p):
                let th = S(p.threshold), beta = S(p.beta), rho = S(p.rho), kappa = S(p.kappa)
                for k in 0..<n {
                    let uk = beta * v[k] + current[k] - a[k], sk = spike(uk, th)
                    u[k] = uk; s[k] = sk; v[k] = reset(uk, sk, th, p.reset)
                    a[k] = rho * a[k] + kappa * sk
                }
            case .softLIF(let p):
                for k in 0..<n {
                    u[k] = current[k]
                    s[k] = softLIFRate(p, current[k]).rate * S(p.dt)
                }
            }
        }
    }


    /// IF/LIF step without refractoriness for n neurons: u = β·v + I, s = H(u − θ), v = reset(u, s).
    /// The reset mode and the spike function are chosen outside the loop so that it vectorises.
    @inline(__always)
    private func leakyStep(_ n: Int, _ u: UnsafeMutablePointer<S>, _ s: UnsafeMutablePointer<S>,
                           _ v: UnsafeMutablePointer<S>, _ current: UnsafeMutablePointer<S>,
                           beta: S, th: S, _ mode: ResetMode) {
        if smoothSpikes {
            for k in 0..<n {
                let uk = beta * v[k] + current[k], sk = surrogate.primitive(uk - th)
                u[k] = uk; s[k] = sk; v[k] = reset(uk, sk, th, mode)
            }
            return
        }
        switch mode {
        case .subtract:
            for k in 0..<n {
                let uk = beta * v[k] + current[k], sk: S = uk >= th ? 1 : 0
                u[k] = uk; s[k] = sk; v[k] = uk - th * sk
            }
        case .zero:
            for k in 0..<n {
                let uk = beta * v[k] + current[k], sk: S = uk >= th ? 1 : 0
                u[k] = uk; s[k] = sk; v[k] = uk * (1 - sk)
            }
        case .none:
            for k in 0..<n {
                let uk = beta * v[k] + current[k], sk: S = uk >= th ? 1 : 0
                u[k] = uk; s[k] = sk; v[k] = uk
            }
        }
    }

    /// Backward of `leakyStep` for one step, carrying gv = ∂L/∂v back:
    ///     ∂L/∂u = ∂L/∂s·σ'(u − θ) + gv·∂v/∂u;  ∂L/∂I = ∂L/∂u;  gv ← β·∂L/∂u
    /// with ∂v/∂u = c0 + c1·s + (c2·u + c3)·σ' (subtract: 1 − θσ'; zero: 1 − s − uσ'; detached: no σ' term).
    @inline(__always)
    private func leakyBackward(_ n: Int, _ u: UnsafeMutablePointer<S>, _ s: UnsafeMutablePointer<S>,
                               _ gs: UnsafeMutablePointer<S>, _ gi: UnsafeMutablePointer<S>,
                               _ gv: UnsafeMutablePointer<S>, beta: S, th: S, _ mode: ResetMode) {
        var c1: S = 0, c2: S = 0, c3: S = 0
        switch mode {
        case .subtract: c3 = detachReset ? 0 : -th
        case .zero: c1 = -1; c2 = detachReset ? 0 : -1
        case .none: break
        }
        @inline(__always) func run(_ d: (S) -> S) {
            for k in 0..<n {
                let uk = u[k], sg = d(uk - th)
                let g = gs[k] * sg + gv[k] * (1 + c1 * s[k] + (c2 * uk + c3) * sg)
                gi[k] = g; gv[k] = beta * g
            }
        }
        switch surrogate {
        case .atan(let a):
            let alpha = S(a), half = alpha / 2, c = S.pi / 2 * alpha
            run { x in let z = c * x; return half / (1 + z * z) }
        case .fastSigmoid(let k):
            let slope = S(k)
            run { x in let d = slope * abs(x) + 1; return 1 / (d * d) }
        case .rectangular, .triangular:
            let sur = surrogate
            run { sur.derivative($0) }
        }
    }

    @inline(__always) private func reset(_ u: S, _ s: S, _ th: S, _ mode: ResetMode) -> S {
        switch mode {
        case .zero: return u * (1 - s)
        case .subtract: return u - th * s
        case .none: return u
        }
    }


    // MARK: - convolution, in chunks of rows, optionally on two threads

    /// Rows (samples × stored steps) unfolded together, so each product is (O, C·k·k)·(C·k·k, G·P·Q).
    private static var convChunk: Int { 8 }

    /// Runs `body(worker, rows)` over `workers` contiguous parts of 0..<rows.
    private func splitRows(_ rows: Int, _ body: (Int, Range<Int>) -> Void) {
        let parts = min(workers, rows)
        if parts <= 1 { body(0, 0..<rows); return }
        let half = (rows + 1) / 2
        withoutActuallyEscaping(body) { b in
            let box = UncheckedBox(b)
            DispatchQueue.concurrentPerform(iterations: 2) { w in box.value(w, w == 0 ? 0..<half : half..<rows) }
        }
    }

    /// y (rows, O, P, Q) = W·im2col(x) + b, G rows per product.
    private func convForward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ rows: Int) {
        guard case let .conv2d(o, k, stride, pad) = spec.layers[i].kind else { return }
        let (inShape, outShape) = shapes[i], lp = layers[i], y = cur[i].p
        let pq = outShape.height * outShape.width, ckk = inShape.channels * k * k
        let nIn = inShape.count, nOut = outShape.count, w = lp.weight!.value.p, bias = lp.bias?.value.p
        splitRows(rows) { worker, range in
            let sc = convScratch[worker]
            for c0 in Swift.stride(from: range.lowerBound, to: range.upperBound, by: Graph.convChunk) {
                let g = min(Graph.convChunk, range.upperBound - c0), width = g * pq
                for j in 0..<g { im2col(x + (c0 + j) * nIn, inShape, k, stride, pad, outShape, sc.cols.p + j * pq, width) }
                S.gemm(transA: false, transB: false, m: o, n: width, k: ckk, alpha: 1, a: w, lda: ckk,
                       b: sc.cols.p, ldb: width, beta: 0, c: sc.out.p, ldc: width)
                for j in 0..<g {
                    for oc in 0..<o {
                        let src = sc.out.p + oc * width + j * pq, dst = y + (c0 + j) * nOut + oc * pq
                        let bv: S = bias?[oc] ?? 0
                        for e in 0..<pq { dst[e] = src[e] + bv }
                    }
                }
            }
        }
    }

    /// ∂W, ∂b and ∂x of a convolution from g (rows, O, P, Q), G rows per product.
    private func convBackward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ gy: UnsafeMutablePointer<S>, _ rows: Int,
                              _ gx: UnsafeMutablePointer<S>?) {
        guard case let .conv2d(o, k, stride, pad) = spec.layers[i].kind else { return }
        let (inShape, outShape) = shapes[i], lp = layers[i]
        let pq = outShape.height * outShape.width, ckk = inShape.channels * k * k
        let nIn = inShape.count, nOut = outShape.count, w = lp.weight!.value.p
        let used = min(workers, rows)
        splitRows(rows) { worker, range in
            let sc = convScratch[worker]
            sc.dW.zero(o * ckk); sc.db.zero(o)
            for c0 in Swift.stride(from: range.lowerBound, to: range.upperBound, by: Graph.convChunk) {
                let g = min(Graph.convChunk, range.upperBound - c0), width = g * pq
                for j in 0..<g {
                    for oc in 0..<o {
                        let src = gy + (c0 + j) * nOut + oc * pq, dst = sc.out.p + oc * width + j * pq
                        var s: S = 0
                        for e in 0..<pq { dst[e] = src[e]; s += src[e] }
                        sc.db.p[oc] += s
                    }
                    im2col(x + (c0 + j) * nIn, inShape, k, stride, pad, outShape, sc.cols.p + j * pq, width)
                }
                S.gemm(transA: false, transB: true, m: o, n: ckk, k: width, alpha: 1, a: sc.out.p, lda: width,
                       b: sc.cols.p, ldb: width, beta: 1, c: sc.dW.p, ldc: ckk)
                if let gx {
                    S.gemm(transA: true, transB: false, m: ckk, n: width, k: o, alpha: 1, a: w, lda: ckk,
                           b: sc.out.p, ldb: width, beta: 0, c: sc.cols.p, ldc: width)
                    for j in 0..<g { col2imAdd(sc.cols.p + j * pq, inShape, k, stride, pad, outShape, gx + (c0 + j) * nIn, width) }
                }
            }
        }
        for worker in 0..<max(used, 1) {
            let sc = convScratch[worker], gw = lp.weight!.grad.p
            for e in 0..<(o * ckk) { gw[e] += sc.dW.p[e] }
            if let gb = lp.bias?.grad.p { for oc in 0..<o { gb[oc] += sc.db.p[oc] } }
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

    /// Fills gCur (∂L/∂I) from gOut (∂L/∂s), stepping back through time.
    private func neuronBackward(_ i: Int) {
        guard let neuron = spec.layers[i].neuron else { return }
        let b = batch, nOut = shapes[i].output.count, n = b * nOut
        let gv = stateV.p, ga = stateA.p
        gv.update(repeating: 0, count: n); ga.update(repeating: 0, count: n)
        let recurrent = layers[i].recurrent, detach = detachReset, sur = surrogate
        let collapsed = curSteps[i] == 1
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let u = mem[i]!.p + t * n, s = out[i].p + t * n, gs = gOut[i].p + t * n
            let gi = collapsed ? collapse.p : gCur[i].p + t * n
            func dvdu(_ uk: S, _ sk: S, _ sg: S, _ th: S, _ mode: ResetMode) -> S {
                switch mode {
                case .subtract: return detach ? 1 : 1 - th * sg
                case .zero: return detach ? 1 - sk : 1 - sk - uk * sg
                case .none: return 1
                }
            }
            switch neuron {
            case .integrateAndFire(let p):
                leakyBackward(n, u, s, gs, gi, gv, beta: 1, th: S(p.threshold), p.reset)
            case .lif(let p) where p.refractorySteps == 0:
                leakyBackward(n, u, s, gs, gi, gv, beta: S(p.beta), th: S(p.threshold), p.reset)
            case .lif(let p):
                let th = S(p.threshold), beta = S(p.beta)
                let hold = held[i].map { $0.p + t * n }
                for k in 0..<n {
                    if let hold, hold[k] != 0 { gi[k] = 0; continue }   // v[t] = v[t−1]: ∂L/∂v passes unchanged
                    let sg = sur.derivative(u[k] - th)
                    let g = gs[k] * sg + gv[k] * dvdu(u[k], s[k], sg, th, p.reset)
                    gi[k] = g; gv[k] = beta * g
                }
            case .cubaLIF(let p):
                let th = S(p.threshold), alpha = S(p.alpha), beta = S(p.beta)
                for k in 0..<n {
                    let sg = sur.derivative(u[k] - th)
                    let g = gs[k] * sg + gv[k] * dvdu(u[k], s[k], sg, th, p.reset)
                    let gsyn = g + ga[k]                  // ∂L/∂i[t]
                    gi[k] = gsyn; ga[k] = alpha * gsyn; gv[k] = beta * g
                }
            case .adaptiveLIF(let p):
                let th = S(p.threshold), beta = S(p.beta), rho = S(p.rho), kappa = S(p.kappa)
                for k in 0..<n {
                    let sg = sur.derivative(u[k] - th)
                    let gsTotal = gs[k] + kappa * ga[k]   // s[t] also feeds a[t]
                    let g = gsTotal * sg + gv[k] * dvdu(u[k], s[k], sg, th, p.reset)
                    gi[k] = g; gv[k] = beta * g; ga[k] = rho * ga[k] - g
                }
            case .softLIF(let p):
                let dt = S(p.dt)
                for k in 0..<n { gi[k] = gs[k] * dt * softLIFRate(p, u[k]).derivative }
            }
            if let r = recurrent, t > 0 {          // s[t−1] fed I[t]: ∂L/∂s[t−1] += ∂L/∂I[t]·R
                S.gemm(transA: false, transB: false, m: b, n: nOut, k: nOut, alpha: 1, a: gi, lda: nOut,
                       b: r.value.p, ldb: nOut, beta: 1, c: gOut[i].p + (t - 1) * n, ldc: nOut)
            }
            if collapsed { let g = gCur[i].p; for k in 0..<n { g[k] += gi[k] } }
        }
        if let r = recurrent, steps > 1 {          // ∂R += Σ_t ∂I[t]ᵀ·s[t−1]
            S.gemm(transA: true, transB: false, m: nOut, n: nOut, k: (steps - 1) * b, alpha: 1,
                   a: gCur[i].p + n, lda: nOut, b: out[i].p, ldb: nOut, beta: 1, c: r.grad.p, ldc: nOut)
        }
    }

    /// Parameter gradients of layer i's transform and ∂L/∂x into the previous layer's gOut.
    private func transformBackward(_ i: Int) {
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
            S.gemm(transA: true, transB: false, m: o, n: nIn, k: rows, alpha: 1, a: g, lda: o, b: x, ldb: nIn,
                   beta: 1, c: lp.weight!.grad.p, ldc: nIn)
            if let bias = lp.bias {
                let gb = bias.grad.p
                for r in 0..<rows { let row = g + r * o; for c in 0..<o { gb[c] += row[c] } }
            }
            if let gx {
                S.gemm(transA: false, transB: false, m: rows, n: nIn, k: o, alpha: 1, a: g, lda: o,
                       b: lp.weight!.value.p, ldb: nIn, beta: 1, c: gx, ldc: nIn)
            }
        case .conv2d:
            convBackward(i, x, g, rows, gx)
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            guard let gx else { return }
            let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width
            let isMax: Bool = if case .maxPool2d = layer.kind { true } else { false }
            let scale: S = if case .avgPool2d = layer.kind { 1 / S(k * k) } else { 1 }
            for bc in 0..<(rows * inShape.channels) {
                let src = x + bc * h * w, dst = gx + bc * h * w, gy = g + bc * ph * pw
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
        case .flatten:
            guard let gx else { return }
            for e in 0..<(rows * nIn) { gx[e] += g[e] }
        case .batchNorm:
            let c = outShape.channels, hw = outShape.height * outShape.width
            let xh = xhat[i]!.p, inv = invStd[i]!.p, gamma = lp.weight!.value.p
            let gGamma = lp.weight!.grad.p, gBeta = lp.bias!.grad.p
            let (groups, rowsPerGroup) = bnGroups(i)
            let n = S(rowsPerGroup * hw)
            for grp in 0..<groups {
                let rows = (grp * rowsPerGroup)..<((grp + 1) * rowsPerGroup)
                for ch in 0..<c {
                    var sumG: S = 0, sumGX: S = 0
                    for r in rows {
                        let base = (r * c + ch) * hw
                        for e in 0..<hw { sumG += g[base + e]; sumGX += g[base + e] * xh[base + e] }
                    }
                    gGamma[ch] += sumGX; gBeta[ch] += sumG
                    guard let gx else { continue }
                    // ∂x = γ·invstd/n · (n·∂y − Σ∂y − x̂·Σ(∂y·x̂))
                    let scale = gamma[ch] * inv[grp * c + ch] / n
                    for r in rows {
                        let base = (r * c + ch) * hw
                        for e in 0..<hw { gx[base + e] += scale * (n * g[base + e] - sumG - xh[base + e] * sumGX) }
                    }
                }
            }
        }
    }
}

// MARK: - shared pieces

/// Unfolds x (C, H, W) into cols (C·k·k, P·Q) whose rows lie `ld` values apart.
private func im2col<S: TrainScalar>(_ x: UnsafePointer<S>, _ inShape: FeatureShape, _ k: Int, _ stride: Int,
                                    _ pad: Int, _ outShape: FeatureShape, _ cols: UnsafeMutablePointer<S>, _ ld: Int) {
    let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width
    for c in 0..<inShape.channels {
        for ky in 0..<k {
            for kx in 0..<k {
                let row = cols + ((c * k + ky) * k + kx) * ld
                // stride 1: the valid q form one run, q ∈ [pad − kx, w + pad − kx) ∩ [0, pw)
                let lo = stride == 1 ? min(max(pad - kx, 0), pw) : 0
                let hi = stride == 1 ? max(min(w + pad - kx, pw), lo) : 0
                for p in 0..<ph {
                    let y = p * stride - pad + ky, dst = row + p * pw
                    if y < 0 || y >= h { dst.update(repeating: 0, count: pw); continue }
                    let src = x + (c * h + y) * w
                    if stride == 1 {
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if hi > lo { (dst + lo).update(from: src + (lo - pad + kx), count: hi - lo) }
                        if pw > hi { (dst + hi).update(repeating: 0, count: pw - hi) }
                        continue
                    }
                    for q in 0..<pw {
                        let xx = q * stride - pad + kx
                        dst[q] = (xx >= 0 && xx < w) ? src[xx] : 0
                    }
                }
            }
        }
    }
}

/// Adds cols (C·k·k, P·Q), rows `ld` apart, back onto gx (C, H, W): the adjoint of `im2col`.
private func col2imAdd<S: TrainScalar>(_ cols: UnsafePointer<S>, _ inShape: FeatureShape, _ k: Int, _ stride: Int,
                                       _ pad: Int, _ outShape: FeatureShape, _ gx: UnsafeMutablePointer<S>, _ ld: Int) {
    let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width
    for c in 0..<inShape.channels {
        for ky in 0..<k {
            for kx in 0..<k {
                let row = cols + ((c * k + ky) * k + kx) * ld
                let lo = stride == 1 ? min(max(pad - kx, 0), pw) : 0
                let hi = stride == 1 ? max(min(w + pad - kx, pw), lo) : 0
                for p in 0..<ph {
                    let y = p * stride - pad + ky
                    if y < 0 || y >= h { continue }
                    let dst = gx + (c * h + y) * w, src = row + p * pw
                    if stride == 1 {
                        let shifted = dst + (kx - pad)          // shifted[q] = dst[q − pad + kx]
                        for q in lo..<hi { shifted[q] += src[q] }
                        continue
                    }
                    for q in 0..<pw {
                        let xx = q * stride - pad + kx
                        if xx >= 0 && xx < w { dst[xx] += src[q] }
                    }
                }
            }
        }
    }
}

/// The soft-LIF output rate r(j) (Hz) and its derivative dr/dj, in S:
///     r(j) = 1 / (τ_ref + τ_rc·log(1 + 1/ρ)),  ρ = γ·log(1 + e^{(j−1)/γ})
///     dr/dj = r²·τ_rc · sigmoid((j−1)/γ) / (ρ·(1 + ρ));  r = dr/dj = 0 where ρ underflows.
@inline(__always)
func softLIFRate<S: TrainScalar>(_ p: SoftLIFParameters, _ j: S) -> (rate: S, derivative: S) {
    let gamma = S(p.gamma), x = (j - 1) / gamma
    let rho = gamma * (max(x, 0) + S.log1p(S.exp(-abs(x))))
    guard rho > 0 else { return (0, 0) }
    let r = 1 / (S(p.tauRef) + S(p.tauRC) * S.log1p(1 / rho))
    let sig = x >= 0 ? 1 / (1 + S.exp(-x)) : S.exp(x) / (1 + S.exp(x))
    return (r, r * r * S(p.tauRC) * sig / (rho * (1 + rho)))
}

/// Per-worker convolution scratch: unfolded inputs, a chunk of outputs, and partial ∂W, ∂b.
final class ConvScratch<S: TrainScalar> {
    let cols: Buf<S>     // (C·k·k, G·P·Q); backward reuses it for ∂cols
    let out: Buf<S>      // (O, G·P·Q)
    let dW: Buf<S>       // (O, C·k·k)
    let db: Buf<S>       // (O)
    init(cols: Int, outputs: Int, weights: Int, channels: Int) {
        self.cols = Buf(cols); out = Buf(outputs); dW = Buf(weights); db = Buf(channels)
    }
}

/// Hands a non-Sendable closure to `concurrentPerform`; the workers write disjoint rows and scratch.
struct UncheckedBox<T>: @unchecked Sendable { let value: T; init(_ v: T) { value = v } }
