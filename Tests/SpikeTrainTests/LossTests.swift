// Losses: names, errors, values and gradients on the logits.
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeTrain

@Test(arguments: [
    ("mean", [LossTerm.mean(weight: 1)]),
    ("tet", [.tet(weight: 1)]),
    ("mean+etc", [.mean(weight: 1), .etc(weight: 0.5, tau: 2)]),
    ("tet+etc", [.tet(weight: 1), .etc(weight: 0.5, tau: 2)]),
])
func lossNamesParse(name: String, terms: [LossTerm]) throws {
    #expect(try Loss.parse(name, lambda: 0.5, tau: 2).terms == terms)
}

@Test(arguments: [
    ("cross-entropy", 1.0, 4.0, "loss: unknown name 'cross-entropy', expected one of mean, tet, mean+etc, tet+etc"),
    ("mean+etc", 0.0, 4.0, "lambda: must be a positive finite number, found '0.0'"),
    ("mean+etc", -1.0, 4.0, "lambda: must be a positive finite number, found '-1.0'"),
    ("tet+etc", 1.0, .nan, "tau: must be a positive finite number, found 'nan'"),
    ("tet+etc", 1.0, .infinity, "tau: must be a positive finite number, found 'inf'"),
])
func badLossSettingsAreNamed(name: String, lambda: Double, tau: Double, message: String) {
    #expect { try Loss.parse(name, lambda: lambda, tau: tau) } throws: { ($0 as? TrainError)?.description == message }
}

