// Gradient checks: analytic BPTT gradients against central finite differences in Double.
//
// Tolerance: relative error |a − n| / (1e-6 + max(|a|, |n|)) ≤ 1e-4. With h = 1e-5 in Double the
// central difference has truncation error ~h²·|f'''| ≈ 1e-10 and rounding error ~1e-16/h ≈ 1e-11,
// so a correct gradient lands near 1e-7 or below; a wrong term (a missing reset path, a wrong
// decay) shows as errors of order 1e-2 to 1. The forward is smoothed (spikes = the surrogate's
// primitive) so that the surrogate is the exact derivative of what the differences see.
import Testing
@testable import SpikeCore
@testable import SpikeTrain

let tolerance = 1e-4

private func mlpSpec(_ neuron: NeuronModel, input: Int = 5, hidden: Int = 6, kind: LayerKind? = nil) -> ModelSpec {
    ModelSpec(inputShape: .flat(input), encoder: .direct, layers: [
        LayerSpec(name: "hidden", kind: kind ?? .dense(outputs: hidden), neuron: neuron),
        LayerSpec(name: "readout", kind: .dense(outputs: 3)),
    ])
}

private let neurons: [(String, NeuronModel)] = [
    ("if-subtract", .integrateAndFire(IFParameters(threshold: 0.7, reset: .subtract))),
    ("if-zero", .integrateAndFire(IFParameters(threshold: 0.7, reset: .zero))),
    ("lif-subtract", .lif(LIFParameters(beta: 0.8, threshold: 0.6, reset: .subtract))),
    ("lif-zero", .lif(LIFParameters(beta: 0.8, threshold: 0.6, reset: .zero))),
    ("lif-none", .lif(LIFParameters(beta: 0.8, threshold: 0.6, reset: .none))),
    ("cuba-lif", .cubaLIF(CubaLIFParameters(alpha: 0.7, beta: 0.85, threshold: 0.6, reset: .subtract))),
    ("adaptive-lif", .adaptiveLIF(AdaptiveLIFParameters(beta: 0.85, threshold: 0.6, reset: .zero, rho: 0.9, kappa: 0.3))),
    ("adaptive-threshold-subtract", .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters(beta: 0.85, threshold: 0.6, reset: .subtract, rho: 0.8, plus: 0.3))),
    ("adaptive-threshold-zero", .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters(beta: 0.85, threshold: 0.6, reset: .zero, rho: 0.8, plus: 0.3))),
    ("adaptive-threshold-none", .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters(beta: 0.85, threshold: 0.6, reset: .none, rho: 0.8, plus: 0.3))),
    ("soft-lif", .softLIF(SoftLIFParameters(tauRC: 0.02, tauRef: 0.002, gamma: 0.1, dt: 0.001))),
    ("soft-lif-amplitude", .softLIF(SoftLIFParameters(tauRC: 0.02, tauRef: 0.002, gamma: 0.1, dt: 0.001, amplitude: 0.01))),
    ("li", .leakyIntegrator(LIParameters(beta: 0.8))),
    ("cuba-li", .cubaLI(CubaLIParameters(alpha: 0.7, beta: 0.8))),
    ("integrator", .integrator(IntegratorParameters())),
]

@Test(arguments: ["li", "integrator"])
func integratingReadoutGradientsMatch(name: String) throws {
    // The NIR-style readout: a dense layer driving leaky integrators (or integrators) whose
    // membrane is the logits, after a spiking hidden layer.
    let readout: NeuronModel = name == "li" ? .leakyIntegrator(LIParameters(beta: 0.7)) : .integrator(IntegratorParameters())
    let spec = ModelSpec(inputShape: .flat(5), encoder: .direct, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 6), neuron: .lif(LIFParameters(beta: 0.8, threshold: 0.6))),
        LayerSpec(name: "readout", kind: .dense(outputs: 3), neuron: readout),
    ])
    #expect(spec.hasReadout)
    let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 5, batch: 3)
    #expect(r.worst < tolerance, "\(name): \(r.worstName)")
    #expect(r.nonzero > r.checked / 2)
}

