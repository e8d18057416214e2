// Shared helpers of the trainer tests: tiny models, seeded inputs, finite differences.
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeTrain

/// Seeded uniform values in [lo, hi).
func uniform(_ n: Int, seed: UInt64, _ lo: Float = 0, _ hi: Float = 1) -> [Float] {
    var r = Rng(seed: seed)
    return (0..<n).map { _ in lo + (hi - lo) * r.nextFloat() }
}

/// Seeded labels in 0..<k.
func labels(_ n: Int, classes k: Int, seed: UInt64) -> [Int] {
    var r = Rng(seed: seed)
    return (0..<n).map { _ in r.nextInt(below: k) }
}

/// Result of comparing analytic with central-difference gradients.
struct GradCheck {
    var checked = 0
    var worst = 0.0          // largest |a − n| / (1e-6 + max(|a|, |n|))
    var worstName = ""
    var nonzero = 0          // analytic entries with |a| > 1e-9 (a check of all zeros checks nothing)
}

/// Compares every checked entry of every parameter with central differences of step `h` in
/// Double precision, with spikes replaced by the surrogate's primitive (so that the surrogate
/// is the true derivative of the forward). At most `perParam` entries per tensor are checked.
func gradientCheck(spec: ModelSpec, loss: Loss, T: Int, batch: Int, surrogate: Surrogate = .atan(alpha: 2),
                   detachReset: Bool = false, smooth: Bool = true, h: Double = 1e-5, perParam: Int = 12,
                   seed: UInt64 = 1, inputScale: Float = 2, bnOverTime: Bool = true) throws -> GradCheck {
    let net = try Network(spec: spec, seed: seed)
    let g = Graph<Double>(network: net, steps: T, capacity: batch, surrogate: surrogate, detachReset: detachReset)
    g.smoothSpikes = smooth
    g.bnOverTime = bnOverTime
    let f = spec.inputShape.count * (spec.encoder == .frames ? T : 1)
    let x = uniform(batch * f, seed: seed + 10, 0, inputScale)
    let y = labels(batch, classes: g.classes, seed: seed + 20)
    func value(grad: Bool) -> Double {
        var rng = Rng(seed: 99)
        x.withUnsafeBufferPointer { g.forward(images: $0, batch: batch, rng: &rng) }
        g.gLogits.zero()
        var l = loss.outputLoss(z: g.logits.p, steps: T, batch: batch, classes: g.classes, labels: y, normaliser: batch,
                                grad: grad ? g.gLogits.p : nil)
        if grad {
            g.zeroGrad()
            l += g.backward(firingRate: loss.firingRate)
        } else if let fr = loss.firingRate {
            l += g.firingRate(fr)
        }
        return l
    }
    _ = value(grad: true)
    var result = GradCheck()
    for p in g.params {
        let analytic = (0..<p.count).map { p.grad.p[$0] }
        let stride = max(1, p.count / perParam)
        for e in Swift.stride(from: 0, to: p.count, by: stride) {
            let keep = p.value.p[e]
            p.value.p[e] = keep + h; let up = value(grad: false)
            p.value.p[e] = keep - h; let down = value(grad: false)
            p.value.p[e] = keep
            let numeric = (up - down) / (2 * h), a = analytic[e]
            let err = abs(a - numeric) / (1e-6 + max(abs(a), abs(numeric)))
            result.checked += 1
            if abs(a) > 1e-9 { result.nonzero += 1 }
            if err > result.worst { result.worst = err; result.worstName = "\(p.name)[\(e)] a=\(a) n=\(numeric)" }
        }
    }
    return result
}
