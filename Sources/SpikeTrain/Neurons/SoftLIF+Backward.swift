// Backward of SpikeCore/Neurons/SoftLIF.swift.
import SpikeCore

extension SoftLIFParameters {
    /// dr/dj = r²·τ_rc · sigmoid((j−1)/γ) / (ρ·(1 + ρ)), 0 where ρ underflows;
    /// ∂L/∂I[t] = ∂L/∂out·dt·dr/dj (no state is carried).
    func rateDerivative<S: TrainScalar>(_ j: S) -> S {
        let (rho, x) = overshoot(j)
        guard rho > 0 else { return 0 }
        let r = rate(j)
        let sig = x >= 0 ? 1 / (1 + S.exp(-x)) : S.exp(x) / (1 + S.exp(x))
        return r * r * S(tauRC) * sig / (rho * (1 + rho))
    }

    /// One step of backward for n neurons.
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>) {
        let dt = S(self.dt)
        for k in 0..<n { g.gi[k] = g.gs[k] * dt * rateDerivative(g.u[k]) }
    }
}
