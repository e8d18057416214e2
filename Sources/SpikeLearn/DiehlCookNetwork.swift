// The network of Diehl & Cook 2015: digits learned without labels by STDP, competition and
// adaptive thresholds.
import Foundation
import SpikeCore

/// Diehl & Cook's network as their Brian code runs it (parameters of `Parameters`, times in ms):
///
/// - Input: one Poisson neuron per pixel, rate = intensity · 63.75 Hz · (`intensity` / 2) for a
///   pixel in [0, 1] (the paper's pixel/4 Hz for 8-bit pixels at intensity 2).
/// - Excitatory neurons (conductance-based LIF, dt = 0.5 ms, Euler):
///   τ dv/dt = (v_rest − v) + g_e·(E_exc − v) + g_i·(E_inh − v), τ = 100 ms, v_rest = v_reset = −65 mV,
///   E_exc = 0, E_inh = −100 mV; dg_e/dt = −g_e/1 ms, dg_i/dt = −g_i/2 ms; spike when
///   v > v_thresh + θ − 20 mV (v_thresh = −52 mV, θ starting at 20 mV), then v ← v_reset and 5 ms
///   refractory; θ += 0.05 mV per spike, decaying with τ_θ = 10⁷ ms (learning only; fixed at test).
/// - Inhibitory neurons (one per excitatory neuron): τ = 10 ms, v_rest = −60, v_reset = −45,
///   v_thresh = −40 mV, 2 ms refractory. Excitatory i drives inhibitory i (weight 10.4);
///   inhibitory i inhibits every excitatory neuron but i (weight 17): lateral inhibition.
/// - Input → excitatory weights start uniform in [0, 0.3] (seeded) and learn by `DiehlCook`; before
///   each sample each neuron's incoming weights are scaled to sum to `DiehlCook.total(inputs:)`.
/// - A sample is shown for 350 ms, then 150 ms of silence; when the excitatory neurons spike fewer
///   than 5 times, it is shown again with the intensity raised by 1.
///
/// After learning, each neuron is assigned the class whose training samples it answers most (mean
/// spike count per class); a test sample's class is the one whose assigned neurons spike most on
/// average. The paper's synaptic delays (0-10 ms) are left out.
public final class DiehlCookNetwork {
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
        public var rule = DiehlCook.Parameters()
        public init() {}
    }

    public let parameters: Parameters
    public let inputs: Int
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
    /// The class assigned to each neuron (nil before `assign`).
    public private(set) var assignments: [Int]?
    private var rule: DiehlCook
    private var rng: Rng

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
        theta = [Float](repeating: parameters.thetaStart, count: n)
        rule = DiehlCook(parameters.rule, inputs: inputs, outputs: n, inputsMajor: true)
    }

    /// Shows one sample (pixels in [0, 1]); learns when `learn`. Returns each excitatory neuron's
    /// spike count over the presentation (after any repeats at a higher intensity).
    @discardableResult
    public func present(_ pixels: [Float], learn: Bool) -> [Int] {
        let p = parameters
        if learn { DiehlCook.normalise(&byInput, inputs: inputs, total: DiehlCook.total(inputs: inputs), inputsMajor: true) }
        var intensity = p.intensity
        while true {
            let counts = run(pixels, intensity: intensity, learn: learn)
            if counts.reduce(0, +) >= p.minimumSpikes || intensity > p.intensity + 30 { return counts }
            intensity += 1
        }
    }

    /// One presentation and its rest; returns the spike counts of the presentation.
    private func run(_ pixels: [Float], intensity: Float, learn: Bool) -> [Int] {
        let p = parameters, n = p.neurons, dt = p.dt
        var ve = [Float](repeating: p.restE, count: n), ge = [Float](repeating: 0, count: n), gi = ge
        var vi = [Float](repeating: p.restI, count: n), gei = ge, gii = ge
        var refE = [Float](repeating: 0, count: n), refI = refE
        var counts = [Int](repeating: 0, count: n)
        let kGe = expf(-dt / p.tauGe), kGi = expf(-dt / p.tauGi)
        // Poisson input as spike steps drawn ahead: the gap to an input's next spike is geometric
        // (P(gap = k) = (1 − p)^(k−1)·p), the same process as a Bernoulli draw each step.
        let present = Int(p.presentMs / dt), total = present + Int(p.restMs / dt)
        var buckets = [[Int]](repeating: [], count: present)
        for j in 0..<inputs {
            let q = min(1, Double(pixels[j]) * 63.75 * Double(intensity / 2) * Double(dt) / 1000)
            guard q > 0 else { continue }
            var s = -1
            while true {
                s += q >= 1 ? 1 : Int(log(Double(max(rng.nextFloat(), 0x1p-24))) / log(1 - q)) + 1
                guard s < present else { break }
                buckets[s].append(j)
            }
        }
        var post: [Int] = []
        rule.reset()
        // θ's decay (τ_θ = 10⁷ ms, a factor 1 − 5·10⁻⁸ a step: below Float's resolution) applied once for the whole run
        if learn { for i in 0..<n { theta[i] *= Float(exp(-Double(total) * Double(dt) / Double(p.tauTheta))) } }
        for step in 0..<total {
            let active = step < present ? buckets[step] : []
            byInput.withUnsafeBufferPointer { w in
                ge.withUnsafeMutableBufferPointer { g in
                    for j in active { let row = w.baseAddress! + j * n; for i in 0..<n { g[i] += row[i] } }
                }
            }
            // excitatory neurons
            post.removeAll(keepingCapacity: true)
            for i in 0..<n {
                if refE[i] > 0 { refE[i] -= dt } else {
                    ve[i] += dt / p.tauE * ((p.restE - ve[i]) + ge[i] * (p.eExc - ve[i]) + gi[i] * (p.eInh - ve[i]))
                }
                if ve[i] > p.threshE + theta[i] - p.offset {
                    ve[i] = p.resetE; refE[i] = p.refractoryE; post.append(i)
                    if step < present { counts[i] += 1 }
                    if learn { theta[i] += p.thetaPlus }
                    gei[i] += p.excToInh
                }
                ge[i] *= kGe; gi[i] *= kGi
            }
            // inhibitory neurons: each inhibits every excitatory neuron but its own
            var inhibition: Float = 0
            var own = [Int]()
            for i in 0..<n {
                if refI[i] > 0 { refI[i] -= dt } else {
                    vi[i] += dt / p.tauI * ((p.restI - vi[i]) + gei[i] * (p.eExc - vi[i]) + gii[i] * (p.eInh - vi[i]))
                }
                if vi[i] > p.threshI { vi[i] = p.resetI; refI[i] = p.refractoryI; inhibition += p.inhToExc; own.append(i) }
                gei[i] *= kGe; gii[i] *= kGi
            }
            if inhibition > 0 {
                for i in 0..<n { gi[i] += inhibition }
                for i in own { gi[i] -= p.inhToExc }
            }
            if learn { rule.step(pre: active, post: post, weights: &byInput, dt: dt / 1000) }
        }
        return counts
    }

    /// Assigns each neuron the class with the largest mean response over `responses` (spike counts per sample) and `labels`.
    public func assign(responses: [[Int]], labels: [Int], classes: Int) {
        let n = parameters.neurons
        var sums = [[Double]](repeating: [Double](repeating: 0, count: classes), count: n)
        var perClass = [Int](repeating: 0, count: classes)
        for (r, label) in zip(responses, labels) {
            perClass[label] += 1
            for i in 0..<n { sums[i][label] += Double(r[i]) }
        }
        assignments = (0..<n).map { i in
            (0..<classes).max { a, b in sums[i][a] / Double(max(perClass[a], 1)) < sums[i][b] / Double(max(perClass[b], 1)) } ?? 0
        }
    }

    /// The class of a response: the one whose assigned neurons spiked most on average (nil before `assign`).
    public func classify(_ response: [Int], classes: Int) -> Int? {
        guard let assignments else { return nil }
        var sums = [Double](repeating: 0, count: classes), members = [Int](repeating: 0, count: classes)
        for (i, c) in assignments.enumerated() { sums[c] += Double(response[i]); members[c] += 1 }
        return (0..<classes).max { a, b in
            (members[a] == 0 ? -1 : sums[a] / Double(members[a])) < (members[b] == 0 ? -1 : sums[b] / Double(members[b]))
        }
    }
}
