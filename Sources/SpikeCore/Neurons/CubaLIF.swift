/// Parameters of a current-based LIF neuron (a synaptic current state, as NIR's CubaLIF).
///
///     i[t] = α·i[t−1] + I[t]
///     u[t] = β·v[t−1] + i[t]
///     s[t] = H(u[t] − θ);  v[t] = reset(u[t], s[t])
public struct CubaLIFParameters: Equatable, Sendable {
    /// Synaptic current decay per step, α = exp(−dt / τ_syn).
    public var alpha: Float = 0.8
    /// Membrane decay per step, β = exp(−dt / τ_mem).
    public var beta: Float = 0.9
    /// Firing threshold θ.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Creates current-based LIF parameters.
    public init(alpha: Float = 0.8, beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .subtract) {
        self.alpha = alpha; self.beta = beta; self.threshold = threshold; self.reset = reset
    }

    /// One step for n neurons; the synaptic current i lives in `b.a`.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        let th = S(threshold), alpha = S(self.alpha), beta = S(self.beta), mode = reset
        let v = b.v, a = b.a, u = b.u, s = b.s, current = b.current
        for k in 0..<n {
            let ik = alpha * a[k] + current[k]
            a[k] = ik
            let uk = beta * v[k] + ik, sk = spike(uk, th)
            u[k] = uk; s[k] = sk; v[k] = mode.apply(uk, sk, th)
        }
    }
}
