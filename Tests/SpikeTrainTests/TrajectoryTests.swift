// Hand-computed trajectories and gradients through the trainer's graph.
import Testing
@testable import SpikeCore
@testable import SpikeTrain

/// One input feeding one LIF neuron through an identity weight, then an identity readout.
private func oneNeuron(_ lif: LIFParameters) throws -> Graph<Double> {
    let spec = ModelSpec(inputShape: .flat(1), encoder: .direct, layers: [
        LayerSpec(name: "n", kind: .dense(outputs: 1), neuron: .lif(lif), bias: false, initialisation: .identity),
        LayerSpec(name: "readout", kind: .dense(outputs: 1), bias: false, initialisation: .identity),
    ])
    return Graph<Double>(network: try Network(spec: spec, seed: 0), steps: 6, capacity: 1,
                         surrogate: .atan(alpha: 2), detachReset: false)
}

@Test func lifFollowsTheHandComputedTrajectory() throws {
    // STYLE §1: β = 0.5, θ = 1, I = 0.75: values exact in binary, so == is fair.
    let g = try oneNeuron(LIFParameters(beta: 0.5, threshold: 1))
    var rng = Rng(seed: 0)
    [Float(0.75)].withUnsafeBufferPointer { g.forward(images: $0, batch: 1, rng: &rng) }
    #expect((0..<6).map { g.logits.p[$0] } == [0, 1, 0, 1, 0, 1])
}

@Test func twoStepGradientByHand() throws {
    // T = 2, I = w·x with w = 1, x = 0.5, θ = 1, β = 0.5, subtract reset; u0 = 0.5, u1 = 0.75,
    // no spike. The readout is the identity, so with ∂L/∂z_t = 1 the loss is L = s0 + s1, and the
    // chain rule through v0 = u0 − θ·s0 is written out step by step below.
    let g = try oneNeuron(LIFParameters(beta: 0.5, threshold: 1, reset: .subtract))
    var rng = Rng(seed: 0)
    let shortGraph = Graph<Double>(network: try Network(spec: g.spec, seed: 0), steps: 2, capacity: 1,
                                   surrogate: .atan(alpha: 2), detachReset: false)
    [Float(0.5)].withUnsafeBufferPointer { shortGraph.forward(images: $0, batch: 1, rng: &rng) }
    shortGraph.gLogits.p[0] = 1; shortGraph.gLogits.p[1] = 1
    shortGraph.zeroGrad()
    shortGraph.backward()
    let d = { (x: Double) in Surrogate.atan(alpha: 2).derivative(x) }
    let sg0 = d(0.5 - 1), sg1 = d(0.75 - 1)
    // step 1: ∂L/∂u1 = 1·sg1;  ∂L/∂v0 = β·∂L/∂u1
    let gu1 = sg1
    // step 0: ∂L/∂u0 = 1·sg0 + ∂L/∂v0·(1 − θ·sg0)
    let gu0 = sg0 + 0.5 * gu1 * (1 - sg0)
    // I_t = w·x for both steps: ∂L/∂w = x·(∂L/∂u0 + ∂L/∂u1)
    let expected = 0.5 * (gu0 + gu1)
    let weight = try #require(shortGraph.params.first { $0.name == "n.weight" })
    #expect(abs(weight.grad.p[0] - expected) < 1e-15)
}
