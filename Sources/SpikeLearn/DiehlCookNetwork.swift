// The network of Diehl & Cook 2015: digits learned without labels by STDP, competition and
// adaptive thresholds.
import Foundation
import SpikeCore

/// Diehl & Cook's network as their Brian code runs it (parameters of `Parameters`, times in ms):
///
/// - Input: one Poisson neuron per pixel, rate = intensity · 63.75 Hz · (`intensity` / 2) for a
///   pixel in [0, 1] (the paper's pixel/4 Hz for 8-bit pixels at intensity 2).
/// - Excitatory neurons (conductance-based LIF, dt = 0.5 ms):
///   τ dv/dt = (v_rest − v) + g_e·(E_exc − v) + g_i·(E_inh − v), τ = 100 ms, v_rest = v_reset = −65 mV,
///   E_exc = 0, E_inh = −100 mV; dg_e/dt = −g_e/1 ms, dg_i/dt = −g_i/2 ms; spike when
///   v > v_thresh + θ − 20 mV (v_thresh = −52 mV, θ starting at 20 mV), then v ← v_reset and 5 ms
///   refractory; θ += 0.05 mV per spike, decaying with τ_θ = 10⁷ ms (learning only; fixed at test).
/// - Membranes step by exponential Euler, exact while the conductances are held over the step:
///   v ← v∞ + (v − v∞)·e^(−dt·(1 + g_e + g_i)/τ), v∞ = (v_rest + g_e·E_exc + g_i·E_inh)/(1 + g_e + g_i)
///   (as Brian2 integrates conductance-based neurons). Forward Euler is unstable once
///   dt/τ·(1 + g_e + g_i) > 2, which the lateral inhibition of many neurons spiking together
///   reaches (400 neurons: g_i up to 6800): membranes then swing to ±10⁴ mV and every neuron fires.
/// - Inhibitory neurons (one per excitatory neuron): τ = 10 ms, v_rest = −60, v_reset = −45,
///   v_thresh = −40 mV, 2 ms refractory. Excitatory i drives inhibitory i (weight 10.4);
///   inhibitory i inhibits every excitatory neuron but i (weight 17): lateral inhibition.
/// - Input → excitatory weights start uniform in [0, 0.3] (seeded) and learn by `DiehlCook`; before
///   each sample each neuron's incoming weights are scaled to sum to `DiehlCook.total(inputs:)`.
/// - A sample is shown for 350 ms, then 150 ms of silence; when the excitatory neurons spike fewer
///   than 5 times, it is shown again with the intensity raised by 1.
///
/// - Synaptic delays (`delay_ms`, default 0: none; the paper's code uses 10): each input → excitatory
///   synapse is delayed by its own time drawn uniform in [0, delay_ms] (rounded to steps, from the
///   seed, not kept in a checkpoint); a spike then reaches each neuron, and the rule's pre trace of
///   that synapse, at its own step.
///
/// Read out by `ClassAssignment`; `testMatch` says how the network meets a sample with learning off.
public final class DiehlCookNetwork: UnsupervisedNetwork {
    /// Parameters; the defaults are the paper's.
    public struct Parameters: Equatable, Sendable {
        public var neurons = 100
        public var dt: Float = 0.5
        public var presentMs: Float = 350, restMs: Float = 150
        public var tauE: Float = 100, tauI: Float = 10, tauGe: Float = 1, tauGi: Float = 2
        public var restE: Float = -65, resetE: Float = -65, threshE: Float = -52, offset: Float = 20, refractoryE: Float = 5
        public var restI: Float = -60, resetI: Float = -45, threshI: Float = -40, refractoryI: Float = 2
        public var eExc: Float = 0, eInh: Float = -100
        public var thetaStart: Float = 20, thetaPlus: Float = 0.05, tauTheta: Float = 1e7
        public var excToInh: Float = 10.4, inhToExc: Float = 17
        public var initialMax: Float = 0.3
        public var intensity: Float = 2, minimumSpikes = 5
        /// The sum each neuron's incoming weights are scaled to before a sample; 0: `DiehlCook.total(inputs:)`.
        public var weightSum: Float = 0
        /// Largest input → excitatory delay (ms); each synapse's is drawn uniform in [0, delay_ms]. 0: none.
        public var delayMs: Float = 0
        /// How samples are matched with learning off (`TestMatch`; default: as learned).
        public var testMatch = TestMatch()
        public var rule = DiehlCook.Parameters()
        public init() {}

