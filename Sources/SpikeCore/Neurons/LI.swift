/// Parameters of a leaky integrator (NIR's LI node): a LIF that never spikes, whose output is
/// its membrane.
///
///     v[t] = β·v[t−1] + I[t];  out[t] = v[t]
///
/// NIR writes it in continuous time, τ·dv/dt = (v_leak − v) + R·I; a step of length dt with
/// v_leak = 0 gives β = exp(−dt/τ) and an input scale that belongs to the weights before it.
public struct LIParameters: Equatable, Sendable {
    /// Membrane decay per step, β = exp(−dt / τ_mem), in (0, 1].
    public var beta: Float = 0.9
    /// Creates LI parameters.
    public init(beta: Float = 0.9) { self.beta = beta }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        let beta = S(self.beta)
        for k in 0..<n {
            let vk = beta * b.v[k] + b.current[k]
            b.v[k] = vk; b.u[k] = vk; b.s[k] = vk
        }
    }
}
