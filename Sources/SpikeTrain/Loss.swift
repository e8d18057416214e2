// Losses on the per-step outputs of the last layer. Dimension letters: T steps, B batch,
// K classes. z_t (B, K) are the step-t logits (the readout's output, or the last layer's spikes).

/// One weighted part of a training loss.
public enum LossTerm: Equatable, Sendable {
    /// Cross-entropy of the time-averaged logits:  L = CE(z̄, y),  z̄ = (1/T)·Σ_t z_t.
    case mean(weight: Double)
    /// Temporal efficient training (Deng et al. 2022):  L = (1/T)·Σ_t CE(z_t, y).
    case tet(weight: Double)
    /// Temporal consistency (Zhao et al. 2023), with p_t = softmax(z_t/τ) and p_j a fixed target:
    ///     L = λ · 1/(T(T−1)) · Σ_{i≠j} τ²·KL(p_j ‖ p_i),   KL(p‖q) = Σ_k p_k·(log p_k − log q_k)
    ///     ∂L/∂z_i = λ·τ/(T(T−1)) · (T·p_i − Σ_j p_j);   T = 1 gives L = 0.
    case etc(weight: Double, tau: Double)
    /// Spike-count MSE (snnTorch's mse_count_loss): c_k = Σ_t z_t[k], target c* = rate·T with
    /// `correctRate` for the label and `incorrectRate` elsewhere;  L = mean over (B, K) of (c − c*)².
    case countMSE(weight: Double, correctRate: Double, incorrectRate: Double)
    /// Firing-rate regulariser over every spiking layer l with mean rate r_l over (T, B, N):
    ///     L = w · Σ_l (r_l − target)²
    case firingRate(weight: Double, target: Double)

    /// The weight of this term (λ for etc).
    public var weight: Double {
        switch self {
        case .mean(let w), .tet(let w), .etc(let w, _), .countMSE(let w, _, _), .firingRate(let w, _): w
        }
    }
}

/// A training loss: the sum of its weighted terms.
public struct Loss: Equatable, Sendable {
    /// The parts, summed.
    public var terms: [LossTerm]

    /// Creates a loss from terms.
    public init(terms: [LossTerm]) { self.terms = terms }

    /// Throws `badValue` unless there is a term and every weight and τ is positive and finite.
    public func validate() throws {
        guard !terms.isEmpty else {
            throw TrainError.badValue(field: "loss", expected: "at least one term", found: "none")
        }
        for term in terms {
            guard term.weight.isFinite && term.weight > 0 else {
                let isEtc = if case .etc = term { true } else { false }
                throw TrainError.badValue(field: isEtc ? "lambda" : "loss weight",
                                          expected: "a positive finite number", found: "\(term.weight)")
            }
            if case .etc(_, let tau) = term, !(tau.isFinite && tau > 0) {
                throw TrainError.badValue(field: "tau", expected: "a positive finite number", found: "\(tau)")
            }
        }
    }

    /// The firing-rate term, if any.
    var firingRate: (weight: Double, target: Double)? {
        for case let .firingRate(w, target) in terms { return (w, target) }
        return nil
    }

    /// Loss of the output terms on z (T, B, K) averaged over the batch, dividing by `normaliser`
    /// (the whole batch when this is one part of it); accumulates ∂L/∂z into `grad` when given.
    /// `etcTargets` (T, B, K), when given, replaces the etc targets p_j (gradient checks only).
    func outputLoss<S: TrainScalar>(z: UnsafePointer<S>, steps t: Int, batch b: Int, classes k: Int,
                                    labels: [Int], normaliser: Int, grad: UnsafeMutablePointer<S>?,
                                    etcTargets: UnsafePointer<S>? = nil) -> S {
        var total: S = 0
        let inv = 1 / S(normaliser)
        var p = [S](repeating: 0, count: k), q = [S](repeating: 0, count: t * k), qs = [S](repeating: 0, count: k)
        for term in terms {
            let w = S(term.weight)
            switch term {
            case .mean:
                for bi in 0..<b {
                    for c in 0..<k {
                        var s: S = 0
                        for ti in 0..<t { s += z[(ti * b + bi) * k + c] }
                        p[c] = s / S(t)
                    }
                    total += w * inv * crossEntropy(&p, label: labels[bi])   // p becomes softmax − onehot
                    if let grad {
                        for ti in 0..<t { for c in 0..<k { grad[(ti * b + bi) * k + c] += w * inv * p[c] / S(t) } }
                    }
                }
            case .tet:
                for bi in 0..<b {
                    for ti in 0..<t {
                        let row = (ti * b + bi) * k
                        for c in 0..<k { p[c] = z[row + c] }
                        total += w * inv / S(t) * crossEntropy(&p, label: labels[bi])
                        if let grad { for c in 0..<k { grad[row + c] += w * inv / S(t) * p[c] } }
                    }
                }
            case .etc(_, let tauD):
                guard t > 1 else { continue }
                let tau = S(tauD), pairs = S(t * (t - 1))
                for bi in 0..<b {
                    // q (T, K): log-softmax of z_t/τ for every step of this sample.
                    for ti in 0..<t {
                        let row = (ti * b + bi) * k
                        var m = -S.infinity
                        for c in 0..<k { m = max(m, z[row + c] / tau) }
                        var s: S = 0
                        for c in 0..<k { s += S.exp(z[row + c] / tau - m) }
                        let lse = m + S.log(s)
                        for c in 0..<k { q[ti * k + c] = z[row + c] / tau - lse }
                    }
                    var kl: S = 0
                    for c in 0..<k { qs[c] = 0 }
                    for j in 0..<t {
                        for c in 0..<k {
                            let pj = etcTargets.map { $0[(j * b + bi) * k + c] } ?? S.exp(q[j * k + c])
                            let logPj = etcTargets == nil ? q[j * k + c] : (pj > 0 ? S.log(pj) : 0)
                            qs[c] += pj
                            guard pj > 0 else { continue }
                            for i in 0..<t where i != j { kl += pj * (logPj - q[i * k + c]) }
                        }
                    }
                    total += w * inv * tau * tau / pairs * kl
                    if let grad {
                        let g = w * inv * tau / pairs
                        for i in 0..<t {
                            let row = (i * b + bi) * k
                            for c in 0..<k { grad[row + c] += g * (S(t) * S.exp(q[i * k + c]) - qs[c]) }
                        }
                    }
                }
            case let .countMSE(_, correct, incorrect):
                let invBK = inv / S(k)
                for bi in 0..<b {
                    for c in 0..<k {
                        var count: S = 0
                        for ti in 0..<t { count += z[(ti * b + bi) * k + c] }
                        let target = S(c == labels[bi] ? correct : incorrect) * S(t)
                        let d = count - target
                        total += w * invBK * d * d
                        if let grad { for ti in 0..<t { grad[(ti * b + bi) * k + c] += w * invBK * 2 * d } }
                    }
                }
            case .firingRate:
                continue    // applied by the graph to the hidden spikes
            }
        }
        return total
    }
}

/// −log softmax(p)[label]; leaves softmax(p) − onehot(label) in `p`.
@inline(__always)
func crossEntropy<S: TrainScalar>(_ p: inout [S], label: Int) -> S {
    var m = -S.infinity
    for v in p { m = max(m, v) }
    let zy = p[label]
    var s: S = 0
    for c in p.indices { p[c] = S.exp(p[c] - m); s += p[c] }
    let loss = S.log(s) + m - zy                        // logsumexp(z) − z_y
    for c in p.indices { p[c] /= s }
    p[label] -= 1
    return loss
}
