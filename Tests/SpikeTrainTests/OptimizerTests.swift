// Optimisers and schedules against hand-computed PyTorch steps.
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeTrain

private func param(_ w: [Double], grad: [Double]) -> Param<Double> {
    let p = Param<Double>(name: "w", shape: [w.count], layer: 0, keyPath: \.weight, values: w.map(Float.init))
    for (k, g) in grad.enumerated() { p.grad.p[k] = g }
    return p
}

@Test func sgdMomentumAndNesterovFollowPyTorch() {
    // w = 1, g = 0.5 twice, lr 0.1, μ 0.9: buf 0.5 → 0.95; plain: w = 1 − 0.05 − 0.095.
    let p = param([1], grad: [0.5])
    let s = OptimizerState<Double>(rule: .sgd(momentum: 0.9, nesterov: false), params: [p])
    s.update([p], lr: 0.1, decay: 0); s.update([p], lr: 0.1, decay: 0)
    #expect(abs(p.value.p[0] - (1 - 0.05 - 0.095)) < 1e-7)
    // Nesterov: step 1 g + μ·buf = 0.5 + 0.45; step 2 0.5 + 0.9·0.95.
    let q = param([1], grad: [0.5])
    let n = OptimizerState<Double>(rule: .sgd(momentum: 0.9, nesterov: true), params: [q])
    n.update([q], lr: 0.1, decay: 0); n.update([q], lr: 0.1, decay: 0)
    #expect(abs(q.value.p[0] - (1 - 0.095 - 0.1355)) < 1e-7)
}

@Test func adamFirstStepIsLearningRateTimesSign() {
    // m̂ = g, v̂ = g² at the first step: w −= lr·g/(|g| + ε).
    let p = param([1, -1], grad: [0.3, -2])
    let s = OptimizerState<Double>(rule: .adam(), params: [p])
    s.update([p], lr: 0.01, decay: 0)
    #expect(abs(p.value.p[0] - 0.99) < 1e-7)
    #expect(abs(p.value.p[1] - (-0.99)) < 1e-7)
}

@Test func adamWDecaysDecoupledAndAdamThroughTheGradient() {
    let p = param([2], grad: [0])
    OptimizerState<Double>(rule: .adamW(), params: [p]).update([p], lr: 0.1, decay: 0.5)
    #expect(abs(p.value.p[0] - 1.9) < 1e-7)               // 2 − 0.1·0.5·2, zero gradient step
    let q = param([2], grad: [0])
    OptimizerState<Double>(rule: .adam(), params: [q]).update([q], lr: 0.1, decay: 0.5)
    #expect(abs(q.value.p[0] - 1.9) < 1e-6)               // g = wd·w = 1: w −= lr·sign
}

@Test func schedules() {
    let cos = LRSchedule.cosine(minimum: 0)
    #expect(cos.rate(base: 1, step: 0, totalSteps: 10, epoch: 0) == 1)
    #expect(abs(cos.rate(base: 1, step: 5, totalSteps: 10, epoch: 0) - 0.5) < 1e-12)
    #expect(abs(cos.rate(base: 1, step: 10, totalSteps: 10, epoch: 0)) < 1e-12)
    let step = LRSchedule.step(everyEpochs: 2, gamma: 0.1)
    #expect(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 1) == 1)
    #expect(abs(step.rate(base: 1, step: 0, totalSteps: 0, epoch: 2) - 0.1) < 1e-12)
}

@Test func clippingScalesToTheGlobalNorm() {
    let a = param([0, 0], grad: [3, 0]), b = param([0], grad: [4])
    let norm = clipGlobalNorm([a, b], maxNorm: 1)
    #expect(norm == 5)
    #expect(abs(a.grad.p[0] - 0.6) < 1e-6 && abs(b.grad.p[0] - 0.8) < 1e-6)
}

@Test func choiceNamesParseAndUnknownOnesAreNamed() throws {
    #expect(try Optimizer.parse("sgd-nesterov", momentum: 0.8) == .sgd(momentum: 0.8, nesterov: true))
    #expect(try LRSchedule.parse("step", everyEpochs: 3, gamma: 0.5) == .step(everyEpochs: 3, gamma: 0.5))
    #expect(try Surrogate.parse("fast-sigmoid", parameter: 10) == .fastSigmoid(slope: 10))
    #expect { try Optimizer.parse("rmsprop") } throws: {
        ($0 as? TrainError)?.description == "optimizer: must be one of sgd, sgd-nesterov, adam, adamw, found 'rmsprop'"
    }
    #expect { try LRSchedule.parse("linear") } throws: {
        ($0 as? TrainError)?.description == "schedule: must be one of constant, cosine, step, found 'linear'"
    }
    #expect { try Surrogate.parse("atan", parameter: -1) } throws: {
        ($0 as? TrainError)?.description == "surrogate atan: must be a positive finite parameter, found '-1.0'"
    }
}
