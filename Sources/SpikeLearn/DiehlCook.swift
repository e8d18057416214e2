// The STDP rule of Diehl & Cook 2015, "Unsupervised learning of digit recognition using
// spike-timing-dependent plasticity" (Front. Comput. Neurosci. 9:99), as their Brian code runs it.

/// Diehl & Cook's rule for the input-to-excitatory weights. Traces are nearest-spike (set to 1
/// by a spike) and decay exponentially: pre (τ 20 ms), post1 (τ 20 ms), post2 (τ 40 ms). Per step:
///
///     pre spike   pre ← 1;  w −= ν_pre·post1                      (ν_pre = 0.0001)
///     post spike  w += ν_post·pre·post2_before;  post1 ← 1; post2 ← 1   (ν_post = 0.01;
///                 post2_before is post2 read before the spike sets it)
///     then w clipped to [0, w_max] (w_max = 1)
///
/// The traces decay at the start of each step, then pre spikes are handled before post spikes.
/// `normalise` scales each neuron's incoming weights to sum to `total` before each sample:
/// 78 for 784 inputs (0.1 per input, rounded down as the paper's code has it); for other input
/// counts `total(inputs:)` keeps the same 78/784 per input.
public struct DiehlCook: Sendable {
    /// Parameters (times in seconds).
    public struct Parameters: Equatable, Sendable {
        public var nuPre: Float = 0.0001, nuPost: Float = 0.01
        public var tauPre: Float = 0.020, tauPost1: Float = 0.020, tauPost2: Float = 0.040
        public var wMax: Float = 1
        public init() {}
    }

    public var parameters: Parameters
    /// The pre trace of each input, and the two post traces of each neuron.
    public private(set) var pre: [Float], post1: [Float], post2: [Float]

    /// Creates the rule, traces at 0.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, outputs: Int) {
        self.parameters = parameters
        pre = [Float](repeating: 0, count: inputs)
        post1 = [Float](repeating: 0, count: outputs); post2 = post1
    }

    /// The sum each neuron's incoming weights are scaled to: 78 for 784 inputs, 78/784 per input otherwise.
    public static func total(inputs: Int) -> Float { 78 * Float(inputs) / 784 }

    /// Scales each neuron's incoming weights to sum to `total` (a neuron with all weights 0 is left).
    public static func normalise(_ w: inout DenseWeights, inputs: Int, total: Float) {
        for i in 0..<(w.count / inputs) {
            var sum: Float = 0
            for j in 0..<inputs { sum += w[i * inputs + j] }
            guard sum > 0 else { continue }
            let f = total / sum
            for j in 0..<inputs { w[i * inputs + j] *= f }
        }
    }

    /// Forgets every trace (between samples).
    public mutating func reset() {
        pre = pre.map { _ in 0 }; post1 = post1.map { _ in 0 }; post2 = post2.map { _ in 0 }
    }

    /// One step with input spikes `preSpikes` and excitatory spikes `postSpikes`.
    public mutating func step(preSpikes: UnsafeBufferPointer<Float>, postSpikes: UnsafeBufferPointer<Float>,
                              weights w: inout DenseWeights, dt: Float) {
        let p = parameters, n = pre.count, kind = TraceKind(decay: .exponential, mark: .nearest)
        let kPre = kind.keep(dt: dt, tau: p.tauPre), k1 = kind.keep(dt: dt, tau: p.tauPost1), k2 = kind.keep(dt: dt, tau: p.tauPost2)
        for j in 0..<n { pre[j] *= kPre }
        for i in post1.indices { post1[i] *= k1; post2[i] *= k2 }
        for j in 0..<n where preSpikes[j] > 0 {
            pre[j] = 1
            for i in post1.indices where post1[i] != 0 {
                let k = i * n + j
                w[k] = min(p.wMax, max(0, w[k] - p.nuPre * post1[i]))
            }
        }
        for i in post1.indices where postSpikes[i] > 0 {
            let before = post2[i]
            if before != 0 {
                for j in 0..<n where pre[j] != 0 {
                    let k = i * n + j
                    w[k] = min(p.wMax, max(0, w[k] + p.nuPost * pre[j] * before))
                }
            }
            post1[i] = 1; post2[i] = 1
        }
    }
}
