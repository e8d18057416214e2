/// Parameters of a current-based leaky integrator (NIR's CubaLI node): a CubaLIF that never
/// spikes, whose output is its membrane.
///
///     i[t] = α·i[t−1] + I[t]
///     v[t] = β·v[t−1] + i[t];  out[t] = v[t]
///
/// The synaptic current i lives in the second state `a`.
public struct CubaLIParameters: Equatable, Sendable {
    /// Synaptic current decay per step, α = exp(−dt / τ_syn) (NIR import: 1 − dt/τ_syn).
    public var alpha: Float = 0.8
    /// Membrane decay per step, β = exp(−dt / τ_mem) (NIR import: 1 − dt/τ_mem).
    public var beta: Float = 0.9
    /// Creates CubaLI parameters.
    public init(alpha: Float = 0.8, beta: Float = 0.9) { self.alpha = alpha; self.beta = beta }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        let alpha = S(self.alpha), beta = S(self.beta)
        for k in 0..<n {
            let ik = alpha * b.a[k] + b.current[k]
            b.a[k] = ik
            let vk = beta * b.v[k] + ik
            b.v[k] = vk; b.u[k] = vk; b.s[k] = vk
        }
    }
}
