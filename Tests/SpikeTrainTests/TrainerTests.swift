// The training loop: configuration errors, data checks, checkpoints, resume, stop, NaN, digits.
import Foundation
import Testing
@testable import SpikeCore
@testable import SpikeData
@testable import SpikeTrain

private func digitsSpec(hidden: Int = 100) -> ModelSpec {
    ModelSpec(inputShape: .flat(64), encoder: .direct, layers: [
        LayerSpec(name: "hidden", kind: .dense(outputs: hidden), neuron: .lif(LIFParameters(beta: 0.9))),
        LayerSpec(name: "readout", kind: .dense(outputs: 10)),
    ])
}

private func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spiketrain-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func small(_ d: Dataset, _ n: Int) -> Dataset { d.prefix(n) }

private func badConfig(_ name: String) throws -> TrainConfig {
    switch name {
    case "T": return try TrainConfig(T: 0)
    case "batch": return try TrainConfig(batchSize: 0)
    case "epochs": return try TrainConfig(epochs: 0)
    case "loss": return try TrainConfig(loss: try Loss.parse("etc+mean"))
    case "lambda": return try TrainConfig(loss: try Loss.parse("tet+etc", lambda: -2))
    case "tau": return try TrainConfig(loss: try Loss.parse("tet+etc", tau: 0))
    case "lr": return try TrainConfig(lr: .nan)
    case "momentum": return try TrainConfig(optimizer: .sgd(momentum: 1))
    default: return try TrainConfig(clipNorm: -1)
    }
}

@Test(arguments: [
    ("T", "T: must be at least 1, found '0'"),
    ("batch", "batch_size: must be at least 1, found '0'"),
    ("epochs", "epochs: must be at least 1, found '0'"),
    ("loss", "loss: unknown name 'etc+mean', expected one of mean, tet, mean+etc, tet+etc"),
    ("lambda", "lambda: must be a positive finite number, found '-2.0'"),
    ("tau", "tau: must be a positive finite number, found '0.0'"),
    ("lr", "lr: must be a positive finite number, found 'nan'"),
    ("momentum", "momentum: must be in [0, 1), found '1.0'"),
    ("clip", "clip_norm: must be a positive finite number, found '-1.0'"),
])
func badConfigurationsNameTheField(name: String, message: String) {
    #expect { try badConfig(name) } throws: { ($0 as? TrainError)?.description == message }
}

@Test func aModelThatDoesNotFitTheDataIsRefused() throws {
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 28, width: 28), layers: [
        LayerSpec(name: "readout", kind: .dense(outputs: 10))])
    let trainer = try Trainer(spec: spec, config: TrainConfig())
    let digits = try DataLoader.load(.digits, split: .test)
    #expect { try trainer.train(train: digits) } throws: {
        ($0 as? TrainError)?.description == "dataset 'digits' has samples of shape [1, 8, 8], but the model expects input shape [1, 28, 28]"
    }
    let tooFewOutputs = try Trainer(spec: ModelSpec(inputShape: .flat(64), layers: [
        LayerSpec(name: "readout", kind: .dense(outputs: 3))]), config: TrainConfig())
    #expect { try tooFewOutputs.train(train: digits) } throws: {
        ($0 as? TrainError)?.description == "model: the last layer has 3 outputs, dataset 'digits' has 10 classes"
    }
}

@Test func digitsTrainingReachesABoundAndCheckpointsRoundTrip() throws {
    let train = try DataLoader.load(.digits, split: .train), test = try DataLoader.load(.digits, split: .test)
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/digits.safetensors"
    let config = try TrainConfig(epochs: 4, batchSize: 32, T: 4, optimizer: .adam(), lr: 3e-3, schedule: .cosine(), seed: 1)
    let trainer = try Trainer(spec: digitsSpec(hidden: 64), config: config)
    var reports: [TrainProgress] = []
    let summary = try trainer.train(train: train, test: test, checkpoint: path) { reports.append($0) }
    #expect(summary.epochsCompleted == 4 && !summary.cancelled)
    let ends = reports.filter { $0.kind == .epochEnd }
    #expect(ends.map(\.epoch) == [0, 1, 2, 3])
    #expect(reports.filter { $0.kind == .batch }.count == 4 * 45)     // 1437 / 32 → 45 batches
    let e = try evaluate(network: trainer.network, dataset: test, Ts: [1, 2, 4])
    #expect(e.n == 360)
    #expect(e.accuracyByT[4]! >= 0.8, "test accuracy at T=4: \(e.accuracyByT)")
    #expect(e.accuracyByT[1] == e.perStepAccuracy[0])
    #expect(e.perStepAccuracy.count == 4)
    #expect(ends.last?.testAccuracy == e.accuracyByT[4])
    // the checkpoint holds Network.tensors() names and loads into an identical network
    let file = try Safetensors.read(path: path)
    #expect(Set(file.tensors.keys) == ["hidden.weight", "hidden.bias", "readout.weight", "readout.bias"])
    #expect(file.metadata["epoch"] == "4")
    let loaded = try Network(spec: digitsSpec(hidden: 64), tensors: file.tensors, file: path)
    #expect(loaded.parameters == trainer.network.parameters)
    #expect(FileManager.default.fileExists(atPath: Trainer.statePath(for: path)))
}

