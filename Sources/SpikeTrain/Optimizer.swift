// Optimisers, learning-rate schedules and gradient clipping (PyTorch semantics).
import Foundation

/// The update rule applied to every parameter after each batch.
public enum Optimizer: Equatable, Sendable {
    /// SGD with momentum μ (PyTorch): g ← g + wd·w;  buf ← μ·buf + g (buf = g at the first step);
    /// w ← w − lr·(nesterov ? g + μ·buf : buf).
    case sgd(momentum: Double = 0.9, nesterov: Bool = false)
    /// Adam with L2 weight decay added to the gradient: g ← g + wd·w;  m ← β1·m + (1−β1)·g;
    /// v ← β2·v + (1−β2)·g²;  w ← w − lr·m̂/(√v̂ + ε),  m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
    /// AdamW: decoupled decay w ← w − lr·wd·w, then the Adam step without decay in g.
    case adamW(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)

    /// The short name used in files and reports.
    public var name: String {
        switch self {
        case .sgd(_, let nesterov): nesterov ? "sgd-nesterov" : "sgd"
        case .adam: "adam"
        case .adamW: "adamw"
        }
    }
}

/// How the learning rate changes during training.
public enum LRSchedule: Equatable, Sendable {
    /// lr every step.
    case constant
    /// Cosine annealing per optimizer step over the whole run:
    ///     lr_k = lr_min + (lr − lr_min)·(1 + cos(π·k/K))/2,  k = 0..K−1 steps.
    case cosine(minimum: Double = 0)
    /// lr·γ^⌊epoch/every⌋ (epochs counted from 0).
    case step(everyEpochs: Int, gamma: Double)

    /// The learning rate at optimizer step `step` of `totalSteps`, in epoch `epoch`.
    public func rate(base: Double, step: Int, totalSteps: Int, epoch: Int) -> Double {
        switch self {
        case .constant:
            return base
        case .cosine(let minimum):
            let f = totalSteps > 0 ? Double(min(step, totalSteps)) / Double(totalSteps) : 0
            return minimum + (base - minimum) * (1 + cos(Double.pi * f)) / 2
        case let .step(every, gamma):
            return base * pow(gamma, Double(epoch / max(every, 1)))
        }
    }
}

/// Moment buffers and step count of an optimiser over a list of parameters.
final class OptimizerState<S: TrainScalar> {
    let rule: Optimizer
    var step = 0                    // optimiser steps taken
    var first: [Buf<S>]             // momentum buffer (SGD) or m (Adam), one per parameter
    var second: [Buf<S>]            // v (Adam), one per parameter

    init(rule: Optimizer, params: [Param<S>]) {
        self.rule = rule
        first = params.map { Buf($0.count) }
        second = params.map { Buf($0.count) }
    }

    /// Applies one update with learning rate `lr` and weight decay `decay` to every parameter.
    func update(_ params: [Param<S>], lr: Double, decay: Double) {
        step += 1
        let lrS = S(lr), wd = S(decay)
        for (j, p) in params.enumerated() {
            let w = p.value.p, g = p.grad.p, m = first[j].p, v = second[j].p, n = p.count
            switch rule {
            case let .sgd(momentumD, nesterov):
                let mu = S(momentumD)
                for e in 0..<n {
                    var ge = g[e] + wd * w[e]
                    if mu != 0 {
                        m[e] = step == 1 ? ge : mu * m[e] + ge
                        ge = nesterov ? ge + mu * m[e] : m[e]
                    }
                    w[e] -= lrS * ge
                }
            case let .adam(b1, b2, eps), let .adamW(b1, b2, eps):
                let decoupled: Bool = if case .adamW = rule { true } else { false }
                let beta1 = S(b1), beta2 = S(b2), epsilon = S(eps)
                let c1 = 1 / (1 - S(pow(b1, Double(step)))), c2 = 1 / (1 - S(pow(b2, Double(step))))
                let shrink = decoupled ? 1 - lrS * wd : 1, l2 = decoupled ? 0 : wd
                for e in 0..<n {
                    let we = w[e] * shrink, ge = g[e] + l2 * w[e]
                    let me = beta1 * m[e] + (1 - beta1) * ge, ve = beta2 * v[e] + (1 - beta2) * ge * ge
                    m[e] = me; v[e] = ve
                    w[e] = we - lrS * (me * c1) / ((ve * c2).squareRoot() + epsilon)
                }
            }
        }
    }
}

/// Scales every gradient so their global L2 norm is at most `maxNorm`; returns the norm before.
@discardableResult
func clipGlobalNorm<S: TrainScalar>(_ params: [Param<S>], maxNorm: Double) -> Double {
    var sq: Double = 0
    for p in params { for e in 0..<p.count { let g = Double(p.grad.p[e]); sq += g * g } }
    let norm = sq.squareRoot()
    if norm > maxNorm && norm.isFinite {
        let s = S(maxNorm / (norm + 1e-6))
        for p in params { for e in 0..<p.count { p.grad.p[e] *= s } }
    }
    return norm
}