@Test(arguments: neurons.map(\.0))
func neuronModelGradientsMatchFiniteDifferences(name: String) throws {
    let neuron = try #require(neurons.first { $0.0 == name }).1
    let spec = mlpSpec(neuron)
    for detach in [false, true] {
        let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 5, batch: 3, detachReset: detach,
                                  smooth: !detach)
        // Detaching the reset changes the gradient but not the forward, so only the attached
        // version is checked against differences; the detached one must still run.
        if !detach {
            #expect(r.worst < tolerance, "\(name): \(r.worstName)")
            #expect(r.nonzero > r.checked / 2)
        }
    }
}

@Test func refractoryLIFHoldsTheGradientThroughItsHold() throws {
    // The refractory counter follows the hard spike and is piecewise constant, so differences
    // see the hold as the backward treats it (a non-differentiable hold).
    let spec = mlpSpec(.lif(LIFParameters(beta: 0.8, threshold: 0.5, reset: .subtract, refractorySteps: 2)))
    let r = try gradientCheck(spec: spec, loss: Loss(terms: [.mean(weight: 1)]), T: 6, batch: 3)
    #expect(r.worst < tolerance, "\(r.worstName)")
}

/// A delay line between two spiking layers, with direct (constant) and rate (time-varying) input.
@Test func delayLineGradientsMatch() throws {
    for encoder in [Encoder.direct, .rate(gain: 1)] {
        let spec = ModelSpec(inputShape: .flat(5), encoder: encoder, layers: [
            LayerSpec(name: "hidden", kind: .dense(outputs: 6), neuron: .lif(LIFParameters(beta: 0.8, threshold: 0.6))),
            LayerSpec(name: "late", kind: .delay(steps: 2)),
            LayerSpec(name: "readout", kind: .dense(outputs: 3))])
        let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 5, batch: 2)
        #expect(r.worst < tolerance, "\(encoder.name): \(r.worstName)")
        let early = ModelSpec(inputShape: .flat(5), encoder: encoder, layers: [
            LayerSpec(name: "late", kind: .delay(steps: 1)),
            LayerSpec(name: "hidden", kind: .dense(outputs: 6), neuron: .lif(LIFParameters(beta: 0.8, threshold: 0.6))),
            LayerSpec(name: "readout", kind: .dense(outputs: 3))])
        let r2 = try gradientCheck(spec: early, loss: Loss(terms: [.tet(weight: 1)]), T: 4, batch: 2)
        #expect(r2.worst < tolerance, "\(encoder.name), delay first: \(r2.worstName)")
    }
}

/// A 1-D convolution (a 1×K window over (C, 1, L)) with spiking neurons, strided and padded.
@Test func conv1dGradientsMatch() throws {
    let spec = ModelSpec(inputShape: FeatureShape(channels: 2, height: 1, width: 9), encoder: .direct, layers: [
        LayerSpec(name: "conv", kind: .conv1d(outChannels: 3, kernel: 3, stride: 2, padding: 1), neuron: .lif(LIFParameters(beta: 0.8, threshold: 0.4))),
        LayerSpec(name: "flat", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 3))])
    let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 4, batch: 2)
    #expect(r.worst < tolerance, "\(r.worstName)")
}

@Test func recurrentDenseGradientsMatch() throws {
    let spec = mlpSpec(.lif(LIFParameters(beta: 0.8, threshold: 0.6)), kind: .recurrentDense(outputs: 6))
    let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 5, batch: 2)
    #expect(r.worst < tolerance, "\(r.worstName)")
    // rate input: the recurrent layer sees a time-varying input
    var rate = spec; rate.encoder = .rate(gain: 1)
    let r2 = try gradientCheck(spec: rate, loss: Loss(terms: [.mean(weight: 1)]), T: 4, batch: 2)
    #expect(r2.worst < tolerance, "\(r2.worstName)")
}