        /// Checks every value is usable; the error names the field by its learning-file key.
        public func validate() throws {
            func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Float) throws {
                if !ok || !value.isFinite { throw LearnParameterError(field: field, expected: expected, found: "\(value)") }
            }
            guard (1...10_000).contains(neurons) else { throw LearnParameterError(field: "neurons", expected: "an integer from 1 to 10000", found: "\(neurons)") }
            try check(dt > 0 && dt <= 10, "dt", "a step in ms, above 0 and at most 10", dt)
            try check(presentMs >= dt && presentMs <= 100_000, "present_ms", "at least one step dt and at most 100000 ms", presentMs)
            try check(restMs >= 0 && restMs <= 100_000, "rest_ms", "0 to 100000 ms", restMs)
            try check((presentMs + restMs) / dt <= 10_000_000, "dt", "a step that cuts a presentation and its rest into at most 10^7 steps", dt)
            for (k, v) in [("tau_e", tauE), ("tau_i", tauI), ("tau_ge", tauGe), ("tau_gi", tauGi), ("tau_theta", tauTheta),
                           ("tau_pre", rule.tauPre), ("tau_post1", rule.tauPost1), ("tau_post2", rule.tauPost2)] {
                try check(v > 0, k, "a time constant above 0", v)
            }
            for (k, v) in [("refractory_e", refractoryE), ("refractory_i", refractoryI), ("theta_plus", thetaPlus), ("exc_to_inh", excToInh),
                           ("inh_to_exc", inhToExc), ("weight_sum", weightSum), ("nu_pre", rule.nuPre), ("nu_post", rule.nuPost)] {
                try check(v >= 0, k, "0 or more", v)
            }
            try check(initialMax > 0, "initial_max", "above 0", initialMax)
            try check(delayMs >= 0 && delayMs / dt <= 255, "delay_ms", "0 to 255 steps of dt (\(255 * dt) ms)", delayMs)
            try check(intensity > 0, "intensity", "above 0 (the Poisson rate is pixel · 63.75 Hz · intensity / 2)", intensity)
            try check(rule.wMax > 0, "w_max", "above 0", rule.wMax)
            try testMatch.validate()
            guard minimumSpikes >= 0 else { throw LearnParameterError(field: "minimum_spikes", expected: "0 or more", found: "\(minimumSpikes)") }
        }
    }

    public let parameters: Parameters
    public let inputs: Int
    public var neurons: Int { parameters.neurons }
    /// Input → excitatory weights, (neurons, inputs).
    public var weights: DenseWeights {
        let n = parameters.neurons
        var w = DenseWeights(repeating: 0, count: n * inputs)
        for j in 0..<inputs { for i in 0..<n { w[i * inputs + j] = byInput[j * n + i] } }
        return w
    }
    /// The same weights stored (inputs, neurons): an input spike adds one contiguous row to every
    /// neuron's conductance (the step's hot loop; the (neurons, inputs) layout made it strided).
    private var byInput: DenseWeights
    /// Adaptive threshold θ of each excitatory neuron (mV).
    public private(set) var theta: [Float]
    private var rule: DiehlCook
    private var rng: Rng
    /// Each synapse's delay in steps, (inputs, neurons); empty without delays.
    private let delays: [UInt8]

    /// A network for `inputs` inputs with weights drawn from `seed`.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, seed: UInt64) {
        self.parameters = parameters; self.inputs = inputs
        rng = Rng(seed: seed)
        var wr = rng.derived(1)
        let n = parameters.neurons
        let drawn: DenseWeights = (0..<(n * inputs)).map { _ in wr.nextFloat() * parameters.initialMax }   // (neurons, inputs), as drawn
        var t = DenseWeights(repeating: 0, count: n * inputs)
        for i in 0..<n { for j in 0..<inputs { t[j * n + i] = drawn[i * inputs + j] } }
        byInput = t
        // delays from a stream of their own, so the weights and the Poisson input are as without them
        var dr = rng.derived(2)
        let steps = parameters.delayMs / parameters.dt
        delays = steps > 0 ? (0..<(n * inputs)).map { _ in UInt8(min(255, (dr.nextFloat() * steps).rounded())) } : []
        theta = [Float](repeating: parameters.thetaStart, count: n)
        rule = DiehlCook(parameters.rule, inputs: inputs, outputs: n, inputsMajor: true)
    }

    /// The sum each neuron's incoming weights are scaled to before a sample.
    public var weightSum: Float { parameters.weightSum > 0 ? parameters.weightSum : DiehlCook.total(inputs: inputs) }

    /// Presentations run so far, counting each repeat at a higher intensity (learning and not).
    public private(set) var presentations = 0
    /// Samples shown so far (`present` calls).
    public private(set) var samples = 0

    /// Shows one sample (pixels in [0, 1]); learns when `learn`. Returns each excitatory neuron's
    /// spike count over the presentation (after any repeats at a higher intensity).
    @discardableResult
    public func present(_ pixels: [Float], learn: Bool) -> [Int] {
        let p = parameters
        if learn { matched = nil; DiehlCook.normalise(&byInput, inputs: inputs, total: weightSum, inputsMajor: true) }
        samples += 1
        // cosine matching: the weights and θ of `matched` stand in for the learned ones over the presentation
        let cosine = !learn && p.testMatch.kind == .cosine
        if cosine {
            if matched == nil {
                matched = (TestMatch.equalNorms(byInput, inputs: inputs, neurons: p.neurons, scale: p.testMatch.scale),
                           [Float](repeating: theta.reduce(0, +) / Float(max(theta.count, 1)), count: theta.count))
            }
            swap(&byInput, &matched!.weights); swap(&theta, &matched!.theta)
        }
        defer { if cosine { swap(&byInput, &matched!.weights); swap(&theta, &matched!.theta) } }
        var intensity = p.intensity
        while true {
            let counts = run(pixels, intensity: intensity, learn: learn)
            presentations += 1
            if counts.reduce(0, +) >= p.minimumSpikes || intensity > p.intensity + 30 { return counts }
            intensity += 1
        }
    }

    /// The state of a presentation, kept between them so a step allocates nothing.
    private struct Scratch {
        var ve: [Float] = [], ge: [Float] = [], gi: [Float] = [], vi: [Float] = [], gei: [Float] = []
        var refE: [Float] = [], refI: [Float] = []
        var buckets: [[Int]] = []
        var post: [Int] = [], own: [Int] = []
        /// With delays: the synapses whose spike arrives at each step, a ring over the longest delay.
        var arriving: [[Int32]] = []
    }
    private var scratch = Scratch()
    /// The weights and θ of cosine matching (`TestMatch`), made at the first presentation after learning.
    private var matched: (weights: DenseWeights, theta: [Float])?

    /// One presentation and its rest (simulated: neurons still driven when the input stops fire,
    /// raise θ and learn in it); returns the spike counts of the presentation.
    private func run(_ pixels: [Float], intensity: Float, learn: Bool) -> [Int] {
        let p = parameters, n = p.neurons, dt = p.dt
        // The kept arrays are moved into locals for the run (a class's stored arrays in a hot loop
        // cost an exclusivity check and a retain per access) and moved back after it.
        var st = Scratch(), theta: [Float] = []
        swap(&st, &scratch); swap(&theta, &self.theta)
        defer { swap(&st, &scratch); swap(&theta, &self.theta) }
        if st.ve.count != n { st.ve = [Float](repeating: 0, count: n); st.ge = st.ve; st.gi = st.ve; st.vi = st.ve; st.gei = st.ve; st.refE = st.ve; st.refI = st.ve }
        for i in 0..<n { st.ve[i] = p.restE; st.ge[i] = 0; st.gi[i] = 0; st.vi[i] = p.restI; st.gei[i] = 0; st.refE[i] = 0; st.refI[i] = 0 }
        var counts = [Int](repeating: 0, count: n)
        let kGe = expf(-dt / p.tauGe), kGi = expf(-dt / p.tauGi)
        // Poisson input as spike steps drawn ahead: the gap to an input's next spike is geometric
        // (P(gap = k) = (1 − p)^(k−1)·p), the same process as a Bernoulli draw each step.
        let present = Int(p.presentMs / dt), total = present + Int(p.restMs / dt)
        if st.buckets.count != present { st.buckets = [[Int]](repeating: [], count: present) }
        for s in 0..<present { st.buckets[s].removeAll(keepingCapacity: true) }
        for j in 0..<inputs {
            let q = min(1, Double(pixels[j]) * 63.75 * Double(intensity / 2) * Double(dt) / 1000)
            guard q > 0 else { continue }
            var s = -1
            while true {
                s += q >= 1 ? 1 : Int(log(Double(max(rng.nextFloat(), 0x1p-24))) / log(1 - q)) + 1
                guard s < present else { break }
                st.buckets[s].append(j)
            }
        }
        rule.reset()
        // θ's decay (τ_θ = 10⁷ ms, a factor 1 − 5·10⁻⁸ a step: below Float's resolution) applied once for presentation and rest
        if learn { for i in 0..<n { theta[i] *= Float(exp(-Double(total) * Double(dt) / Double(p.tauTheta))) } }
        let aE = dt / p.tauE, aI = dt / p.tauI, kI = expf(-aI)
        let silence: [Int] = []
        let delayed = !delays.isEmpty, slots = delayed ? Int(delays.max() ?? 0) + 1 : 0
        if delayed {
            if st.arriving.count != slots { st.arriving = [[Int32]](repeating: [], count: slots) }
            for k in 0..<slots { st.arriving[k].removeAll(keepingCapacity: true) }
        }
        for step in 0..<total {
            let active = step < present ? st.buckets[step] : silence
            if delayed {
                // each synapse of a spiking input is due after its own delay; this step's arrivals add to g_e
                for j in active { let row = j * n; for i in 0..<n { st.arriving[(step + Int(delays[row + i])) % slots].append(Int32(row + i)) } }
                byInput.withUnsafeBufferPointer { w in
                    for k in st.arriving[step % slots] { st.ge[Int(k) % n] += w[Int(k)] }
                }
            } else {
                byInput.withUnsafeBufferPointer { w in
                    st.ge.withUnsafeMutableBufferPointer { g in
                        guard let base = w.baseAddress else { return }
                        for j in active { let row = base + j * n; for i in 0..<n { g[i] += row[i] } }
                    }
                }
            }
            // excitatory neurons
            st.post.removeAll(keepingCapacity: true)
            for i in 0..<n {
                if st.refE[i] > 0 { st.refE[i] -= dt } else {
                    let b = 1 + st.ge[i] + st.gi[i], target = (p.restE + st.ge[i] * p.eExc + st.gi[i] * p.eInh) / b
                    st.ve[i] = target + (st.ve[i] - target) * expf(-aE * b)
                }
                if st.ve[i] > p.threshE + theta[i] - p.offset {
                    st.ve[i] = p.resetE; st.refE[i] = p.refractoryE; st.post.append(i)
                    if step < present { counts[i] += 1 }
                    if learn { theta[i] += p.thetaPlus }
                    st.gei[i] += p.excToInh
                }
                st.ge[i] *= kGe; st.gi[i] *= kGi
            }
            // inhibitory neurons (no inhibitory-to-inhibitory synapses, so their g_i stays 0):
            // each inhibits every excitatory neuron but its own
            var inhibition: Float = 0
            st.own.removeAll(keepingCapacity: true)
            for i in 0..<n {
                if st.refI[i] > 0 { st.refI[i] -= dt } else {
                    let b = 1 + st.gei[i], target = (p.restI + st.gei[i] * p.eExc) / b
                    st.vi[i] = target + (st.vi[i] - target) * (st.gei[i] == 0 ? kI : expf(-aI * b))
                }
                if st.vi[i] > p.threshI { st.vi[i] = p.resetI; st.refI[i] = p.refractoryI; inhibition += p.inhToExc; st.own.append(i) }
                st.gei[i] *= kGe
            }
            if inhibition > 0 {
                for i in 0..<n { st.gi[i] += inhibition }
                for i in st.own { st.gi[i] -= p.inhToExc }
            }
            if delayed {
                if learn { rule.step(arrivals: st.arriving[step % slots], post: st.post, weights: &byInput, dt: dt / 1000) }
                st.arriving[step % slots].removeAll(keepingCapacity: true)
            } else if learn {
                rule.step(pre: active, post: st.post, weights: &byInput, dt: dt / 1000)
            }
        }
        return counts
    }

    /// What a checkpoint holds: the weights (neurons, inputs), θ, and
    /// the counters and random state, so a restored network continues exactly as this one would.
    public func state() -> (tensors: [String: Tensor], metadata: [String: String]) {
        let t = ["weights": Tensor(shape: [parameters.neurons, inputs], data: weights),
                 "theta": Tensor(shape: [parameters.neurons], data: theta)]
        return (t, ["rng": String(rng.state), "samples": String(samples), "presentations": String(presentations)])
    }

    /// Restores a `state()`; the error says what does not fit this network.
    public func restore(tensors: [String: Tensor], metadata: [String: String]) throws {
        let n = parameters.neurons
        guard let w = tensors["weights"], w.shape == [n, inputs] else {
            throw LearnParameterError(field: "weights", expected: "a [\(n), \(inputs)] tensor", found: tensors["weights"].map { "\($0.shape)" } ?? "none")
        }
        guard let th = tensors["theta"], th.shape == [n], th.data.allSatisfy(\.isFinite) else {
            throw LearnParameterError(field: "theta", expected: "a [\(n)] tensor of finite values", found: tensors["theta"].map { "\($0.shape)" } ?? "none")
        }
        guard w.data.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw LearnParameterError(field: "weights", expected: "finite weights of 0 or more", found: "a negative or non-finite value")
        }
        guard let r = metadata["rng"].flatMap(UInt64.init), let done = metadata["samples"].flatMap(Int.init), done >= 0,
              let shown = metadata["presentations"].flatMap(Int.init), shown >= 0 else {
            throw LearnParameterError(field: "metadata", expected: "rng, samples and presentations", found: "\(metadata.keys.sorted())")
        }
        for j in 0..<inputs { for i in 0..<n { byInput[j * n + i] = w.data[i * inputs + j] } }
        theta = th.data; rng.state = r; samples = done; presentations = shown; matched = nil
    }
}
