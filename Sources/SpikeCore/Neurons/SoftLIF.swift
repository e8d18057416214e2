/// Parameters of the soft-LIF rate neuron (Hunsberger & Eliasmith 2015), for rate-mode runs.
///
///     r(j) = 1 / (τ_ref + τ_rc · log(1 + 1/ρ(j − 1))),   ρ(x) = γ · log(1 + exp(x/γ))
///     u[t] = v[t] = j = I[t];  out[t] = A·r(j)
///
/// The amplitude A (seconds) scales the rate into the layer's output; its spiking twin
/// (RCLIF.swift) emits A/dt per spike, so the two agree on average. A = dt (the default, 1 ms)
/// makes out the expected spikes per step.
public struct SoftLIFParameters: Equatable, Sendable {
    /// Membrane RC time constant τ_rc, seconds.
    public var tauRC: Float = 0.02
    /// Refractory period τ_ref, seconds.
    public var tauRef: Float = 0.002
    /// Smoothing γ of ρ(x) = γ·log(1 + exp(x/γ)); γ → 0 gives the hard LIF rate.
    public var gamma: Float = 0.02
    /// Step length dt, seconds (of the spiking twin; the rate itself has no time).
    public var dt: Float = 0.001
    /// Amplitude A, seconds: out = A·r (default: dt, the expected spikes per step).
    public var amplitude: Float = 0.001
    /// Creates soft-LIF parameters; `amplitude` nil means dt.
    public init(tauRC: Float = 0.02, tauRef: Float = 0.002, gamma: Float = 0.02, dt: Float = 0.001, amplitude: Float? = nil) {
        self.tauRC = tauRC; self.tauRef = tauRef; self.gamma = gamma; self.dt = dt; self.amplitude = amplitude ?? dt
    }

    /// The soft-LIF rate r(j) in Hz for input current j (threshold at j = 1).
    @inlinable
    public func rate<S: SpikeScalar>(_ j: S) -> S { rateAndSlope(j, slope: false, logGamma: S.log(S(gamma))).rate }

    /// r(j) and, when `slope`, dr/dj = r²·τ_rc·σ((j−1)/γ) / (ρ·(1 + ρ)); forward and backward share
    /// it. With x = (j − 1)/γ, only |x| ≤ 15 needs exp and log1p: below, ρ = γ·eˣ to float precision,
    /// so log(1 + 1/ρ) = −log γ − x and σ/ρ = 1/γ; above, ρ = γ·x and σ = 1. (The rate then falls
    /// off far below threshold as 1/(−x) instead of underflowing to 0.) `logGamma` is log γ.
    @inlinable @inline(__always)
    public func rateAndSlope<S: SpikeScalar>(_ j: S, slope: Bool, logGamma: S) -> (rate: S, slope: S) {
        let gamma = S(self.gamma), x = (j - 1) / gamma, tr = S(tauRef), tc = S(tauRC)
        if x < -15 {
            let r = 1 / (tr + tc * (-logGamma - x))
            return (r, slope ? r * r * tc / gamma : 0)
        }
        if x > 15 {
            let rho = gamma * x, r = 1 / (tr + tc * S.log1p(1 / rho))
            return (r, slope ? r * r * tc / (rho * (1 + rho)) : 0)
        }
        let e = S.exp(-abs(x)), rho = gamma * (max(x, 0) + S.log1p(e))
        let r = 1 / (tr + tc * S.log1p(1 / rho))
        guard slope else { return (r, 0) }
        let sig = x >= 0 ? 1 / (1 + e) : e / (1 + e)
        return (r, r * r * tc * sig / (rho * (1 + rho)))
    }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        let a = S(amplitude), lg = S.log(S(gamma))
        for k in 0..<n {
            let j = b.current[k]
            b.u[k] = j; b.v[k] = j
            b.s[k] = rateAndSlope(j, slope: false, logGamma: lg).rate * a
        }
    }
}
