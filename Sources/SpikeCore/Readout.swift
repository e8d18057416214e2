// Readout helpers: what a network's logits mean as a distribution. One copy for the workbench,
// the command line and reports.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Softmax of logits, max-subtracted: p_c = e^(z_c − max z) / Σ e^(z_k − max z); empty for empty input.
public func softmax(_ z: [Float]) -> [Float] {
    guard let m = z.max() else { return [] }
    let e = z.map { expf($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Index of the largest value (the first of equal ones); nil for empty input.
public func argmax(_ v: [Float]) -> Int? {
    v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) }
}

/// Entropy H(p) = −Σ p·ln p of a distribution, in nats (terms with p = 0 count 0).
public func entropy(_ p: [Float]) -> Float {
    var h: Float = 0
    for v in p where v > 0 { h -= v * logf(v) }
    return h
}

/// KL divergence KL(p ‖ q) = Σ p·ln(p/q) in nats, with q floored at 1e-30 (terms with p = 0 count 0).
public func klDivergence(_ p: [Float], _ q: [Float]) -> Float {
    var kl: Float = 0
    for c in p.indices where p[c] > 0 { kl += p[c] * logf(p[c] / max(q[c], 1e-30)) }
    return kl
}
