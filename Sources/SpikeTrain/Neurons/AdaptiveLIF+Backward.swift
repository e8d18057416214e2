// Backward of SpikeCore/Neurons/AdaptiveLIF.swift.
import SpikeCore

extension AdaptiveLIFParameters {
    /// s[t] also feeds a[t]: ∂L/∂s_total = ∂L/∂s + κ·ga;  ∂L/∂u = ∂L/∂s_total·σ' + gv·∂v/∂u;
    /// ∂L/∂I[t] = ∂L/∂u;  gv ← β·∂L/∂u;  ga ← ρ·ga − ∂L/∂u (u subtracts a[t−1]).
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        let th = S(threshold), beta = S(self.beta), rho = S(self.rho), kappa = S(self.kappa)
        let u = g.u, s = g.s, gs = g.gs, gi = g.gi, gv = g.gv, ga = g.ga, sur = sg.surrogate
        for k in 0..<n {
            let d = sur.derivative(u[k] - th)
            let gsTotal = gs[k] + kappa * ga[k]
            let gu = gsTotal * d + gv[k] * sg.dvdu(u[k], s[k], d, th, reset)
            gi[k] = gu; gv[k] = beta * gu; ga[k] = rho * ga[k] - gu
        }
    }
}
