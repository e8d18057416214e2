// Backward of SpikeCore/Neurons/LI.swift.
import SpikeCore

extension LIParameters {
    /// out[t] = v[t] = β·v[t−1] + I[t]:  ∂L/∂v[t] = ∂L/∂out[t] + gv;  ∂L/∂I[t] = ∂L/∂v[t];
    /// gv ← β·∂L/∂v[t].
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>) {
        let beta = S(self.beta)
        for k in 0..<n {
            let gk = g.gs[k] + g.gv[k]
            g.gi[k] = gk; g.gv[k] = beta * gk
        }
    }
}
