// How a network that learned without labels meets an input when it is read out.

/// How `spikescope learn` runs a network with learning off (class assignment and test).
/// Learning never sees it, and the learned state (weights, θ) is left as it was.
///
/// - `learned` (the default; the papers'): the network as it learned. In Diehl & Cook's network
///   each neuron's incoming weights keep a fixed sum and each neuron its own adaptive threshold θ.
///   A neuron whose weight sits on few pixels gets the same drive from them as one spread over
///   many, and θ, raised by every spike while learning, offsets part of that (after the digits θ
///   and the weights' L2 norm correlate at 0.8-0.9 across neurons: `bash bench/learn.sh prototypes`).
/// - `cosine`: every neuron's weights are scaled to one L2 norm, `scale` times the mean of the
///   neurons' norms, and (Diehl & Cook) every θ is set to the mean θ. A neuron's drive is then the
///   cosine between its field and the input times a factor all neurons share, so the one that fires
///   first, and keeps firing under lateral inhibition, is the field nearest the input in angle.
///   `scale` below 1 lowers every drive towards the threshold: at 1 the best few fields drive
///   their neurons far above it, they fire as fast as the refractory period lets them, and which
///   of them wins the first race is close to chance; nearer the threshold the time to the first
///   spike tells the best match from the next.
public struct TestMatch: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable { case learned, cosine }
    public var kind: Kind = .learned
    /// The common L2 norm under `cosine`, as a multiple of the neurons' mean norm.
    public var scale: Float = 1
    public init(_ kind: Kind = .learned, scale: Float = 1) { self.kind = kind; self.scale = scale }

    /// Weights stored (inputs, neurons) with every neuron's column scaled to `scale` times the mean
    /// of the columns' L2 norms (a column of zeros stays zero).
    public static func equalNorms(_ byInput: [Float], inputs: Int, neurons n: Int, scale: Float) -> [Float] {
        var squares = [Float](repeating: 0, count: n)
        for j in 0..<inputs { for i in 0..<n { squares[i] += byInput[j * n + i] * byInput[j * n + i] } }
        let norms = squares.map { $0.squareRoot() }
        let target = scale * norms.reduce(0, +) / Float(max(n, 1))
        let factor = norms.map { $0 > 0 ? target / $0 : 0 }
        var out = byInput
        for j in 0..<inputs { for i in 0..<n { out[j * n + i] *= factor[i] } }
        return out
    }

    /// Checks `scale`; the error names the learning-file key.
    func validate() throws {
        guard scale > 0 && scale <= 100 && scale.isFinite else {
            throw LearnParameterError(field: "test_scale", expected: "a multiple of the mean L2 norm above 0 and at most 100", found: "\(scale)")
        }
    }
}
