import Foundation
import Testing
@testable import SpikeCore

func mlp(encoder: Encoder = .rate(gain: 1), hidden: Int = 30, neuron: NeuronModel = .lif(LIFParameters(beta: 0.9))) -> ModelSpec {
    ModelSpec(inputShape: .flat(20), encoder: encoder, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: hidden), neuron: neuron),
        LayerSpec(name: "readout", kind: .dense(outputs: 4)),
    ])
}

private func sampleInput(_ n: Int, seed: UInt64) -> [Float] {
    var r = Rng(seed: seed)
    return (0..<n).map { _ in r.nextFloat() }
}

/// Every layer's spikes for `steps` steps of batch element 0.
private func spikeHistory(_ sim: Simulation, steps: Int) -> [[Float]] {
    (0..<steps).map { _ in
        sim.step()
        return (0..<sim.network.spec.layers.count).flatMap { Array(sim.output(layer: $0)) }
    }
}

@Test func sameSeedGivesSameSpikesAndOtherSeedsDiffer() throws {
    let net = try Network(spec: mlp(), seed: 1)
    let x = sampleInput(20, seed: 2)
    func run(_ seed: UInt64, stream: UInt64 = 0) throws -> [[Float]] {
        let sim = Simulation(network: net, timesteps: 8, seed: seed)
        try sim.setInput(x)
        sim.reset(stream: stream)
        return spikeHistory(sim, steps: 20)
    }
    #expect(try run(7) == run(7))
    #expect(try run(7, stream: 3) == run(7, stream: 3))
    #expect(try run(7) != run(8))
    #expect(try run(7) != run(7, stream: 3))
    // reset() starts the same run again
    let sim = Simulation(network: net, timesteps: 8, seed: 7)
    try sim.setInput(x)
    sim.reset()
    let a = spikeHistory(sim, steps: 10)
    sim.reset()
    #expect(spikeHistory(sim, steps: 10) == a)
}

@Test func eventDrivenBatchOnePathMatchesBatchedSgemm() throws {
    // Batch 1 takes the event-driven path for sparse spike input; batch 2 always uses sgemm.
    let spec = ModelSpec(inputShape: .flat(20), encoder: .frames, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: 30), neuron: .lif(LIFParameters(beta: 0.9, threshold: 0.5))),
        LayerSpec(name: "readout", kind: .dense(outputs: 4)),
    ])
    let net = try Network(spec: spec, seed: 3)
    var r = Rng(seed: 4)
    let frames: [Float] = (0..<(5 * 20)).map { _ in r.nextFloat() < 0.15 ? 1 : 0 }
    let one = Simulation(network: net, batch: 1, timesteps: 5, seed: 0)
    try one.setInput(frames)
    var two = [Float]()
    for t in 0..<5 { two += Array(frames[(t * 20)..<((t + 1) * 20)]) + Array(frames[(t * 20)..<((t + 1) * 20)]) }
    let batched = Simulation(network: net, batch: 2, timesteps: 5, seed: 0)
    try batched.setInput(two)
    var anySpike = false
    for _ in 0..<5 {
        one.step(); batched.step()
        #expect(Array(one.output(layer: 0)) == Array(batched.output(layer: 0).prefix(30)))
        anySpike = anySpike || one.spikeCount(layer: 0) > 0
        let l1 = one.logits(), l2 = batched.logits(batchIndex: 1)
        #expect(zip(l1, l2).allSatisfy { abs($0 - $1) < 1e-5 })
    }
    #expect(anySpike)
}

