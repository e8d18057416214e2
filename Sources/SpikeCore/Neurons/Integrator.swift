/// Parameters of an integrator (NIR's I node): it sums its input, and its output is the sum.
///
///     v[t] = v[t−1] + I[t];  out[t] = v[t]
///
/// NIR writes it as dv/dt = R·I; with R = 1 and one step of length dt = 1 this is the sum.
/// It has no parameters: the struct exists so that every model has one.
public struct IntegratorParameters: Equatable, Sendable {
    /// Creates the (parameterless) integrator.
    public init() {}

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar>(_ n: Int, _ b: NeuronBuffers<S>) {
        for k in 0..<n {
            let vk = b.v[k] + b.current[k]
            b.v[k] = vk; b.u[k] = vk; b.s[k] = vk
        }
    }
}
