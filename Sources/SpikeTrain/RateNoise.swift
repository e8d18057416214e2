// Noise on soft-LIF activities while training in rate mode (Hunsberger & Eliasmith 2015): the
// network learns to tolerate the variability its spiking twin's rates will have, which is what
// lets the same weights run as spikes with little loss.
import Foundation
import SpikeCore

/// Noise added to every soft-LIF output A·r during training (never in evaluation). Backward
/// passes through it unchanged (it is additive, or its mean is the rate).
public enum RateNoise: Equatable, Sendable {
    /// out += σ·A·N(0, 1): Gaussian noise of σ Hz on each rate, as the paper trains.
    case gaussian(sigma: Double)
    /// r = Poisson(r·dt·W) / (W·dt): the spread of a spike count over a window of W steps, the
    /// variability a spiking neuron's rate estimate has over W steps.
    case poisson(window: Int)

    /// Parses "gaussian:SIGMA" (Hz, e.g. gaussian:10) or "poisson:WINDOW" (steps, e.g. poisson:50).
    public static func parse(_ text: String) throws -> RateNoise {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let bad = TrainError.badValue(field: "rate_noise", expected: "gaussian:SIGMA (Hz, >= 0) or poisson:WINDOW (steps, >= 1)",
                                      found: text)
        guard parts.count == 2 else { throw bad }
        switch parts[0] {
        case "gaussian":
            guard let s = Double(parts[1]), s.isFinite, s >= 0 else { throw bad }
            return .gaussian(sigma: s)
        case "poisson":
            guard let w = Int(parts[1]), w >= 1 else { throw bad }
            return .poisson(window: w)
        default: throw bad
        }
    }

    /// The text `parse` reads.
    public var name: String {
        switch self {
        case .gaussian(let s): "gaussian:\(s)"
        case .poisson(let w): "poisson:\(w)"
        }
    }

    /// Adds the noise to n outputs A·r of a soft-LIF layer with amplitude A and step `dt`, drawing from `rng`.
    func apply<S: TrainScalar>(_ out: UnsafeMutablePointer<S>, _ n: Int, amplitude: Float, dt: Float, rng: inout Rng) {
        switch self {
        case .gaussian(let sigma):
            let scale = Float(sigma) * amplitude
            for k in 0..<n { out[k] += S(scale * rng.nextGaussian()) }
        case .poisson(let window):
            // spikes in the window ~ Poisson(r·dt·W); the rate estimate is count / (W·dt)
            let perRate = dt * Float(window), back = amplitude / perRate
            for k in 0..<n { out[k] = S(RateNoise.poisson(Float(out[k]) / amplitude * perRate, &rng) * back) }
        }
    }

    /// A Poisson draw of mean λ: Knuth's product of uniforms up to λ = 30, the rounded normal
    /// approximation above.
    static func poisson(_ lambda: Float, _ rng: inout Rng) -> Float {
        guard lambda > 0 else { return 0 }
        if lambda > 30 { return max(0, (lambda + lambda.squareRoot() * rng.nextGaussian()).rounded()) }
        let limit = expf(-lambda)
        var count: Float = 0, product = rng.nextFloat()
        while product > limit { count += 1; product *= rng.nextFloat() }
        return count
    }
}
