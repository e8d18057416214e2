// Pair-based spike-timing-dependent plasticity with traces.

/// Pair STDP (Bi & Poo 1998; the trace form of Morrison, Diesmann & Gerstner 2008), with the
/// switches frameworks disagree on. Per step of length dt, with presynaptic spikes s_j and
/// postsynaptic spikes s_i (0 or 1):
///
///     traces      x_j (pre, τ₊), y_i (post, τ₋), decayed and marked as `trace` says,
///                 before the pairing (`tracesFirst`, so a pre and a post spike in the same
///                 step pair both ways) or after it
///     post spike  w_ij += A₊·x_j·f₊(w_ij)        (potentiation: pre before post)
///     pre spike   w_ij −= A₋·y_i·f₋(w_ij)        (depression: post before pre)
///     additive        f₊ = f₋ = 1, then w clipped to [w_min, w_max]
///     multiplicative  f₊ = w_max − w, f₋ = w − w_min (soft bounds; Gütig et al. 2003 with μ = 1)
///
/// A pre spike at lag Δ = t_post − t_pre > 0 before a lone post spike thus changes w by
/// A₊·exp(−Δ/τ₊) (exponential traces); the reverse order by −A₋·exp(−Δ/τ₋).
///
/// Defaults (exponential, additive traces, traces first, additive bounds) match Brian2's STDP
/// example (Song, Miller & Abbott 2000); SpikingJelly's `STDPLearner` is euler decay, additive
/// traces, traces first, with its f₊/f₋ as the weight functions.
public struct PairSTDP: Sendable {
    /// Parameters (times in seconds).
    public struct Parameters: Equatable, Sendable {
        public var aPlus: Float = 0.01, aMinus: Float = 0.0105
        public var tauPlus: Float = 0.020, tauMinus: Float = 0.020
        public var wMin: Float = 0, wMax: Float = 1
        public var trace = TraceKind()
        public var tracesFirst = true
        public enum Bound: String, Equatable, Sendable, CaseIterable { case additive, multiplicative }
        public var bound: Bound = .additive
        public init() {}
    }

    public var parameters: Parameters
    /// Pre traces x (pre count) and post traces y (post count).
    public private(set) var pre: [Float], post: [Float]

    /// Creates the rule for `inputs` presynaptic and `outputs` postsynaptic neurons, traces at 0.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, outputs: Int) {
        self.parameters = parameters
        pre = [Float](repeating: 0, count: inputs); post = [Float](repeating: 0, count: outputs)
    }

    /// Forgets every trace.
    public mutating func reset() {
        pre = pre.map { _ in 0 }; post = post.map { _ in 0 }
    }

    /// One step: traces and weight changes for spikes `preSpikes` (inputs) and `postSpikes` (outputs).
    public mutating func step(preSpikes: UnsafeBufferPointer<Float>, postSpikes: UnsafeBufferPointer<Float>,
                              weights w: inout DenseWeights, dt: Float) {
        let p = parameters, n = pre.count
        let keepPre = p.trace.keep(dt: dt, tau: p.tauPlus), keepPost = p.trace.keep(dt: dt, tau: p.tauMinus)
        if p.tracesFirst {
            p.trace.advance(&pre, keep: keepPre, spikes: preSpikes)
            p.trace.advance(&post, keep: keepPost, spikes: postSpikes)
        }
        for i in post.indices where postSpikes[i] > 0 {
            for j in 0..<n where pre[j] != 0 {
                let k = i * n + j
                let f: Float = p.bound == .additive ? 1 : p.wMax - w[k]
                w[k] = min(p.wMax, max(p.wMin, w[k] + p.aPlus * pre[j] * f))
            }
        }
        for j in 0..<n where preSpikes[j] > 0 {
            for i in post.indices where post[i] != 0 {
                let k = i * n + j
                let f: Float = p.bound == .additive ? 1 : w[k] - p.wMin
                w[k] = min(p.wMax, max(p.wMin, w[k] - p.aMinus * post[i] * f))
            }
        }
        if !p.tracesFirst {
            p.trace.advance(&pre, keep: keepPre, spikes: preSpikes)
            p.trace.advance(&post, keep: keepPost, spikes: postSpikes)
        }
    }
}
