/// Parameters of the LIF neuron in continuous time (τ_rc, τ_ref, τ_syn and dt in seconds), as
/// Nengo runs it: the spiking twin of soft-LIF, which runs rate-trained weights as spikes
/// (Hunsberger & Eliasmith 2015). Its firing rate under a constant current J is the hard LIF rate
/// `rate(J)`, the limit of soft-LIF as γ → 0. One step of length dt:
///
///     i = α·i + (1 − α)·I,  α = exp(−dt/τ_syn)     synaptic low-pass of the input (i = I when τ_syn = 0)
///     Δ = clamp(dt − r, 0, dt)                    the part of the step outside the refractory time r
///     u = v + (i − v)·(1 − exp(−Δ/τ_rc))           exact integration of τ_rc·dv/dt = i − v
///     s = H(u − 1)
///     on a spike, v = 0 and r = τ_ref + t_s − dt, with t_s = dt + τ_rc·log1p(−(u − 1)/(i − 1))
///     the moment within the step at which u crossed 1 (exact refractoriness); with
///     `refractory = .steps`, r = τ_ref rounded to whole steps and t_s is not used
///     otherwise v = max(u, 0) and r = max(r − dt, 0)
///
/// The output is A/dt in a step with a spike (1 with the default amplitude A = dt), so that its
/// mean over time is A·r, the soft-LIF layer's output. State: v lives in `b.v` as the membrane
/// when ≥ 0 and as −r while the neuron is refractory (the membrane is 0 then); i lives in `b.a`. It has no backward: train the
/// soft-LIF network, then run it as this one (`Network.spiking`).
public struct RCLIFParameters: Equatable, Sendable {
    /// How the refractory period is kept.
    public enum Refractory: String, Equatable, Sendable, CaseIterable {
        /// Exact: the time since the threshold crossing within the step counts (Nengo's LIF).
        case exact
        /// Whole steps: round(τ_ref/dt) steps without integration after each spike.
        case steps
    }
    /// Membrane RC time constant τ_rc, seconds.
    public var tauRC: Float = 0.02
    /// Refractory period τ_ref, seconds.
    public var tauRef: Float = 0.002
    /// Synaptic time constant τ_syn of the input's low-pass filter, seconds (0: no filter).
    public var tauSyn: Float = 0.005
    /// Step length dt, seconds.
    public var dt: Float = 0.001
    /// Exact or whole-step refractoriness.
    public var refractory: Refractory = .exact
    /// Amplitude A, seconds: a spike outputs A/dt (default dt: a spike is 1).
    public var amplitude: Float = 0.001
    /// Creates the parameters; `amplitude` nil means dt.
    public init(tauRC: Float = 0.02, tauRef: Float = 0.002, tauSyn: Float = 0.005, dt: Float = 0.001,
                refractory: Refractory = .exact, amplitude: Float? = nil) {
        self.tauRC = tauRC; self.tauRef = tauRef; self.tauSyn = tauSyn; self.dt = dt; self.refractory = refractory
        self.amplitude = amplitude ?? dt
    }

    /// The firing rate in Hz under a constant current J (threshold 1): 1 / (τ_ref + τ_rc·log(1 + 1/(J − 1)))
    /// for J > 1, else 0.
    public func rate(_ j: Double) -> Double {
        j > 1 ? 1 / (Double(tauRef) + Double(tauRC) * Double.log1p(1 / (j - 1))) : 0
    }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        let dt = S(self.dt), tauRC = S(self.tauRC), tauRef = S(self.tauRef)
        let alpha = tauSyn > 0 ? S.exp(-dt / S(tauSyn)) : 0
        let wholeSteps = (tauRef / dt).rounded() * dt, exact = refractory == .exact, spike = S(amplitude / self.dt)
        for k in 0..<n {
            let i = alpha * b.a[k] + (1 - alpha) * b.current[k]
            b.a[k] = i
            let vk = b.v[k], r: S = vk < 0 ? -vk : 0, v0: S = vk < 0 ? 0 : vk
            let delta = Swift.min(Swift.max(dt - r, 0), dt)
            let u = delta > 0 ? v0 + (i - v0) * (1 - S.exp(-delta / tauRC)) : v0
            b.u[k] = u
            if u >= 1 {
                b.s[k] = spike
                let rest: S
                if exact {
                    let ts = i > 1 ? dt + tauRC * S.log1p(-(u - 1) / (i - 1)) : dt
                    rest = tauRef + ts - dt
                } else {
                    rest = wholeSteps
                }
                b.v[k] = rest > 0 ? -rest : 0
            } else {
                b.s[k] = 0
                let left = r - dt
                b.v[k] = left > 0 ? -left : Swift.max(u, 0)
            }
        }
    }
}
