// Backward of SpikeCore/Neurons/AdaptiveThresholdLIF.swift.
import SpikeCore

extension AdaptiveThresholdLIFParameters {
    /// With u_k = β·v[t−1] + I[t] (the stored u is u_k − h), h = h[t−1] (kept in `held`), the
    /// threshold T = θ + h and s = H(u_k − T):
    ///     ∂L/∂s_total = ∂L/∂s + a·gh                       (s[t] raises h[t])
    ///     ∂L/∂u_k = ∂L/∂s_total·σ' + gv·∂v/∂u_k             (∂v/∂u_k as any reset, with T)
    ///     ∂L/∂h   = −∂L/∂s_total·σ' + gv·∂v/∂h + ρ·gh      (a higher threshold spikes less)
    ///         ∂v/∂h: subtract −s + T·σ', zero u_k·σ', none 0 (detached reset: −s, 0, 0);
    ///     ∂L/∂I[t] = ∂L/∂u_k;  gv ← β·∂L/∂u_k;  gh ← ∂L/∂h.
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        let th = S(threshold), beta = S(self.beta), rho = S(self.rho), plus = S(self.plus)
        let u = g.u, s = g.s, gs = g.gs, gi = g.gi, gv = g.gv, gh = g.ga, sur = sg.surrogate
        guard let raised = g.held else { preconditionFailure("adaptive-threshold-lif's backward needs h[t−1] (held)") }
        for k in 0..<n {
            let h = raised[k], uk = u[k] + h, limit = th + h
            let d = sur.derivative(u[k] - th)
            let gsTotal = gs[k] + plus * gh[k]
            let dvdh: S
            switch reset {
            case .subtract: dvdh = sg.detachReset ? -s[k] : -s[k] + limit * d
            case .zero: dvdh = sg.detachReset ? 0 : uk * d
            case .none: dvdh = 0
            }
            let gu = gsTotal * d + gv[k] * sg.dvdu(uk, s[k], d, limit, reset)
            gi[k] = gu
            gh[k] = -gsTotal * d + gv[k] * dvdh + rho * gh[k]
            gv[k] = beta * gu
        }
    }
}
