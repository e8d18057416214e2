// Backward of SpikeCore/Neurons/LIF.swift and IF.swift.
import SpikeCore

extension IFParameters {
    /// The LIF backward with β = 1.
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        LIFParameters.leakyBackward(n, g, beta: 1, th: S(threshold), reset, sg)
    }
}

extension LIFParameters {
    /// ∂L/∂u = ∂L/∂s·σ' + gv·∂v/∂u;  ∂L/∂I[t] = ∂L/∂u;  gv ← β·∂L/∂u.
    /// Where the neuron was held (refractory), v[t] = v[t−1]: ∂L/∂I = 0 and gv passes unchanged.
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        let th = S(threshold), beta = S(self.beta)
        guard refractorySteps > 0, let hold = g.held else {
            LIFParameters.leakyBackward(n, g, beta: beta, th: th, reset, sg)
            return
        }
        let u = g.u, s = g.s, gs = g.gs, gi = g.gi, gv = g.gv, sur = sg.surrogate
        for k in 0..<n {
            if hold[k] != 0 { gi[k] = 0; continue }
            let d = sur.derivative(u[k] - th)
            let gk = gs[k] * d + gv[k] * sg.dvdu(u[k], s[k], d, th, reset)
            gi[k] = gk; gv[k] = beta * gk
        }
    }

    /// The backward of `leakyStep` with ∂v/∂u = 1 + c1·s + (c2·u + c3)·σ' (subtract: 1 − θσ';
    /// zero: 1 − s − uσ'; detached: no σ' term), the surrogate chosen outside the loop so that
    /// it vectorises.
    @inline(__always)
    static func leakyBackward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, beta: S, th: S, _ mode: ResetMode,
                                              _ sg: SpikeGradient) {
        var c1: S = 0, c2: S = 0, c3: S = 0
        switch mode {
        case .subtract: c3 = sg.detachReset ? 0 : -th
        case .zero: c1 = -1; c2 = sg.detachReset ? 0 : -1
        case .none: break
        }
        let u = g.u, s = g.s, gi = g.gi, gv = g.gv
        @inline(__always) func loop(_ gs: UnsafeMutablePointer<S>, _ d: (S) -> S) {
            for k in 0..<n {
                let uk = u[k], sgk = d(uk - th)
                let gk = gs[k] * sgk + gv[k] * (1 + c1 * s[k] + (c2 * uk + c3) * sgk)
                gi[k] = gk; gv[k] = beta * gk
            }
        }
        // When ∂L/∂I overwrites ∂L/∂s (the graph's shared buffer), the loop is given one pointer
        // for both, so it vectorises without the overlap check that would send it to scalar code.
        @inline(__always) func run(_ d: (S) -> S) {
            if g.gs == gi { loop(gi, d) } else { loop(g.gs, d) }
        }
        switch sg.surrogate {
        case .atan(let a):
            let alpha = S(a), half = alpha / 2, c = S.pi / 2 * alpha
            run { x in let z = c * x; return half / (1 + z * z) }
        case .fastSigmoid(let k):
            let slope = S(k)
            run { x in let d = slope * abs(x) + 1; return 1 / (d * d) }
        case .rectangular, .triangular:
            let sur = sg.surrogate
            run { sur.derivative($0) }
        }
    }
}