@Test func stoppingAndResumingGivesTheSameWeightsAsOneRun() throws {
    let train = small(try DataLoader.load(.digits, split: .train), 300)
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let config = try TrainConfig(epochs: 2, batchSize: 50, T: 3, optimizer: .adam(), lr: 2e-3, schedule: .cosine(),
                                 seed: 4, parallelism: .blas(threads: 1))
    let straight = try Trainer(spec: digitsSpec(hidden: 20), config: config)
    try straight.train(train: train)

    let path = dir + "/run.safetensors"
    let stop = CancellationFlag()
    let first = try Trainer(spec: digitsSpec(hidden: 20), config: config)
    let s1 = try first.train(train: train, checkpoint: path, cancel: stop) { p in
        if p.kind == .batch && p.epoch == 1 && p.batch == 2 { stop.cancel() }
    }
    #expect(s1.cancelled && s1.epochsCompleted == 1 && s1.checkpoint == path)
    let meta = try Safetensors.read(path: Trainer.statePath(for: path)).metadata
    #expect(meta["epoch"] == "1" && meta["next_batch"] == "3" && meta["step"] == "9")

    var otherBatch = config; otherBatch.batchSize = 40
    #expect { try Trainer(spec: digitsSpec(hidden: 20), config: otherBatch).resume(from: path) } throws: {
        ($0 as? TrainError)?.description == "\(Trainer.statePath(for: path)): cannot resume: batch_size was 50 when it was written, the run asks for 40"
    }
    #expect(try Safetensors.read(path: path).metadata["step"] == "9")
    // A kill between the two renames of a later checkpoint leaves the optimizer state one
    // checkpoint ahead of the weights (the state is written first): resume names it.
    let ahead = dir + "/ahead.safetensors"
    try FileManager.default.copyItem(atPath: path, toPath: ahead)
    var stateFile = try Safetensors.read(path: Trainer.statePath(for: path))
    stateFile.metadata["step"] = "12"
    try Safetensors.write(stateFile.tensors, metadata: stateFile.metadata, to: Trainer.statePath(for: ahead))
    #expect { try Trainer(spec: digitsSpec(hidden: 20), config: config).resume(from: ahead) } throws: {
        ($0 as? TrainError)?.description == "\(Trainer.statePath(for: ahead)): cannot resume: the optimizer state is from step 12, "
            + "the weights \(ahead) from step 9: the run was stopped between the two writes of a checkpoint; the weights are "
            + "whole: start a new run from them with --from-weights"
    }
    let second = try Trainer(spec: digitsSpec(hidden: 20), config: config)
    try second.resume(from: path)
    #expect(second.epoch == 1 && second.nextBatch == 3)
    let s2 = try second.train(train: train)
    #expect(s2.epochsCompleted == 2 && !s2.cancelled)
    #expect(second.network.parameters == straight.network.parameters)
}

