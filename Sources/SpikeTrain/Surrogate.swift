// Surrogate derivatives for the spike nonlinearity s = H(x), x = u − θ.

/// The derivative used in place of H'(x) = δ(x) when gradients pass through a spike.
///
/// Each case states its derivative σ'(x) and a primitive σ(x) with σ' as derivative; the
/// primitive is what the smoothed (gradient-check) forward uses instead of H.
public enum Surrogate: Equatable, Sendable {
    /// Arc tangent: σ'(x) = α / (2·(1 + (π/2·α·x)²)),  σ(x) = (1/π)·atan(π/2·α·x) + 1/2.
    case atan(alpha: Double)
    /// Fast sigmoid (SuperSpike): σ'(x) = 1 / (k·|x| + 1)²,  σ(x) = 1/2 + x / (1 + k·|x|), k = slope.
    case fastSigmoid(slope: Double)
    /// Boxcar: σ'(x) = 1/w for |x| < w/2, else 0;  σ(x) = clamp(x/w + 1/2, 0, 1).
    case rectangular(width: Double)
    /// Triangle of unit area: σ'(x) = max(0, 1 − |x|/w) / w;  σ(x) its integral from −w, in [0, 1].
    case triangular(width: Double)

    /// The short name used in session files and reports.
    public var name: String {
        switch self {
        case .atan: "atan"
        case .fastSigmoid: "fast-sigmoid"
        case .rectangular: "rectangular"
        case .triangular: "triangular"
        }
    }

    /// σ'(x), the surrogate derivative at x = u − θ.
    @inline(__always)
    public func derivative<S: TrainScalar>(_ x: S) -> S {
        switch self {
        case .atan(let a):
            let alpha = S(a), z = S.pi / 2 * alpha * x
            return alpha / (2 * (1 + z * z))
        case .fastSigmoid(let k):
            let d = S(k) * abs(x) + 1
            return 1 / (d * d)
        case .rectangular(let w):
            return abs(x) < S(w) / 2 ? 1 / S(w) : 0
        case .triangular(let w):
            let width = S(w)
            return max(0, 1 - abs(x) / width) / width
        }
    }

    /// σ(x), a primitive of `derivative`: the smooth stand-in for H in gradient checks.
    public func primitive<S: TrainScalar>(_ x: S) -> S {
        switch self {
        case .atan(let a):
            return S.atan(S.pi / 2 * S(a) * x) / S.pi + S(0.5)
        case .fastSigmoid(let k):
            return S(0.5) + x / (1 + S(k) * abs(x))
        case .rectangular(let w):
            return min(max(x / S(w) + S(0.5), 0), 1)
        case .triangular(let w):
            let width = S(w)
            if x <= -width { return 0 }
            if x >= width { return 1 }
            let r = 1 - abs(x) / width                 // 1 at x = 0, 0 at |x| = w
            let half = r * r / 2                       // area of the tail beyond |x|, up to sign
            return x < 0 ? half : 1 - half
        }
    }

    /// Nil when the parameter is a positive finite number, else the reason.
    public var problem: String? {
        let v: Double
        switch self {
        case .atan(let a): v = a
        case .fastSigmoid(let k): v = k
        case .rectangular(let w), .triangular(let w): v = w
        }
        return v.isFinite && v > 0 ? nil : "\(name) parameter must be a positive finite number, found \(v)"
    }
}
