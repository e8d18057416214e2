/// Parameters of an adaptive LIF neuron with an after-hyperpolarisation (AHP) current.
///
///     u[t] = β·v[t−1] + I[t] − a[t−1]
///     s[t] = H(u[t] − θ);  v[t] = reset(u[t], s[t])
///     a[t] = ρ·a[t−1] + κ·s[t]
public struct AdaptiveLIFParameters: Equatable, Sendable {
    /// Membrane decay per step, β.
    public var beta: Float = 0.9
    /// Firing threshold θ.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .zero
    /// Adaptation decay per step, ρ = exp(−dt / τ_adapt); τ_adapt is usually ≫ τ_mem.
    public var rho: Float = 0.98
    /// Adaptation added by each spike, κ (membrane units per step).
    public var kappa: Float = 0.2
    /// Creates adaptive LIF parameters.
    public init(beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .zero, rho: Float = 0.98, kappa: Float = 0.2) {
        self.beta = beta; self.threshold = threshold; self.reset = reset; self.rho = rho; self.kappa = kappa
    }

    /// One step for n neurons; the adaptation a lives in `b.a`.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        let th = S(threshold), beta = S(self.beta), rho = S(self.rho), kappa = S(self.kappa), mode = reset
        let v = b.v, a = b.a, u = b.u, s = b.s, current = b.current
        for k in 0..<n {
            let uk = beta * v[k] + current[k] - a[k], sk = spike(uk, th)
            u[k] = uk; s[k] = sk; v[k] = mode.apply(uk, sk, th)
            a[k] = rho * a[k] + kappa * sk
        }
    }
}