@Test func aNaNLossStopsWithTheStepAndTheLastCheckpoint() throws {
    let good = small(try DataLoader.load(.digits, split: .train), 64)
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/w.safetensors"
    // A readout straight on the input: a NaN pixel reaches the logits (through a LIF layer it
    // would not: NaN ≥ θ is false, so the neuron stays silent).
    let spec = ModelSpec(inputShape: .flat(64), layers: [LayerSpec(name: "readout", kind: .dense(outputs: 10))])
    let one = try Trainer(spec: spec, config: TrainConfig(epochs: 1, batchSize: 32, T: 2, seed: 1))
    try one.train(train: good, checkpoint: path)
    var images = good.images
    for sample in 0..<64 { images[sample * 64 + 10] = .nan }   // one pixel of every sample
    let bad = Dataset(name: "bad", split: .train, sampleShape: [1, 8, 8], images: images, labels: good.labels, classes: 10)
    let two = try Trainer(spec: spec, config: TrainConfig(epochs: 2, batchSize: 32, T: 2, seed: 1))
    try two.resume(from: path)
    #expect { try two.train(train: bad) } throws: {
        ($0 as? TrainError)?.description
            == "loss is not finite at epoch 2, batch 1 (optimizer step 3); last good checkpoint: \(path)"
    }
}

@Test func splittingTheBatchOverTwoThreadsGivesTheSameStep() throws {
    let train = small(try DataLoader.load(.digits, split: .train), 64)
    func weights(_ p: Parallelism) throws -> [Float] {
        let config = try TrainConfig(epochs: 1, batchSize: 64, T: 3, loss: try Loss.parse("tet+etc"), optimizer: .sgd(momentum: 0), lr: 0.5,
                                     seed: 2, parallelism: p)
        let t = try Trainer(spec: digitsSpec(hidden: 30), config: config)
        #expect(t.splitsBatch == (p == .splitBatch))
        try t.train(train: train)
        return t.network.parameters.flatMap { $0.weight + $0.bias }
    }
    let a = try weights(.blas(threads: 1)), b = try weights(.splitBatch)
    // Same sums in another order: differences of float rounding only (weights are O(0.1)).
    #expect(zip(a, b).map { abs($0 - $1) }.max()! < 1e-5)
    #expect(a != (try Network(spec: digitsSpec(hidden: 30), seed: 2)).parameters.flatMap { $0.weight + $0.bias })
}

@Test(arguments: BatchNormStats.allCases)
func batchNormTrainsWithBatchStatisticsAndStoresRunningOnes(stats: BatchNormStats) throws {
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 8, width: 8), encoder: .direct, layers: [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 4, kernel: 3, stride: 1, padding: 1), bias: false),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 1e-5), neuron: .lif(LIFParameters(beta: 0.5, reset: .zero))),
        LayerSpec(name: "pool", kind: .avgPool2d(kernel: 2)),
        LayerSpec(name: "flatten", kind: .flatten),
        LayerSpec(name: "readout", kind: .dense(outputs: 10)),
    ])
    let train = small(try DataLoader.load(.digits, split: .train), 128)
    let t = try Trainer(spec: spec, config: TrainConfig(epochs: 1, batchSize: 128, T: 2, seed: 3, batchNormStats: stats))
    try t.train(train: train)
    // One batch of 128 at T = 2 with direct input (the conv output is the same at both steps).
    // Over time: one update per batch, and the first batch's statistics replace the initial
    // (0, 1). Per step: one update per step with momentum 0.1, running mean = (1 − 0.9²)·batch
    // mean = 0.19·batch mean.
    let k = stats == .time ? 1 : 0.19
    let net0 = try Network(spec: spec, seed: 3)
    let x = train.images, w = net0.parameters[0].weight
    var values = [[Double]](repeating: [], count: 4)     // conv outputs per channel over (B, H, W)
    for s in 0..<128 { for c in 0..<4 { for y in 0..<8 { for xx in 0..<8 {
        var acc = 0.0
        for ky in 0..<3 { for kx in 0..<3 {
            let yy = y + ky - 1, xc = xx + kx - 1
            if yy >= 0 && yy < 8 && xc >= 0 && xc < 8 { acc += Double(w[c * 9 + ky * 3 + kx]) * Double(x[s * 64 + yy * 8 + xc]) }
        } }
        values[c].append(acc)
    } } } }
    let running = t.network.parameters[1].runningMean, runningVar = t.network.parameters[1].runningVar
    for c in 0..<4 {
        let n = Double(values[c].count), mean = values[c].reduce(0, +) / n
        let unbiased = values[c].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        // PyTorch: μ ← 0.9μ + 0.1·mean, σ² ← 0.9σ² + 0.1·unbiased var, from (0, 1).
        // 1e-4: Float sums over 8,192 values against a Double reference.
        #expect(abs(Double(running[c]) - k * mean) < 1e-4)
        #expect(abs(Double(runningVar[c]) - ((1 - k) + k * unbiased)) < 1e-4)
    }
}
