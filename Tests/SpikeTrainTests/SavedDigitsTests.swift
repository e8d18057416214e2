// The committed digits weights, run by SpikeCore.Simulation rather than the trainer.
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeData
@testable import SpikeTrain

/// The model `bench/SpikeTrainBench digits` trains and saves to sessions/digits.safetensors.
let savedDigitsSpec = ModelSpec(inputShape: .flat(64), encoder: .direct, layers: [
    LayerSpec(name: "hidden", kind: .dense(outputs: 100), neuron: .lif(LIFParameters(beta: 0.5, threshold: 1, reset: .subtract))),
    LayerSpec(name: "readout", kind: .dense(outputs: 10)),
])

@Test func savedDigitsWeightsReach95PercentInSimulation() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sessions/digits.safetensors").path
    let file = try Safetensors.read(path: path)
    let net = try Network(spec: savedDigitsSpec, tensors: file.tensors, file: path)
    let test = try DataLoader.load(.digits, split: .test)
    let sim = Simulation(network: net, batch: test.count, timesteps: 4, seed: 0, recording: nil)
    try sim.setInput(test.images)
    sim.reset()
    var sums = [Float](repeating: 0, count: test.count * 10)
    for _ in 0..<4 {
        sim.step()
        for (k, v) in sim.output(layer: 1).enumerated() { sums[k] += v }
    }
    var correct = 0
    for b in 0..<test.count {
        let row = sums[(b * 10)..<(b * 10 + 10)]
        if row.firstIndex(of: row.max()!)! - b * 10 == test.labels[b] { correct += 1 }
    }
    let accuracy = Double(correct) / Double(test.count)
    #expect(accuracy >= 0.95, "Simulation accuracy at T=4: \(accuracy)")
    // and the trainer's evaluation agrees with the simulator
    let e = try evaluate(network: net, dataset: test, Ts: [4])
    #expect(e.accuracyByT[4] == accuracy)
}
