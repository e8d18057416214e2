// The trainer's forward (inference mode, hard spikes) against SpikeCore.Simulation.
import Testing
@testable import SpikeCore
@testable import SpikeTrain

/// Per-step logits (T, B, K) of Simulation for batch input x (B, F).
private func simulate(_ net: Network, _ x: [Float], batch: Int, T: Int, seed: UInt64) throws -> [Float] {
    let sim = Simulation(network: net, batch: batch, timesteps: T, seed: seed, recording: nil)
    try sim.setInput(x)
    sim.reset()
    var out: [Float] = []
    for _ in 0..<T {
        sim.step()
        out += Array(sim.output(layer: net.spec.layers.count - 1))
    }
    return out
}

private func trainerLogits(_ net: Network, _ x: [Float], batch: Int, T: Int, seed: UInt64) -> [Float] {
    let g = Graph<Float>(network: net, steps: T, capacity: batch, surrogate: .atan(alpha: 2), detachReset: false)
    g.mode = .inference
    var rng = Rng(seed: seed)
    x.withUnsafeBufferPointer { g.forward(images: $0, batch: batch, rng: &rng) }
    return (0..<(T * batch * g.classes)).map { g.logits.p[$0] }
}

private let lif = NeuronModel.lif(LIFParameters(beta: 0.8, threshold: 0.5, reset: .subtract))

