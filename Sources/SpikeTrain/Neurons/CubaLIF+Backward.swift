// Backward of SpikeCore/Neurons/CubaLIF.swift.
import SpikeCore

extension CubaLIFParameters {
    /// ∂L/∂u = ∂L/∂s·σ' + gv·∂v/∂u;  ∂L/∂i[t] = ∂L/∂u + ga;  ∂L/∂I[t] = ∂L/∂i[t];
    /// ga ← α·∂L/∂i[t];  gv ← β·∂L/∂u.
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        let th = S(threshold), alpha = S(self.alpha), beta = S(self.beta)
        let u = g.u, s = g.s, gs = g.gs, gi = g.gi, gv = g.gv, ga = g.ga, sur = sg.surrogate
        for k in 0..<n {
            let d = sur.derivative(u[k] - th)
            let gu = gs[k] * d + gv[k] * sg.dvdu(u[k], s[k], d, th, reset)
            let gsyn = gu + ga[k]
            gi[k] = gsyn; ga[k] = alpha * gsyn; gv[k] = beta * gu
        }
    }
}
