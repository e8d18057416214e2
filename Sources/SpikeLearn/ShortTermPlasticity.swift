// Short-term plasticity: a synapse's efficacy that depresses or facilitates with its recent use.
import Foundation

/// The Tsodyks-Markram synapse in its three-state form (Tsodyks, Pawelzik & Markram 1998,
/// "Neural networks with dynamic synapses", Neural Comput. 10:821): resources recovered x,
/// active y, inactive z = 1 − x − y, and the utilisation u for facilitation.
///
///     between spikes   dx/dt = z/τ_rec,  dy/dt = −y/τ_in,  du/dt = −u/τ_facil
///     at a spike       u ← u + U·(1 − u)   (facilitating; u = U without facilitation)
///                      y ← y + u·x;  x ← x − u·x
///
/// Update order: u is raised before x is released (as Tsodyks told Carnevale, ModelDB 3815: else
/// a first spike after long silence releases almost nothing), y before x. Each step first
/// advances the continuous part over dt by exponential Euler with y held over the step (as
/// Brian2's TPM 1998 example does): y ← y·e^(−dt/τ_in), x ← (1 − y) − (1 − y − x)·e^(−dt/τ_rec),
/// u ← u·e^(−dt/τ_facil); then applies a presynaptic spike of this step. The postsynaptic current
/// is A·y; the amount released by a spike is u·x.
///
/// Parameter sets of TPM 1998, Fig. 1: depressing (pyramidal to pyramidal) τ_in 3 ms,
/// τ_rec 800 ms, U 0.5 (Brian2's example uses 0.6 to match the figure); facilitating (pyramidal
/// to interneuron) τ_in 1.5 ms, τ_rec 130 ms, U 0.03, τ_facil 530 ms.
public struct ShortTermPlasticity: Sendable {
    /// Parameters (seconds); τ_facil nil for a synapse without facilitation.
    public struct Parameters: Equatable, Sendable {
        public var tauIn: Float, tauRec: Float, utilisation: Float, tauFacil: Float?
        public init(tauIn: Float, tauRec: Float, utilisation: Float, tauFacil: Float? = nil) {
            self.tauIn = tauIn; self.tauRec = tauRec; self.utilisation = utilisation; self.tauFacil = tauFacil
        }
        /// TPM 1998 Fig. 1A.
        public static let depressing = Parameters(tauIn: 0.003, tauRec: 0.8, utilisation: 0.5)
        /// TPM 1998 Fig. 1B.
        public static let facilitating = Parameters(tauIn: 0.0015, tauRec: 0.13, utilisation: 0.03, tauFacil: 0.53)
    }

    public var parameters: Parameters
    /// Recovered, active and facilitation states of each synapse.
    public private(set) var x: [Float], y: [Float], u: [Float]
    /// What each synapse released at the last step (u·x at its spike, else 0).
    public private(set) var released: [Float]

    /// `count` synapses, fully recovered.
    public init(_ parameters: Parameters, count: Int) {
        self.parameters = parameters
        x = [Float](repeating: 1, count: count); y = [Float](repeating: 0, count: count)
        u = [Float](repeating: 0, count: count); released = y
    }

    /// Inactive resources z = 1 − x − y of synapse k.
    public func z(_ k: Int) -> Float { 1 - x[k] - y[k] }

    /// One step of length dt with presynaptic `spikes` (one per synapse).
    public mutating func step(spikes: UnsafeBufferPointer<Float>, dt: Float) {
        let k = factors(dt)
        for i in x.indices {
            (x[i], y[i], u[i]) = advance(x[i], y[i], u[i], k)
            released[i] = 0
            guard spikes[i] > 0 else { continue }
            u[i] = raised(u[i])
            released[i] = u[i] * x[i]
            y[i] += released[i]
            x[i] -= released[i]
        }
    }

    /// What synapse i would release if its input spiked at the next step of length dt (u·x after
    /// that step's decay and facilitation): the efficacy a spike there gets.
    public func nextRelease(_ i: Int, dt: Float) -> Float {
        let (x1, _, u1) = advance(x[i], y[i], u[i], factors(dt))
        return raised(u1) * x1
    }

    private func factors(_ dt: Float) -> (kIn: Float, kRec: Float, kFacil: Float) {
        let p = parameters
        return (Float(exp(-Double(dt / p.tauIn))), Float(exp(-Double(dt / p.tauRec))), p.tauFacil.map { Float(exp(-Double(dt / $0))) } ?? 0)
    }

    /// The continuous part over one step (exponential Euler, y held over the step).
    private func advance(_ x: Float, _ y: Float, _ u: Float, _ k: (kIn: Float, kRec: Float, kFacil: Float)) -> (Float, Float, Float) {
        let y1 = y * k.kIn
        return ((1 - y1) - (1 - y1 - x) * k.kRec, y1, u * k.kFacil)
    }

    /// u at a spike: raised by U(1 − u) (facilitating), or U.
    private func raised(_ u: Float) -> Float { parameters.tauFacil == nil ? parameters.utilisation : u + parameters.utilisation * (1 - u) }
}
