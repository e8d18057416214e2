// Backward of SpikeCore/Neurons/CubaLI.swift.
import SpikeCore

extension CubaLIParameters {
    /// out[t] = v[t] = β·v[t−1] + i[t], i[t] = α·i[t−1] + I[t]:  ∂L/∂v[t] = ∂L/∂out[t] + gv;
    /// ∂L/∂i[t] = ∂L/∂v[t] + ga;  ∂L/∂I[t] = ∂L/∂i[t];  ga ← α·∂L/∂i[t];  gv ← β·∂L/∂v[t].
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>) {
        let alpha = S(self.alpha), beta = S(self.beta)
        for k in 0..<n {
            let gvk = g.gs[k] + g.gv[k]
            let gik = gvk + g.ga[k]
            g.gi[k] = gik; g.ga[k] = alpha * gik; g.gv[k] = beta * gvk
        }
    }
}
