/// Parameters of a LIF neuron with an adaptive threshold (homeostasis: Diehl & Cook 2015's θ).
///
///     u[t] = β·v[t−1] + I[t]
///     s[t] = H(u[t] − (θ + h[t−1]));  v[t] = reset(u[t], s[t], θ + h[t−1])
///     h[t] = ρ·h[t−1] + a·s[t]
///
/// Each spike raises the neuron's own threshold by a; the raise decays slowly (ρ close to 1), so a
/// neuron that fires a lot needs more input to fire again and the others get their turn. The
/// engine's pre-reset membrane `u` is stored as u[t] − h[t−1], the value compared with θ (so the
/// raster, the membrane pane and the threshold line read as for any LIF). The trainer keeps h[t−1]
/// of every step (`held`) for the backward (SpikeTrain/Neurons/AdaptiveThresholdLIF+Backward.swift).
public struct AdaptiveThresholdLIFParameters: Equatable, Sendable {
    /// Membrane decay per step, β.
    public var beta: Float = 0.9
    /// Base threshold θ.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike (subtract takes away θ + h).
    public var reset: ResetMode = .zero
    /// Decay of the threshold raise per step, ρ = exp(−dt / τ_θ).
    public var rho: Float = 0.999
    /// Threshold raise per spike, a.
    public var plus: Float = 0.05
    /// Creates the parameters.
    public init(beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .zero, rho: Float = 0.999, plus: Float = 0.05) {
        self.beta = beta; self.threshold = threshold; self.reset = reset; self.rho = rho; self.plus = plus
    }

    /// One step for n neurons; the threshold raise h lives in `b.a`.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        let th = S(threshold), beta = S(self.beta), rho = S(self.rho), plus = S(self.plus), mode = reset
        let v = b.v, h = b.a, u = b.u, s = b.s, current = b.current
        for k in 0..<n {
            let uk = beta * v[k] + current[k], raise = h[k], sk = spike(uk - raise, th)
            u[k] = uk - raise; s[k] = sk; v[k] = mode.apply(uk, sk, th + raise); b.held?[k] = raise
            h[k] = rho * raise + plus * sk
        }
    }
}
