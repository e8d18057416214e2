// Backward of SpikeCore/Neurons/SoftLIF.swift.
import SpikeCore

extension SoftLIFParameters {
    /// One step of backward for n neurons: ∂L/∂I[t] = ∂L/∂out·A·dr/dj (no state is carried).
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>) {
        let a = S(amplitude), lg = S.log(S(gamma))
        for k in 0..<n { g.gi[k] = g.gs[k] * a * rateAndSlope(g.u[k], slope: true, logGamma: lg).slope }
    }
}
