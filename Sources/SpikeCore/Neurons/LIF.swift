/// Parameters of a leaky integrate-and-fire neuron.
///
///     u[t] = β·v[t−1] + I[t]
///     s[t] = H(u[t] − θ);  v[t] = reset(u[t], s[t])   (zero: u·(1 − s); subtract: u − θ·s; none: u)
///
/// With a refractory period of R steps, a spike starts a counter r = R; while r > 0 the
/// membrane is held (v[t] = v[t−1], u[t] = v[t−1]), the input ignored, no spike, and r drops by 1.
/// The counter follows the hard spike H(u − θ) even where training uses a smooth one.
public struct LIFParameters: Equatable, Sendable {
    /// Membrane decay per step, β = exp(−dt / τ_mem), in (0, 1].
    public var beta: Float = 0.9
    /// Firing threshold θ, in membrane units.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Steps after a spike during which the membrane is held and input ignored (0 = none).
    public var refractorySteps: Int = 0
    /// Creates LIF parameters.
    public init(beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .subtract, refractorySteps: Int = 0) {
        self.beta = beta; self.threshold = threshold; self.reset = reset; self.refractorySteps = refractorySteps
    }
    /// The decay for a membrane time constant: β = exp(−dt/τ), both in the same unit.
    public static func beta(tau: Double, dt: Double) -> Float { Float(exp(-dt / tau)) }

    /// One step for n neurons.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        let th = S(threshold), beta = S(self.beta)
        guard refractorySteps > 0 else {
            LIFParameters.leakyStep(n, b, beta: beta, threshold: th, reset, spike: spike)
            return
        }
        let refr = S(refractorySteps), mode = reset
        let v = b.v, a = b.a, u = b.u, s = b.s, current = b.current
        for k in 0..<n {
            if a[k] > 0 {                       // refractory: v held, input ignored, no spike
                a[k] -= 1; s[k] = 0; u[k] = v[k]; b.held?[k] = 1
                continue
            }
            b.held?[k] = 0
            let uk = beta * v[k] + current[k], sk = spike(uk, th)
            u[k] = uk; s[k] = sk; v[k] = mode.apply(uk, sk, th)
            a[k] = (uk >= th ? 1 : 0) * refr
        }
    }

    /// The leaky step without refractoriness, shared with IF (β = 1). The reset mode is fixed
    /// outside the loop so that each loop vectorises.
    @inlinable @inline(__always)
    public static func leakyStep<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, beta: S, threshold th: S,
                                                                 _ mode: ResetMode, spike: F) where F.Scalar == S {
        let v = b.v, u = b.u, s = b.s, current = b.current
        @inline(__always) func run(_ m: ResetMode) {
            for k in 0..<n {
                let uk = beta * v[k] + current[k], sk = spike(uk, th)
                u[k] = uk; s[k] = sk; v[k] = m.apply(uk, sk, th)
            }
        }
        switch mode {
        case .subtract: run(.subtract)
        case .zero: run(.zero)
        case .none: run(.none)
        }
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
