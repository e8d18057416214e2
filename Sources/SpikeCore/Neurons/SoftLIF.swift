/// Parameters of the soft-LIF rate neuron (Hunsberger & Eliasmith 2015), for rate-mode runs.
///
///     r(j) = 1 / (τ_ref + τ_rc · log(1 + 1/ρ(j − 1))),   ρ(x) = γ · log(1 + exp(x/γ))
///     u[t] = v[t] = j = I[t];  out[t] = r(j)·dt
///
/// and r = 0 where ρ underflows to 0.
public struct SoftLIFParameters: Equatable, Sendable {
    /// Membrane RC time constant τ_rc, seconds.
    public var tauRC: Float = 0.02
    /// Refractory period τ_ref, seconds.
    public var tauRef: Float = 0.002
    /// Smoothing γ of ρ(x) = γ·log(1 + exp(x/γ)); γ → 0 gives the hard LIF rate.
    public var gamma: Float = 0.02
    /// Step length dt, seconds: the output is r(j)·dt, the expected spikes per step.
    public var dt: Float = 0.001
    /// Creates soft-LIF parameters.
    public init(tauRC: Float = 0.02, tauRef: Float = 0.002, gamma: Float = 0.02, dt: Float = 0.001) {
        self.tauRC = tauRC; self.tauRef = tauRef; self.gamma = gamma; self.dt = dt
    }

    /// The smoothed overshoot ρ(j − 1) = γ·softplus((j − 1)/γ), computed without overflow
    /// (log(1+eˣ) = max(x, 0) + log1p(e^−|x|)), and x = (j − 1)/γ.
    @inlinable @inline(__always)
    public func overshoot<S: SpikeScalar>(_ j: S) -> (rho: S, x: S) {
        let gamma = S(self.gamma), x = (j - 1) / gamma
        return (gamma * (max(x, 0) + S.log1p(S.exp(-abs(x)))), x)
    }

    /// The soft-LIF rate r(j) in Hz for input current j (threshold at j = 1).
    @inlinable
    public func rate<S: SpikeScalar>(_ j: S) -> S {
        let rho = overshoot(j).rho
        guard rho > 0 else { return 0 }
        return 1 / (S(tauRef) + S(tauRC) * S.log1p(1 / rho))
    }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        let dt = S(self.dt)
        for k in 0..<n {
            let j = b.current[k]
            b.u[k] = j; b.v[k] = j
            b.s[k] = rate(j) * dt
        }
    }
}