/// Central differences of the loss in the logits, in Double (no spikes involved: exact up to ~1e-9).
private func logitCheck(_ loss: Loss, T: Int, B: Int = 3, K: Int = 4, freezeEtcTargets: Bool = false) -> Double {
    var z = uniform(T * B * K, seed: 5, -2, 2).map(Double.init)
    let y = labels(B, classes: K, seed: 6)
    var targets: [Double]? = nil
    if freezeEtcTargets, case let .etc(_, tau)? = loss.terms.first(where: { if case .etc = $0 { true } else { false } }) {
        targets = (0..<(T * B)).flatMap { row -> [Double] in
            let e = (0..<K).map { exp(z[row * K + $0] / tau) }, s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }
    func value(_ z: [Double], grad: UnsafeMutablePointer<Double>? = nil) -> Double {
        z.withUnsafeBufferPointer { zp in
            if let targets {
                return targets.withUnsafeBufferPointer { tp in
                    loss.outputLoss(z: zp.baseAddress!, steps: T, batch: B, classes: K, labels: y, normaliser: B,
                                    grad: grad, etcTargets: tp.baseAddress!)
                }
            }
            return loss.outputLoss(z: zp.baseAddress!, steps: T, batch: B, classes: K, labels: y, normaliser: B, grad: grad)
        }
    }
    var g = [Double](repeating: 0, count: z.count)
    _ = g.withUnsafeMutableBufferPointer { value(z, grad: $0.baseAddress!) }
    var worst = 0.0
    let h = 1e-6
    for e in z.indices {
        let keep = z[e]
        z[e] = keep + h; let up = value(z)
        z[e] = keep - h; let down = value(z)
        z[e] = keep
        let n = (up - down) / (2 * h)
        worst = max(worst, abs(n - g[e]) / (1e-7 + max(abs(n), abs(g[e]))))
    }
    return worst
}

@Test func lossGradientsMatchDifferencesOnLogits() {
    // 1e-6: the losses are smooth in z, so central differences are accurate to ~1e-9 here.
    #expect(logitCheck(Loss(terms: [.mean(weight: 1)]), T: 4) < 1e-6)
    #expect(logitCheck(Loss(terms: [.tet(weight: 0.7)]), T: 4) < 1e-6)
    #expect(logitCheck(Loss(terms: [.countMSE(weight: 1, correctRate: 0.8, incorrectRate: 0.2)]), T: 4) < 1e-6)
    // etc: p_j is a fixed target, so differences are taken with the targets frozen.
    #expect(logitCheck(Loss(terms: [.mean(weight: 1), .etc(weight: 0.5, tau: 4)]), T: 4, freezeEtcTargets: true) < 1e-6)
    #expect(logitCheck(Loss(terms: [.etc(weight: 2, tau: 1.5)]), T: 3, freezeEtcTargets: true) < 1e-6)
}

@Test func etcIsZeroForOneStepAndForIdenticalSteps() throws {
    let loss = try Loss.parse("mean+etc")
    let etcOnly = Loss(terms: [.etc(weight: 1, tau: 4)])
    let z: [Double] = [1, -2, 0.5, 3, 0, 0]      // T = 1, B = 2, K = 3
    var g = [Double](repeating: 0, count: 6)
    let v = z.withUnsafeBufferPointer { zp in g.withUnsafeMutableBufferPointer {
        etcOnly.outputLoss(z: zp.baseAddress!, steps: 1, batch: 2, classes: 3, labels: [0, 1], normaliser: 2, grad: $0.baseAddress!) } }
    #expect(v == 0)
    #expect(g == [0, 0, 0, 0, 0, 0])
    let same: [Double] = [1, -2, 0.5, 1, -2, 0.5]  // T = 2, B = 1: identical steps
    let v2 = same.withUnsafeBufferPointer {
        etcOnly.outputLoss(z: $0.baseAddress!, steps: 2, batch: 1, classes: 3, labels: [0], normaliser: 1, grad: nil) }
    #expect(abs(v2) < 1e-15)
    #expect(loss.terms.count == 2)
}

@Test func etcValueMatchesHandComputedKL() {
    // T = 2, B = 1, K = 2, τ = 1: L = τ²/2 · (KL(p1‖p0) + KL(p0‖p1)).
    let z: [Double] = [0, 1, 1, 0]
    let p0 = [1 / (1 + exp(1.0)), exp(1.0) / (1 + exp(1.0))], p1 = [p0[1], p0[0]]
    func kl(_ p: [Double], _ q: [Double]) -> Double { zip(p, q).map { $0 * log($0 / $1) }.reduce(0, +) }
    let expected = (kl(p1, p0) + kl(p0, p1)) / 2
    let v = z.withUnsafeBufferPointer {
        Loss(terms: [.etc(weight: 1, tau: 1)]).outputLoss(z: $0.baseAddress!, steps: 2, batch: 1, classes: 2,
                                                          labels: [0], normaliser: 1, grad: nil) }
    #expect(abs(v - expected) < 1e-12)
}

@Test func meanAndTetValuesOnAKnownCase() {
    // z_0 = (0, 0), z_1 = (2, 0), label 0: mean logits (1, 0) → CE = log(1 + e^-1);
    // tet = (log 2 + log(1 + e^-2)) / 2.
    let z: [Double] = [0, 0, 2, 0]
    func value(_ l: Loss) -> Double {
        z.withUnsafeBufferPointer { l.outputLoss(z: $0.baseAddress!, steps: 2, batch: 1, classes: 2, labels: [0],
                                                 normaliser: 1, grad: nil) }
    }
    #expect(abs(value(Loss(terms: [.mean(weight: 1)])) - log(1 + exp(-1.0))) < 1e-12)
    #expect(abs(value(Loss(terms: [.tet(weight: 1)])) - (log(2.0) + log(1 + exp(-2.0))) / 2) < 1e-12)
}

@Test(arguments: [Surrogate.atan(alpha: 2), .fastSigmoid(slope: 25), .rectangular(width: 1), .triangular(width: 0.5)])
func surrogateIsTheDerivativeOfItsPrimitive(s: Surrogate) {
    // Points avoid the kinks of the rectangular and triangular forms; h = 1e-6 in Double.
    for x in stride(from: -2.0, through: 2.0, by: 0.1037) {
        let n = (s.primitive(x + 1e-6) - s.primitive(x - 1e-6)) / 2e-6
        #expect(abs(n - s.derivative(x)) < 1e-6, "\(s) at \(x)")
    }
}

@Test func surrogateFormulasAtZero() {
    #expect(Surrogate.atan(alpha: 2).derivative(0.0) == 1)           // α/2
    #expect(Surrogate.fastSigmoid(slope: 25).derivative(0.0) == 1)
    #expect(Surrogate.rectangular(width: 0.5).derivative(0.0) == 2)
    #expect(Surrogate.triangular(width: 0.5).derivative(0.0) == 2)
    #expect(Surrogate.rectangular(width: 0.5).derivative(0.3) == 0)
    #expect(abs(Surrogate.atan(alpha: 2).derivative(1.0) - 1 / (1 + Double.pi * Double.pi)) < 1e-15)
}