@Test(arguments: ["avg", "sum", "max"])
func convPoolBatchNormGradientsMatch(pool: String) throws {
    let kind: LayerKind = switch pool { case "avg": .avgPool2d(kernel: 2); case "sum": .sumPool2d(kernel: 2); default: .maxPool2d(kernel: 2) }
    let lif = NeuronModel.lif(LIFParameters(beta: 0.7, threshold: 0.5, reset: .zero))
    let spec = ModelSpec(inputShape: FeatureShape(channels: 2, height: 5, width: 5), encoder: .rate(gain: 1), layers: [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 3, kernel: 3, stride: 1, padding: 1)),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: lif),
        LayerSpec(name: "pool", kind: kind),
        LayerSpec(name: "conv2", kind: .conv2d(outChannels: 2, kernel: 2, stride: 2, padding: 1), neuron: lif),
        LayerSpec(name: "flatten", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 3)),
    ])
    // Batch statistics over (T, B, H, W) (the default) and per step over (B, H, W).
    for overTime in [true, false] {
        let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 3, batch: 3, perParam: 8,
                                  bnOverTime: overTime)
        #expect(r.worst < tolerance, "over time \(overTime): \(r.worstName)")
        #expect(r.nonzero > r.checked / 2)
    }
}

@Test func directInputThroughConvAndBatchNormIsComputedOnceAndStillExact() throws {
    // Direct input: conv and batch norm see the same input every step and are computed once.
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 4, width: 4), encoder: .direct, layers: [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 2, kernel: 3, stride: 1, padding: 0)),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: .lif(LIFParameters(beta: 0.6, threshold: 0.5))),
        LayerSpec(name: "flatten", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 3)),
    ])
    for overTime in [true, false] {
        let r = try gradientCheck(spec: spec, loss: Loss(terms: [.mean(weight: 1)]), T: 4, batch: 4, bnOverTime: overTime)
        #expect(r.worst < tolerance, "over time \(overTime): \(r.worstName)")
    }
}

@Test(arguments: ["atan", "fast-sigmoid", "rectangular", "triangular"])
func everySurrogateGivesExactGradientsOfItsSmoothedForward(name: String) throws {
    let s: Surrogate = switch name {
    case "atan": .atan(alpha: 2); case "fast-sigmoid": .fastSigmoid(slope: 5)
    case "rectangular": .rectangular(width: 1.5); default: .triangular(width: 1) }
    let r = try gradientCheck(spec: mlpSpec(.lif(LIFParameters(beta: 0.8, threshold: 0.6, reset: .zero))),
                              loss: Loss(terms: [.tet(weight: 1)]), T: 4, batch: 3, surrogate: s)
    #expect(r.worst < tolerance, "\(name): \(r.worstName)")
}

@Test(arguments: ["mean", "tet", "count-mse", "firing-rate"])
func lossGradientsMatchThroughTheNetwork(name: String) throws {
    let loss: Loss = switch name {
    case "mean": Loss(terms: [.mean(weight: 1)])
    case "tet": Loss(terms: [.tet(weight: 1)])
    case "count-mse": Loss(terms: [.countMSE(weight: 0.5, correctRate: 0.8, incorrectRate: 0.2)])
    case "firing-rate": Loss(terms: [.mean(weight: 1), .firingRate(weight: 2, target: 0.1)])
    default: Loss(terms: [.mean(weight: 1)])
    }
    let r = try gradientCheck(spec: mlpSpec(.lif(LIFParameters(beta: 0.8, threshold: 0.6))), loss: loss, T: 4, batch: 3)
    #expect(r.worst < tolerance, "\(name): \(r.worstName)")
}