private let models: [(String, ModelSpec)] = [
    ("conv1d", ModelSpec(inputShape: FeatureShape(channels: 2, height: 1, width: 11), encoder: .direct, layers: [
        LayerSpec(name: "c1", kind: .conv1d(outChannels: 4, kernel: 3, stride: 1, padding: 1), neuron: lif),
        LayerSpec(name: "c2", kind: .conv1d(outChannels: 3, kernel: 2, stride: 2, padding: 0), neuron: lif),
        LayerSpec(name: "flat", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("delay-direct-and-hidden", ModelSpec(inputShape: .flat(12), encoder: .direct, layers: [
        LayerSpec(name: "early", kind: .delay(steps: 1)),
        LayerSpec(name: "hidden", kind: .dense(outputs: 20), neuron: lif),
        LayerSpec(name: "late", kind: .delay(steps: 2)),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("mlp-direct", ModelSpec(inputShape: .flat(12), encoder: .direct, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 20), neuron: lif),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("mlp-rate-refractory", ModelSpec(inputShape: .flat(12), encoder: .rate(gain: 1), layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 20),
                  neuron: .lif(LIFParameters(beta: 0.9, threshold: 0.4, reset: .zero, refractorySteps: 2))),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("recurrent-cuba-adaptive", ModelSpec(inputShape: .flat(12), encoder: .latency(threshold: 0.2), layers: [
        LayerSpec(name: "rec", kind: .recurrentDense(outputs: 16),
                  neuron: .cubaLIF(CubaLIFParameters(alpha: 0.5, beta: 0.8, threshold: 0.3))),
        LayerSpec(name: "ad", kind: .dense(outputs: 10),
                  neuron: .adaptiveLIF(AdaptiveLIFParameters(beta: 0.9, threshold: 0.3, rho: 0.9, kappa: 0.2))),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("if-softlif", ModelSpec(inputShape: .flat(12), encoder: .direct, layers: [
        LayerSpec(name: "a", kind: .dense(outputs: 10), neuron: .integrateAndFire(IFParameters(threshold: 0.5))),
        LayerSpec(name: "b", kind: .dense(outputs: 10), neuron: .softLIF(SoftLIFParameters())),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
    ("conv-bn-pools", ModelSpec(inputShape: FeatureShape(channels: 2, height: 6, width: 6), encoder: .direct, layers: [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 4, kernel: 3, stride: 1, padding: 1)),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: lif),
        LayerSpec(name: "pool", kind: .maxPool2d(kernel: 2)),
        LayerSpec(name: "conv2", kind: .conv2d(outChannels: 3, kernel: 2, stride: 1, padding: 0), neuron: lif),
        LayerSpec(name: "avg", kind: .avgPool2d(kernel: 2)),
        LayerSpec(name: "flatten", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])),
]

/// Same equations, same order of reset and threshold test: logits agree to float rounding.
/// The two compute the same dot products with sgemm calls of different shapes (T·B rows
/// against B rows), whose summation order may differ in the last bits, hence 1e-5 and not ==;
/// a different spike would change a logit by a whole weight (≥ 1e-3 here).
@Test(arguments: models.map(\.0))
func trainerForwardEqualsSimulation(name: String) throws {
    var spec = try #require(models.first { $0.0 == name }).1
    var net = try Network(spec: spec, seed: 7)
    // batch norm with non-trivial running statistics
    for i in net.parameters.indices where !net.parameters[i].runningMean.isEmpty {
        let c = net.parameters[i].runningMean.count
        net.parameters[i].runningMean = uniform(c, seed: 3, -0.2, 0.2)
        net.parameters[i].runningVar = uniform(c, seed: 4, 0.5, 1.5)
        net.parameters[i].weight = uniform(c, seed: 5, 0.5, 1.5)
    }
    spec = net.spec
    let batch = 3, T = 6
    let x = uniform(batch * spec.inputShape.count, seed: 11)
    let expected = try simulate(net, x, batch: batch, T: T, seed: 21)
    let found = trainerLogits(net, x, batch: batch, T: T, seed: 21)
    #expect(expected.count == found.count)
    let worst = zip(expected, found).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-5, "largest difference \(worst)")
    #expect(Set(expected).count > 4)   // the logits carry information, not a constant
}

/// The readout per step (T, B, K) of frames input `samples` (B, T, F) run by Simulation, which
/// takes (T, B, F), and by the trainer's graph, which takes the dataset's (B, T, F).
private func framesLogits(_ net: Network, _ samples: [Float], batch: Int, T: Int) throws -> (simulation: [Float], graph: [Float]) {
    let f = net.spec.inputShape.count, last = net.spec.layers.count - 1
    var timeMajor: [Float] = []
    for t in 0..<T { for b in 0..<batch { timeMajor += samples[((b * T + t) * f)..<((b * T + t) * f + f)] } }
    let sim = Simulation(network: net, batch: batch, timesteps: T, seed: 0, recording: nil)
    try sim.setInput(timeMajor)
    sim.reset()
    var stepped: [Float] = []
    for _ in 0..<T { sim.step(); stepped += Array(sim.output(layer: last)) }
    let g = Graph<Float>(network: net, steps: T, capacity: batch, surrogate: .atan(alpha: 2), detachReset: false)
    var rng = Rng(seed: 0)
    samples.withUnsafeBufferPointer { g.forward(images: $0, batch: batch, rng: &rng) }
    return (stepped, (0..<(T * batch * g.classes)).map { g.logits.p[$0] })
}

@Test func framesInputMatchesSimulation() throws {
    // Datasets hold each sample's T frames one after another (B, T, F); Simulation takes (T, B, F).
    let spec = ModelSpec(inputShape: .flat(6), encoder: .frames, layers: [
        LayerSpec(name: "rec", kind: .recurrentDense(outputs: 8), neuron: .lif(LIFParameters(beta: 0.8, threshold: 0.4))),
        LayerSpec(name: "readout", kind: .dense(outputs: 3))])
    let net = try Network(spec: spec, seed: 2)
    let (expected, found) = try framesLogits(net, uniform(2 * 5 * 6, seed: 9), batch: 2, T: 5)
    #expect(zip(expected, found).map { abs($0 - $1) }.max()! <= 1e-5)
    // and its gradients are exact
    let r = try gradientCheck(spec: spec, loss: Loss(terms: [.tet(weight: 1)]), T: 4, batch: 2)
    #expect(r.worst < tolerance, "\(r.worstName)")
}

/// A batch of sparse spike frames: Simulation takes the batched event product (the hidden layer's
/// 64 × 300 × 250 on both cores, the readout's on one, where the CPU has the fast kernel) and the
/// trainer's graph the dense one; both give the same logits.
@Test func sparseSpikeBatchMatchesTheGraph() throws {
    let lif = NeuronModel.lif(LIFParameters(beta: 0.9, threshold: 0.5, reset: .subtract))
    let spec = ModelSpec(inputShape: .flat(300), encoder: .frames, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 250), neuron: lif),
        LayerSpec(name: "readout", kind: .dense(outputs: 4))])
    let net = try Network(spec: spec, seed: 4)
    var rng = Rng(seed: 12)
    let samples: [Float] = (0..<(64 * 6 * 300)).map { _ in rng.nextFloat() < 0.2 ? 1 : 0 }
    let (expected, found) = try framesLogits(net, samples, batch: 64, T: 6)
    #expect(zip(expected, found).map { abs($0 - $1) }.max()! <= 1e-5)
    #expect(Set(expected).count > 10)
}
