// Rate-trained networks run as spikes: soft-LIF layers replaced by their spiking twin (lif-rc).
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeTrain

/// A 6-20-3 soft-LIF network whose hidden currents lie mostly above threshold.
private func rateNetwork() throws -> Network {
    let spec = ModelSpec(inputShape: .flat(6), encoder: .direct, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 20), neuron: .softLIF(SoftLIFParameters())),
        LayerSpec(name: "readout", kind: .dense(outputs: 3))])
    var net = try Network(spec: spec, seed: 3)
    var rng = Rng(seed: 5)
    net.parameters[0].weight = (0..<120).map { _ in rng.nextFloat() - 0.5 }
    net.parameters[0].bias = (0..<20).map { _ in 1 + 2 * rng.nextFloat() }
    return net
}

/// The converted network's readout, averaged over a long presentation after the synapses
/// settle, gives the rate network's logits: the same answer on every input, values within a few
/// percent of the logits' spread.
@Test func convertedNetworkGivesTheRateNetworksAnswer() throws {
    let rate = try rateNetwork(), spiking = try rate.spiking(tauSyn: 0.005)
    if case .rcLIF(let p) = spiking.spec.layers[0].neuron {
        #expect(p.tauRC == 0.02 && p.tauRef == 0.002 && p.dt == 0.001 && p.tauSyn == 0.005)
    } else {
        Issue.record("hidden layer not converted")
    }
    #expect(spiking.parameters[0].weight == rate.parameters[0].weight)
    let batch = 8, steps = 3000, settle = 50
    let x = uniform(batch * 6, seed: 9)
    let r = Simulation(network: rate, batch: batch, timesteps: 1, seed: 0, recording: nil)
    try r.setInput(x)
    r.step()
    let logits = Array(r.output(layer: 1))
    let s = Simulation(network: spiking, batch: batch, timesteps: steps, seed: 0, recording: nil)
    try s.setInput(x)
    var mean = [Double](repeating: 0, count: batch * 3)
    for t in 0..<steps {
        s.step()
        if t >= settle { for (k, v) in s.output(layer: 1).enumerated() { mean[k] += Double(v) / Double(steps - settle) } }
    }
    let spread = Double(logits.max()! - logits.min()!)
    #expect(spread > 0.1)
    for b in 0..<batch {
        let a = (0..<3).max { logits[b * 3 + $0] < logits[b * 3 + $1] }!
        let c = (0..<3).max { mean[b * 3 + $0] < mean[b * 3 + $1] }!
        #expect(a == c, "sample \(b)")
        for k in 0..<3 { #expect(abs(mean[b * 3 + k] - Double(logits[b * 3 + k])) < 0.05 * spread) }
    }
}

@Test func conversionRejectsWhatItCannotRun() throws {
    let lif = try Network(spec: ModelSpec(inputShape: .flat(4), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 3), neuron: .lif(LIFParameters()))]), seed: 1)
    #expect(throws: ModelError.self) { try lif.spiking() }
    let coarse = try Network(spec: ModelSpec(inputShape: .flat(4), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 3), neuron: .softLIF(SoftLIFParameters(tauRC: 0.02, dt: 0.02)))]), seed: 1)
    #expect(throws: ModelError.self) { try coarse.spiking() }
    #expect(throws: ModelError.self) { try rateNetwork().spiking(tauSyn: -1) }
    // the trainer takes no lif-rc network, and no rate noise without soft-LIF
    let config = try TrainConfig(epochs: 1, batchSize: 4, T: 1)
    #expect(throws: TrainError.self) { try Trainer(network: try rateNetwork().spiking(), config: config) }
    // an adaptive-threshold one trains (its backward: GradientTests)
    let homeostatic = try Network(spec: ModelSpec(inputShape: .flat(4), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 3), neuron: .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters()))]), seed: 1)
    #expect(throws: Never.self) { _ = try Trainer(network: homeostatic, config: config) }
    let noisy = try TrainConfig(epochs: 1, batchSize: 4, T: 1, rateNoise: .gaussian(sigma: 10))
    #expect(throws: TrainError.self) { try Trainer(network: lif, config: noisy) }
    #expect(throws: TrainError.self) { try RateNoise.parse("gaussian:-1") }
    #expect(throws: TrainError.self) { try RateNoise.parse("poisson:0") }
    #expect(throws: TrainError.self) { try RateNoise.parse("uniform:3") }
    #expect(try RateNoise.parse("poisson:50") == .poisson(window: 50))
}

/// Rate noise is drawn only in training, changes the outputs by about its size, and is the same
/// for a sample whichever part of the batch it is in.
@Test(arguments: [RateNoise.gaussian(sigma: 20), .poisson(window: 20)])
func rateNoiseIsTrainingOnlyAndPerSample(_ noise: RateNoise) throws {
    let net = try rateNetwork()
    let x = uniform(4 * 6, seed: 2)
    func hidden(_ mode: GraphMode, noise: RateNoise?, first: Int = 0, rows: Range<Int> = 0..<4) -> [Float] {
        let g = Graph<Float>(network: net, steps: 1, capacity: 4, surrogate: .atan(alpha: 2), detachReset: false)
        g.mode = mode; g.rateNoise = noise; g.noiseSeed = 77; g.noiseFirstSample = first
        var rng = Rng(seed: 0)
        let part = Array(x[(rows.lowerBound * 6)..<(rows.upperBound * 6)])
        part.withUnsafeBufferPointer { g.forward(images: $0, batch: rows.count, rng: &rng) }
        return (0..<(rows.count * 20)).map { g.out[0].p[$0] }
    }
    let clean = hidden(.training, noise: nil), noisy = hidden(.training, noise: noise)
    #expect(hidden(.inference, noise: noise) == clean)
    let change = zip(clean, noisy).map { abs($0 - $1) }.max()!
    #expect(change > 1e-3 && change < 0.3)
    // the last two samples as a batch of their own (the trainer's second half) get the same noise
    #expect(hidden(.training, noise: noise, first: 2, rows: 2..<4) == Array(noisy[40...]))
}