/// Every pass split over two workers (convolution rows, batch-norm channels, neuron samples,
/// pooling and dense rows, ∂W's rows) gives the one-worker logits and gradients.
@Test(arguments: ["conv-bn-pool", "recurrent", "adaptive"])
func twoWorkersGiveTheSameLogitsAndGradients(_ name: String) throws {
    let lif = NeuronModel.lif(LIFParameters(beta: 0.7, threshold: 0.3))
    let spec: ModelSpec = switch name {
    case "conv-bn-pool":
        ModelSpec(inputShape: FeatureShape(channels: 2, height: 6, width: 6), encoder: .rate(gain: 1), layers: [
            LayerSpec(name: "conv", kind: .conv2d(outChannels: 3, kernel: 3, stride: 1, padding: 1), neuron: lif),
            LayerSpec(name: "conv2", kind: .conv2d(outChannels: 4, kernel: 3, stride: 1, padding: 1)),
            LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: lif),
            LayerSpec(name: "pool", kind: .avgPool2d(kernel: 2)),
            LayerSpec(name: "conv3", kind: .conv2d(outChannels: 2, kernel: 3, stride: 2, padding: 0)),
            LayerSpec(name: "flatten", kind: .flatten),
            LayerSpec(name: "fc", kind: .dense(outputs: 7), neuron: lif),
            LayerSpec(name: "readout", kind: .dense(outputs: 3)),
        ])
    case "recurrent":
        ModelSpec(inputShape: .flat(10), encoder: .direct, layers: [
            LayerSpec(name: "rec", kind: .recurrentDense(outputs: 9), neuron: lif),
            LayerSpec(name: "readout", kind: .dense(outputs: 3)),
        ])
    default:
        ModelSpec(inputShape: .flat(10), encoder: .rate(gain: 1), layers: [
            LayerSpec(name: "hidden", kind: .dense(outputs: 9),
                      neuron: .adaptiveLIF(AdaptiveLIFParameters(beta: 0.8, threshold: 0.4, rho: 0.9, kappa: 0.2))),
            LayerSpec(name: "readout", kind: .dense(outputs: 3), neuron: .leakyIntegrator(LIParameters(beta: 0.9))),
        ])
    }
    let net = try Network(spec: spec, seed: 3)
    let batch = 5, f = spec.inputShape.count
    func run(workers: Int) -> (logits: [Double], grads: [Double]) {
        let g = Graph<Double>(network: net, steps: 3, capacity: batch, surrogate: .atan(alpha: 2), detachReset: false)
        g.workers = workers
        g.parallelWork = 0
        let x = uniform(batch * f, seed: 8)
        var rng = Rng(seed: 1)
        x.withUnsafeBufferPointer { g.forward(images: $0, batch: batch, rng: &rng) }
        _ = Loss(terms: [.tet(weight: 1)]).outputLoss(z: g.logits.p, steps: 3, batch: batch, classes: 3,
                                                      labels: [0, 1, 2, 0, 1], normaliser: batch, grad: g.gLogits.p)
        g.zeroGrad()
        g.backward(firingRate: (weight: 0.5, target: 0.2))
        return ((0..<(3 * batch * 3)).map { g.logits.p[$0] }, g.params.flatMap { p in (0..<p.count).map { p.grad.p[$0] } })
    }
    let one = run(workers: 1), two = run(workers: 2)
    #expect(one.logits == two.logits)
    #expect(one.grads.count == two.grads.count)
    // The same products summed in two parts: equal up to Double rounding.
    #expect(zip(one.grads, two.grads).map { abs($0 - $1) }.max()! < 1e-12)
    #expect(one.grads.contains { $0 != 0 })
}

@Test(arguments: [true, false])
func batchNormPoolsStepsOnlyWhenAskedTo(overTime: Bool) throws {
    // Rate input: every step sees other spikes, so per-step means differ. Fresh γ = 1, β = 0, so
    // the normalised output has mean 0 over the pooled values: all steps, or each step alone.
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 4, width: 4), encoder: .rate(gain: 1), layers: [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 2, kernel: 3, stride: 1, padding: 1)),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: .lif(LIFParameters(beta: 0.6, threshold: 0.5))),
        LayerSpec(name: "flatten", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 3)),
    ])
    let T = 3, b = 4, c = 2, hw = 16
    let g = Graph<Double>(network: try Network(spec: spec, seed: 5), steps: T, capacity: b, surrogate: .atan(alpha: 2),
                          detachReset: false)
    g.bnOverTime = overTime
    let x = uniform(b * hw, seed: 7, 0, 1)
    var rng = Rng(seed: 11)
    x.withUnsafeBufferPointer { g.forward(images: $0, batch: b, rng: &rng) }
    let y = g.cur[1].p
    func mean(steps: Range<Int>, channel ch: Int) -> Double {
        var s = 0.0
        for t in steps { for bi in 0..<b { for k in 0..<hw { s += y[((t * b + bi) * c + ch) * hw + k] } } }
        return s / Double(steps.count * b * hw)
    }
    for ch in 0..<c {
        #expect(abs(mean(steps: 0..<T, channel: ch)) < 1e-9)
        let perStep = (0..<T).map { mean(steps: $0..<($0 + 1), channel: ch) }
        if overTime {
            #expect(perStep.map(abs).max()! > 1e-3, "the steps' own means should differ from the pooled one")
        } else {
            #expect(perStep.map(abs).max()! < 1e-9)
        }
    }
}