@Test func recorderKeepsExactlyTheLastCapacitySteps() throws {
    let net = try Network(spec: mlp(), seed: 1)
    for capacity in 1...5 {
        for pushes in 0...12 {
            let sim = Simulation(network: net, timesteps: 8, seed: 5, recording: RecorderConfig(capacity: capacity))
            try sim.setInput(sampleInput(20, seed: 9))
            sim.reset()
            var model: [(spikes: [Bool], membrane: [Float], logits: [Float])] = []
            for _ in 0..<pushes {
                sim.step()
                model.append((sim.output(layer: 0).map { $0 > 0 }, Array(sim.preResetMembrane(layer: 0)), Array(sim.logits())))
            }
            guard let rec = sim.recorder else { Issue.record("no recorder"); return }
            #expect(rec.count == min(pushes, capacity))
            let kept = Array(model.suffix(capacity))
            if pushes == 0 { #expect(rec.steps == nil); continue }
            #expect(rec.steps == (pushes - kept.count + 1)...pushes)
            for (k, t) in (rec.steps ?? 1...0).enumerated() {
                #expect((0..<30).map { rec.spiked(layer: 0, step: t, neuron: $0) } == kept[k].spikes)
                #expect(rec.spikeCount(layer: 0, step: t) == kept[k].spikes.filter { $0 }.count)
                #expect(rec.membranes(layer: 0, step: t).map(Array.init) == kept[k].membrane)
                #expect(rec.logits(step: t).map(Array.init) == kept[k].logits)
            }
            #expect(rec.membranes(layer: 0, step: pushes + 1) == nil)
            #expect(rec.logits(step: pushes - kept.count) == nil)
        }
    }
}

@Test func recorderKeepsChosenMembranesOfBigLayers() throws {
    let net = try Network(spec: mlp(hidden: 100), seed: 1)
    let sim = Simulation(network: net, timesteps: 4, seed: 1,
                         recording: RecorderConfig(capacity: 4, fullMembraneLimit: 50, chosen: ["hidden": [7, 3, 99]]))
    try sim.setInput(sampleInput(20, seed: 1))
    sim.step()
    let m = sim.membrane(layer: 0)
    #expect(sim.recorder?.layers[0].membraneNeurons == [3, 7, 99])
    #expect(sim.recorder?.membranes(layer: 0, step: 1).map(Array.init) == [m[3], m[7], m[99]])
}

@Test func encodersProduceTheirCodes() throws {
    let spec = { (e: Encoder) in ModelSpec(inputShape: .flat(3), encoder: e, layers: [
        LayerSpec(name: "id", kind: .dense(outputs: 3), neuron: .integrateAndFire(IFParameters(threshold: 0.5, reset: .zero)),
                  initialisation: .identity)]) }
    // latency: x = 1 fires at step 1, x = 0.5 at round(0.5·4) + 1 = 3, x = 0.05 (< threshold 0.1) never
    let net = try Network(spec: spec(.latency(threshold: 0.1)), seed: 0)
    let sim = Simulation(network: net, timesteps: 5, seed: 0)
    try sim.setInput([1, 0.5, 0.05])
    var fired: [[Float]] = []
    for _ in 0..<5 { sim.step(); fired.append(Array(sim.output(layer: 0))) }
    #expect(fired == [[1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0]])
    // rate: x = 1 always spikes, x = 0 never; 0.5 about half the time over 2,000 steps
    let rate = Simulation(network: try Network(spec: spec(.rate(gain: 1)), seed: 0), timesteps: 5, seed: 3)
    try rate.setInput([1, 0, 0.5])
    var counts = [0, 0, 0]
    for _ in 0..<2000 { rate.step(); for k in 0..<3 where rate.output(layer: 0)[k] > 0 { counts[k] += 1 } }
    #expect(counts[0] == 2000 && counts[1] == 0)
    #expect(abs(counts[2] - 1000) < 120)   // binomial sd ≈ 22
    // frames: frame t is the input of step t, zeros after T
    let frames = Simulation(network: try Network(spec: spec(.frames), seed: 0), timesteps: 2, seed: 0)
    try frames.setInput([1, 0, 0, 0, 0, 1])
    frames.step(); #expect(Array(frames.output(layer: 0)) == [1, 0, 0])
    frames.step(); #expect(Array(frames.output(layer: 0)) == [0, 0, 1])
    frames.step(); #expect(Array(frames.output(layer: 0)) == [0, 0, 0])
    #expect(throws: ModelError.inputSize(expected: 6, found: 3)) { try frames.setInput([1, 2, 3]) }
}

@Test func convNetworkWithBatchNormFoldsToTheSameOutputs() throws {
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 8, width: 8), encoder: .direct, layers: [
        LayerSpec(name: "conv1", kind: .conv2d(outChannels: 4, kernel: 3, stride: 1, padding: 1)),
        LayerSpec(name: "bn1", kind: .batchNorm(epsilon: 1e-5), neuron: .lif(LIFParameters(beta: 0.5, threshold: 0.3, reset: .zero))),
        LayerSpec(name: "pool1", kind: .avgPool2d(kernel: 2)),
        LayerSpec(name: "flat", kind: .flatten),
        LayerSpec(name: "fc", kind: .dense(outputs: 3)),
    ])
    var net = try Network(spec: spec, seed: 2)
    var r = Rng(seed: 8)
    net.parameters[1].weight = (0..<4).map { _ in 0.5 + r.nextFloat() }
    net.parameters[1].bias = (0..<4).map { _ in r.nextFloat() - 0.5 }
    net.parameters[1].runningMean = (0..<4).map { _ in r.nextFloat() - 0.5 }
    net.parameters[1].runningVar = (0..<4).map { _ in 0.5 + r.nextFloat() }
    let folded = try net.foldingBatchNorm()
    #expect(folded.spec.layers.map(\.name) == ["conv1", "pool1", "flat", "fc"])
    #expect(folded.shapes.last?.output == .flat(3))
    let x = sampleInput(64, seed: 4)
    let a = Simulation(network: net, timesteps: 6, seed: 0), b = Simulation(network: folded, timesteps: 6, seed: 0)
    try a.setInput(x); try b.setInput(x)
    var spikes = 0
    for _ in 0..<6 {
        a.step(); b.step()
        #expect(zip(a.membrane(layer: 1), b.membrane(layer: 0)).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(zip(a.logits(), b.logits()).allSatisfy { abs($0 - $1) < 1e-4 })
        spikes += a.spikeCount(layer: 1)
    }
    #expect(spikes > 0)
}

