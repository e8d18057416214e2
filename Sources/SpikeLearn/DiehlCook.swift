// The STDP rule of Diehl & Cook 2015, "Unsupervised learning of digit recognition using
// spike-timing-dependent plasticity" (Front. Comput. Neurosci. 9:99), as their Brian code runs it.
import Foundation

/// Diehl & Cook's rule for the input-to-excitatory weights. Traces are nearest-spike (set to 1
/// by a spike) and decay exponentially: pre (τ 20 ms), post1 (τ 20 ms), post2 (τ 40 ms). Per step:
///
///     pre spike   pre ← 1;  w −= ν_pre·post1                      (ν_pre = 0.0001)
///     post spike  w += ν_post·pre·post2_before;  post1 ← 1; post2 ← 1   (ν_post = 0.01;
///                 post2_before is post2 read before the spike sets it)
///     then w clipped to [0, w_max] (w_max = 1)
///
/// Within a step, pre spikes are handled before post spikes.
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
    /// Steps taken, and the step of each input's and each neuron's last spike (−1: none yet). The
    /// nearest-spike traces are exactly e^(−(now − last)·dt/τ), so they are kept as spike times
    /// and read when a pairing needs them: a step costs the spikes it has, not the synapses.
    private var now = 0, lastPre: [Int], lastPost: [Int]
    /// e^(−k·dt/τ) for k = 0, 1, ... steps, per time constant (pre, post1, post2), for the dt they were made for.
    private var decay: [[Float]] = [[], [], []], decayDt: Float = 0
    /// Scratch: post1 of every neuron and pre of every input, as read at this step.
    private var post1: [Float], preTrace: [Float]

    /// Where weight (output i, input j) sits: `i·inputs + j` (the engine's (out, in)) or, with
    /// `inputsMajor`, `j·outputs + i` (a network that adds whole input rows, as DiehlCookNetwork).
    public let inputsMajor: Bool
    private let outputs: Int

    /// Creates the rule, traces at 0.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, outputs: Int, inputsMajor: Bool = false) {
        self.parameters = parameters; self.inputsMajor = inputsMajor; self.outputs = outputs
        lastPre = [Int](repeating: -1, count: inputs); lastPost = [Int](repeating: -1, count: outputs)
        post1 = [Float](repeating: 0, count: outputs); preTrace = [Float](repeating: 0, count: inputs)
    }

    /// The traces now: pre of each input, post1 and post2 of each neuron (after the last step; dt in s).
    public func traces(dt: Float) -> (pre: [Float], post1: [Float], post2: [Float]) {
        let p = parameters
        return (lastPre.map { trace($0, dt, p.tauPre) }, lastPost.map { trace($0, dt, p.tauPost1) }, lastPost.map { trace($0, dt, p.tauPost2) })
    }

    private func trace(_ last: Int, _ dt: Float, _ tau: Float) -> Float {
        last < 0 ? 0 : Float(exp(-Double(now - last) * Double(dt) / Double(tau)))
    }

    /// The same value as `trace` from the table of trace `which` (0 pre, 1 post1, 2 post2).
    @inline(__always) private func traced(_ last: Int, _ which: Int) -> Float {
        guard last >= 0 else { return 0 }
        let k = now - last
        return k < decay[which].count ? decay[which][k] : 0
    }

    /// Makes the tables for `dt` (once), long enough that a trace beyond them is 0 in Float.
    private mutating func prepare(dt: Float) {
        guard decayDt != dt else { return }
        decayDt = dt
        let p = parameters
        decay = [p.tauPre, p.tauPost1, p.tauPost2].map { tau in
            var table: [Float] = []
            var k = 0
            while true {
                let v = Float(exp(-Double(k) * Double(dt) / Double(tau)))
                if v == 0 || k >= 1 << 20 { break }
                table.append(v); k += 1
            }
            return table
        }
    }

    /// The sum each neuron's incoming weights are scaled to: 78 for 784 inputs, 78/784 per input otherwise.
    public static func total(inputs: Int) -> Float { 78 * Float(inputs) / 784 }

    /// Scales each neuron's incoming weights to sum to `total` (a neuron with all weights 0 is left).
    public static func normalise(_ w: inout DenseWeights, inputs: Int, total: Float, inputsMajor: Bool = false) {
        if inputsMajor {
            // The same sums in the same order (j = 0, 1, ...) as the (out, in) layout, so the same values.
            let outputs = w.count / inputs
            for i in 0..<outputs {
                var sum: Float = 0
                for j in 0..<inputs { sum += w[j * outputs + i] }
                guard sum > 0 else { continue }
                let f = total / sum
                for j in 0..<inputs { w[j * outputs + i] *= f }
            }
            return
        }
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
        now = 0
        for j in lastPre.indices { lastPre[j] = -1 }
        for i in lastPost.indices { lastPost[i] = -1 }
        for k in lastArrival.indices { lastArrival[k] = -1 }
    }

    /// With synaptic delays the pre trace belongs to a synapse, not to an input: the step at which
    /// each synapse's last spike arrived (`inputsMajor` layout; empty until `step(arrivals:)` is used).
    private var lastArrival: [Int32] = []

    /// One step with delayed synapses: `arrivals` are the synapses (indices in the `inputsMajor`
    /// layout, j·outputs + i) whose input spike arrives at this step, `post` the neurons that
    /// spiked. The same rule per synapse: an arrival sets that synapse's pre trace to 1 and depresses
    /// it by ν_pre·post1; a post spike potentiates each synapse by ν_post·pre·post2_before (as Brian
    /// runs `on_pre` at the delayed arrival). Without delays this equals `step(pre:post:)`.
    public mutating func step(arrivals: [Int32], post: [Int], weights w: inout DenseWeights, dt: Float) {
        precondition(inputsMajor, "delayed synapses are kept in the inputs-major layout")
        prepare(dt: dt)
        let p = parameters, n = lastPre.count
        now += 1
        if lastArrival.count != n * outputs { lastArrival = [Int32](repeating: -1, count: n * outputs) }
        if !arrivals.isEmpty {
            for i in lastPost.indices { post1[i] = traced(lastPost[i], 1) }
            let stamp = Int32(now)
            for k32 in arrivals {
                let k = Int(k32), i = k % outputs
                lastArrival[k] = stamp
                if post1[i] != 0 { w[k] = min(p.wMax, max(0, w[k] - p.nuPre * post1[i])) }
            }
        }
        for i in post {
            let before = traced(lastPost[i], 2)
            if before != 0 {
                for j in 0..<n {
                    let k = j * outputs + i, pre = traced(Int(lastArrival[k]), 0)
                    if pre != 0 { w[k] = min(p.wMax, max(0, w[k] + p.nuPost * pre * before)) }
                }
            }
            lastPost[i] = now
        }
    }

    /// One step with input spikes `preSpikes` and excitatory spikes `postSpikes` (0 or 1 each).
    public mutating func step(preSpikes: UnsafeBufferPointer<Float>, postSpikes: UnsafeBufferPointer<Float>,
                              weights w: inout DenseWeights, dt: Float) {
        step(pre: preSpikes.indices.filter { preSpikes[$0] > 0 }, post: postSpikes.indices.filter { postSpikes[$0] > 0 },
             weights: &w, dt: dt)
    }

    /// One step given the indices of the inputs and of the neurons that spiked in it.
    public mutating func step(pre: [Int], post: [Int], weights w: inout DenseWeights, dt: Float) {
        prepare(dt: dt)
        let p = parameters, n = lastPre.count
        now += 1
        if !pre.isEmpty {
            // post1 of every neuron, once for the step's pre spikes
            for i in lastPost.indices { post1[i] = traced(lastPost[i], 1) }
            for j in pre {
                lastPre[j] = now
                for i in post1.indices where post1[i] != 0 {
                    let k = inputsMajor ? j * outputs + i : i * n + j
                    w[k] = min(p.wMax, max(0, w[k] - p.nuPre * post1[i]))
                }
            }
        }
        if !post.isEmpty {
            for j in lastPre.indices { preTrace[j] = traced(lastPre[j], 0) }
            for i in post {
                let before = traced(lastPost[i], 2)
                if before != 0 {
                    for j in 0..<n where preTrace[j] != 0 {
                        let k = inputsMajor ? j * outputs + i : i * n + j
                        w[k] = min(p.wMax, max(0, w[k] + p.nuPost * preTrace[j] * before))
                    }
                }
                lastPost[i] = now
            }
        }
    }
}
