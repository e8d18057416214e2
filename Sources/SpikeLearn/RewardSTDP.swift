// Reward-modulated STDP: spike-timing pairings leave an eligibility that a later reward turns
// into a weight change.
import Foundation

/// Reward-modulated STDP in three published forms. All share the pairing term of `PairSTDP`
/// (exponential, additive traces updated first; x_j pre with τ₊, y_i post with τ₋):
///
///     ζ_ij = A₊·x_j·[post i spiked] − A₋·y_i·[pre j spiked]        (this step's STDP)
///
/// - `.izhikevich` (Izhikevich 2007, "Solving the distal reward problem", Cereb. Cortex 17):
///   dc/dt = −c/τ_c + ζ, dd/dt = −d/τ_d + reward, dw/dt = c·d. Per step:
///   c ← c·e^(−dt/τ_c) + ζ;  d ← d·e^(−dt/τ_d) + reward;  w += dt·c·d.
///   The paper's values: A₊ = 1, A₋ = 1.5, τ₊ = τ₋ = 20 ms, τ_c = 1 s, τ_d = 0.2 s, w in [0, 4].
/// - `.mstdp` (Florian 2007, "Reinforcement learning through modulation of spike-timing-dependent
///   synaptic plasticity", Neural Comput. 19): dw/dt = γ·r(t)·ζ(t). Per step: w += γ·r·ζ.
/// - `.mstdpet` (Florian 2007, with an eligibility trace): dz/dt = (−z + ζ)/τ_z, dw/dt = γ·r·z.
///   Per step: z ← z·e^(−dt/τ_z) + ζ/τ_z;  w += dt·γ·r·z. Florian's τ_z = 25 ms.
///
/// Weights are clipped to [w_min, w_max] after each change. Florian's γ depends on the task (no
/// single published default): the default here (0.2) is ours, not his.
public struct RewardSTDP: Sendable {
    /// Which published form.
    public enum Form: String, Equatable, Sendable, CaseIterable { case izhikevich, mstdp, mstdpet }
    /// Parameters (times in seconds).
    public struct Parameters: Equatable, Sendable {
        public var form: Form = .izhikevich
        public var aPlus: Float = 1, aMinus: Float = 1.5
        public var tauPlus: Float = 0.020, tauMinus: Float = 0.020
        public var tauC: Float = 1, tauD: Float = 0.2, tauZ: Float = 0.025
        public var gamma: Float = 0.2
        public var wMin: Float = 0, wMax: Float = 4
        public init() {}
    }

    public var parameters: Parameters
    /// Traces, the eligibility (c or z, post×pre) and the dopamine level d.
    public private(set) var pre: [Float], post: [Float], eligibility: [Float], dopamine: Float = 0

    /// Creates the rule, every state at 0.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, outputs: Int) {
        self.parameters = parameters
        pre = [Float](repeating: 0, count: inputs); post = [Float](repeating: 0, count: outputs)
        eligibility = [Float](repeating: 0, count: inputs * outputs)
    }

    /// One step with the step's spikes and `reward` (Izhikevich: dopamine released this step;
    /// Florian: the reward signal r).
    public mutating func step(preSpikes: UnsafeBufferPointer<Float>, postSpikes: UnsafeBufferPointer<Float>, reward: Float,
                              weights w: inout DenseWeights, dt: Float) {
        let p = parameters, n = pre.count, kind = TraceKind()
        kind.advance(&pre, keep: kind.keep(dt: dt, tau: p.tauPlus), spikes: preSpikes)
        kind.advance(&post, keep: kind.keep(dt: dt, tau: p.tauMinus), spikes: postSpikes)
        func zeta(_ i: Int, _ j: Int) -> Float {
            (postSpikes[i] > 0 ? p.aPlus * pre[j] : 0) - (preSpikes[j] > 0 ? p.aMinus * post[i] : 0)
        }
        switch p.form {
        case .izhikevich:
            let kc = Float(exp(-Double(dt / p.tauC)))
            dopamine = dopamine * Float(exp(-Double(dt / p.tauD))) + reward
            for i in post.indices {
                for j in 0..<n {
                    let k = i * n + j
                    eligibility[k] = eligibility[k] * kc + zeta(i, j)
                    if dopamine != 0 { w[k] = min(p.wMax, max(p.wMin, w[k] + dt * eligibility[k] * dopamine)) }
                }
            }
        case .mstdp:
            guard reward != 0 else { return }
            for i in post.indices {
                for j in 0..<n where postSpikes[i] > 0 || preSpikes[j] > 0 {
                    let k = i * n + j
                    w[k] = min(p.wMax, max(p.wMin, w[k] + p.gamma * reward * zeta(i, j)))
                }
            }
        case .mstdpet:
            let kz = Float(exp(-Double(dt / p.tauZ)))
            for i in post.indices {
                for j in 0..<n {
                    let k = i * n + j
                    eligibility[k] = eligibility[k] * kz + zeta(i, j) / p.tauZ
                    if reward != 0 { w[k] = min(p.wMax, max(p.wMin, w[k] + dt * p.gamma * reward * eligibility[k])) }
                }
            }
        }
    }
}
