/// Parameters of an integrate-and-fire neuron (no leak).
///
///     u[t] = v[t−1] + I[t]
///     s[t] = H(u[t] − θ);  v[t] = reset(u[t], s[t])
///
/// It is the LIF step with β = 1 and no refractory period (`LIFParameters.leakyStep`).
public struct IFParameters: Equatable, Sendable {
    /// Firing threshold θ, in membrane units.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Creates IF parameters.
    public init(threshold: Float = 1, reset: ResetMode = .subtract) {
        self.threshold = threshold; self.reset = reset
    }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        LIFParameters.leakyStep(n, b, beta: 1, threshold: S(threshold), reset, spike: spike)
    }
}
