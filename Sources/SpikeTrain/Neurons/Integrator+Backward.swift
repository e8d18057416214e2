// Backward of SpikeCore/Neurons/Integrator.swift.
import SpikeCore

extension IntegratorParameters {
    /// out[t] = v[t] = v[t−1] + I[t]:  ∂L/∂v[t] = ∂L/∂out[t] + gv;  ∂L/∂I[t] = ∂L/∂v[t];  gv ← ∂L/∂v[t].
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>) {
        for k in 0..<n {
            let gk = g.gs[k] + g.gv[k]
            g.gi[k] = gk; g.gv[k] = gk
        }
    }
}
