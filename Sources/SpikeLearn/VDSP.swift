// Voltage-dependent synaptic plasticity (Garg, Chakraborty & Rahimi 2022, "Unsupervised and
import Foundation
// efficient learning in sparsely activated convolutional spiking neural networks enabled by
// voltage-dependent synaptic plasticity", Neuromorph. Comput. Eng. 3:014001).

/// VDSP: no traces; the presynaptic neuron's membrane potential stands in for its spike timing.
/// On each postsynaptic spike of neuron i, for every input j with membrane V_j:
///
///     V_j < 0 (it fired recently and was reset below rest)  w_ij += lr·(1 − w_ij)·(exp(−V_j) − 1)
///     V_j > 0 (it is charging, has not fired)               w_ij −= lr·w_ij·(exp(V_j) − 1)
///     then w_ij clipped to [0, 1]
///
/// (V_j = 0 leaves the weight.) The update is multiplicative (soft-bounded) by construction.
public struct VDSP: Sendable {
    /// The learning rate.
    public var lr: Float
    /// Creates the rule.
    public init(lr: Float = 0.001) { self.lr = lr }

    /// The change of weight `w` on a postsynaptic spike, for the input's membrane `v`: the equation above.
    @inline(__always) public static func change(_ w: Float, membrane v: Float, lr: Float) -> Float {
        v < 0 ? lr * (1 - w) * (expf(-v) - 1) : v > 0 ? -lr * w * (expf(v) - 1) : 0
    }

    /// One step: for each postsynaptic spike, the update above with the inputs' membranes `preMembranes`.
    public func step(preMembranes v: UnsafeBufferPointer<Float>, postSpikes: UnsafeBufferPointer<Float>,
                     weights w: inout DenseWeights) {
        let n = v.count
        for i in 0..<postSpikes.count where postSpikes[i] > 0 {
            for j in 0..<n {
                let k = i * n + j
                w[k] = min(1, max(0, w[k] + VDSP.change(w[k], membrane: v[j], lr: lr)))
            }
        }
    }
}
