// Song, Miller & Abbott 2000 through the engine's learning hook: 1000 Poisson inputs onto one
// LIF neuron under additive STDP with depression slightly dominant (A₋ = 1.05·A₊); the weights,
// all starting in the middle, split into two modes at the bounds.
import Foundation
import SpikeCore
import SpikeLearn
import Testing

@Test func songAbbottWeightsEndBimodal() throws {
    // dt = 1 ms; a current-based LIF (τ = 10 ms: β = 0.905, θ = 1, reset to 0) with a constant
    // inhibitory bias of −0.7 per step, which puts it where Song et al.'s conductance neuron sits:
    // the mean input below threshold, spikes driven by fluctuations (each input spike is up to
    // 10 % of θ). Inputs fire at 15 Hz (p = 0.015 per step). 300 s.
    let n = 1000, wMax: Float = 0.1, seconds = 300, steps = seconds * 1000
    let spec = ModelSpec(inputShape: .flat(n), encoder: .rate(gain: 1), layers: [
        LayerSpec(name: "post", kind: .dense(outputs: 1), neuron: .lif(LIFParameters(beta: 0.905, threshold: 1, reset: .zero)),
                  bias: true, initialisation: .constant(wMax / 2)),
    ])
    var network = try Network(spec: spec, seed: 0)
    network.parameters[0].bias = [-0.7]
    let sim = Simulation(network: network, timesteps: steps, seed: 3, recording: nil)
    try sim.setInput([Float](repeating: 0.015, count: n))
    var p = PairSTDP.Parameters()
    (p.aPlus, p.aMinus, p.wMax) = (0.03 * wMax, 1.05 * 0.03 * wMax, wMax)
    let plasticity = try LayerPlasticity(simulation: sim, layer: 0, rule: .pair(PairSTDP(p, inputs: n, outputs: 1)), dt: 0.001)
    sim.learningRules = [plasticity]
    sim.reset()
    var spikes = 0
    for _ in 0..<steps { sim.step(); spikes += sim.spikeCount(layer: 0) }
    let w = sim.network.parameters[0].weight
    #expect(w == plasticity.weights)
    var hist = [Int](repeating: 0, count: 10)
    for x in w { hist[min(9, Int(x / wMax * 10))] += 1 }
    // U-shaped: each end tenth holds at least 1.5 times as many weights as either middle tenth
    // (measured: [163, 126, 104, 82, 69, 64, 75, 83, 91, 143], output 8 Hz)
    let middle = max(hist[4], hist[5])
    #expect(Double(hist[0]) >= 1.5 * Double(middle) && Double(hist[9]) >= 1.5 * Double(middle), "histogram \(hist)")
    let rate = Double(spikes) / Double(seconds)
    #expect(rate > 1 && rate < 40, "output rate \(rate) Hz")
}

@Test func plasticityNeedsADenseLayerAndVDSPANeuronLayerBefore() throws {
    let spec = ModelSpec(inputShape: .flat(4), encoder: .direct, layers: [
        LayerSpec(name: "a", kind: .dense(outputs: 3), neuron: nil),
        LayerSpec(name: "b", kind: .dense(outputs: 2), neuron: .lif(LIFParameters(beta: 0.9, threshold: 1, reset: .zero))),
    ])
    let sim = Simulation(network: try Network(spec: spec, seed: 0), timesteps: 2, seed: 0)
    #expect(throws: ModelError.badLayer(index: 1, name: "b", reason: "VDSP reads the membranes of the neurons before this layer, and there are none")) {
        try LayerPlasticity(simulation: sim, layer: 1, rule: .vdsp(VDSP()), dt: 0.001)
    }
    #expect(throws: ModelError.self) { try LayerPlasticity(simulation: sim, layer: 5, rule: .vdsp(VDSP()), dt: 0.001) }
}

/// Lateral inhibition as a network part: a recurrent-dense layer whose recurrent weights start at
/// −k between distinct neurons. Two neurons with the same drive: without it both fire at the
/// same rate; with it the first to fire holds the other down, and a rule can learn on the layer.
@Test func lateralInhibitionMakesEquallyDrivenNeuronsCompete() throws {
    func counts(_ k: Float, learning: Bool = false) throws -> [Int] {
        let spec = ModelSpec(inputShape: .flat(2), encoder: .direct, layers: [
            LayerSpec(name: "wta", kind: .recurrentDense(outputs: 2), neuron: .lif(LIFParameters(beta: 0.9, threshold: 1, reset: .zero)),
                      bias: false, initialisation: .constant(0.1), lateralInhibition: k),
        ])
        var network = try Network(spec: spec, seed: 0)
        network.parameters[0].weight = [0.2, 0.1, 0.1, 0.19]                  // neuron 0 a little ahead
        if k > 0 { #expect(network.parameters[0].recurrent == [0, -k, -k, 0]) }
        let sim = Simulation(network: network, timesteps: 200, seed: 0, recording: nil)
        try sim.setInput([1, 1])
        sim.reset()
        if learning { sim.learningRules = [try LayerPlasticity(simulation: sim, layer: 0, rule: .pair(PairSTDP(inputs: 2, outputs: 2)), dt: 0.001)] }
        var c = [0, 0]
        for _ in 0..<200 { sim.step(); let s = sim.output(layer: 0); for i in 0..<2 where s[i] > 0 { c[i] += 1 } }
        return c
    }
    let free = try counts(0), competing = try counts(5)
    #expect(free[0] > 10 && free[1] > 10, "\(free)")
    #expect(competing[0] > 10 && competing[1] < competing[0] / 4, "\(competing)")
    // a rule learns on the layer's feed-forward weights (the recurrent ones stay)
    #expect(try counts(5, learning: true) != competing)
}