@Test func recurrentLayerFeedsItsSpikesBack() throws {
    // One IF neuron driven once; a recurrent weight of 1 keeps it firing every step after.
    let spec = ModelSpec(inputShape: .flat(1), encoder: .frames, layers: [
        LayerSpec(name: "r", kind: .recurrentDense(outputs: 1), neuron: .integrateAndFire(IFParameters(threshold: 1, reset: .zero)),
                  bias: false, initialisation: .constant(1))])
    var net = try Network(spec: spec, seed: 0)
    net.parameters[0].recurrent = [1]
    let sim = Simulation(network: net, timesteps: 4, seed: 0)
    try sim.setInput([1, 0, 0, 0])
    var out: [Float] = []
    for _ in 0..<4 { sim.step(); out.append(sim.output(layer: 0)[0]) }
    #expect(out == [1, 1, 1, 1])
    net.parameters[0].recurrent = [0]
    let off = Simulation(network: net, timesteps: 4, seed: 0)
    try off.setInput([1, 0, 0, 0])
    out = []
    for _ in 0..<4 { off.step(); out.append(off.output(layer: 0)[0]) }
    #expect(out == [1, 0, 0, 0])
}

@Test func modelErrorsNameTheLayerAndTheProblem() {
    let tooBigKernel = ModelSpec(inputShape: FeatureShape(channels: 1, height: 4, width: 4), layers: [
        LayerSpec(name: "c", kind: .conv2d(outChannels: 2, kernel: 7, stride: 1, padding: 0))])
    #expect(throws: ModelError.badLayer(index: 0, name: "c", reason: "kernel 7 with padding 0 does not fit input [1, 4, 4]")) {
        try tooBigKernel.shapes()
    }
    let dup = ModelSpec(inputShape: .flat(2), layers: [LayerSpec(name: "a", kind: .dense(outputs: 2)), LayerSpec(name: "a", kind: .flatten)])
    #expect(throws: ModelError.duplicateLayerName("a")) { try dup.shapes() }
    #expect(ModelError.tensorShape(file: "w.safetensors", name: "fc.weight", expected: [2, 3], found: [3, 2]).description
            == "w.safetensors: tensor 'fc.weight' has shape [3, 2], expected [2, 3]")
}

@Test func networkCountsNeuronsSynapsesAndParameters() throws {
    let net = try Network(spec: mlp(), seed: 0)
    #expect(net.neuronCount == 34)
    #expect(net.synapseCount == 20 * 30 + 30 * 4)
    #expect(net.parameterCount == 20 * 30 + 30 + 30 * 4 + 4)
    #expect(net.classCount == 4)
}
