// The training loop: batches, BPTT, optimiser steps, progress, checkpoints, resume, stop.
import Foundation
import SpikeCore
import SpikeData

/// A stop request shared with a UI or a signal handler; checked between batches.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    /// Creates a lowered flag.
    public init() {}
    /// Asks the trainer to save and stop after the current batch.
    public func cancel() { lock.lock(); raised = true; lock.unlock() }
    /// True once `cancel()` was called.
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

/// One report of the training loop: after each batch, and once more at the end of each epoch.
public struct TrainProgress: Sendable {
    /// Whether this report closes an epoch.
    public enum Kind: Sendable { case batch, epochEnd }
    /// Batch or epoch-end report.
    public var kind: Kind
    /// Epoch, counted from 0.
    public var epoch: Int
    /// Batch within the epoch, counted from 0 (the last one at epoch end).
    public var batch: Int
    /// Batches per epoch.
    public var batchesPerEpoch: Int
    /// Loss of this batch.
    public var loss: Double
    /// Mean loss over the epoch so far.
    public var runningLoss: Double
    /// Training accuracy over the epoch so far (argmax of the time-averaged output).
    public var runningAccuracy: Double
    /// Training throughput over the epoch so far: wall time of batching, forward, backward and
    /// update (progress callbacks, evaluation and checkpoints excluded).
    public var samplesPerSecond: Double
    /// The learning rate used for this batch.
    public var learningRate: Double
    /// Test accuracy at T (epoch-end reports with a test set only).
    public var testAccuracy: Double?
    /// The checkpoint written at epoch end, if any.
    public var checkpoint: String?
}

/// What a finished (or stopped) run reports.
public struct TrainSummary: Sendable {
    /// Epochs fully completed (including those before a resume).
    public var epochsCompleted: Int
    /// True when the run stopped on a cancellation request.
    public var cancelled: Bool
    /// Mean loss of the last epoch trained (or part of it).
    public var lastLoss: Double
    /// Training accuracy of the last epoch trained (or part of it).
    public var trainAccuracy: Double
    /// Throughput of the last epoch.
    public var samplesPerSecond: Double
    /// The last checkpoint written, if any.
    public var checkpoint: String?
}

/// Trains a `Network` with BPTT; one trainer owns its network's weights while it runs.
///
/// The forward is the engine's (same equations, reset in the step of the spike, `u >= θ`), so
/// the trained network runs the same in `Simulation`. Batch norm trains on batch statistics per
/// channel over (T, B, H, W) and updates its running statistics once per batch (unbiased
/// variance; the plain average of the first ten batches, then momentum 0.1); with
/// `BatchNormStats.step`, over (B, H, W) separately for every step, updating once per step with
/// momentum 0.1, as a PyTorch BatchNorm called once per step.
/// `train` sets the process-wide OpenBLAS thread count from `config.parallelism`.
public final class Trainer {
    /// The settings.
    public let config: TrainConfig
    /// Epoch to run next (counted from 0; set by `resume`).
    public private(set) var epoch = 0
    /// Batch to run next within `epoch` (non-zero after resuming a stopped run).
    public private(set) var nextBatch = 0
    /// The last checkpoint written or resumed from.
    public private(set) var lastCheckpoint: String?

    private var base: Network
    private let graphs: [Graph<Float>]
    private let state: OptimizerState<Float>

    /// Creates a trainer for `network`; throws when the network cannot be trained.
    public init(network: Network, config: TrainConfig) throws {
        try config.validate()
        self.config = config
        base = network
        guard network.shapes.last.map({ $0.output.count > 0 }) == true else { throw TrainError.model("the model has no layers") }
        if let layer = network.spec.layers.first(where: { if case .rcLIF = $0.neuron { true } else { false } }) {
            throw TrainError.model("layer '\(layer.name)': lif-rc runs rate-trained weights as spikes and has no backward; "
                + "train the network with soft-lif neurons (rate mode) and run it with 'eval --mode spiking'")
        }
        if config.rateNoise != nil && !network.isRateNetwork {
            throw TrainError.badValue(field: "rate_noise", expected: "a network with soft-lif layers (rate mode)",
                                      found: config.rateNoise!.name)
        }
        let hasBN = network.spec.layers.contains { if case .batchNorm = $0.kind { true } else { false } }
        let split = config.parallelism == .splitBatch && !hasBN && config.batchSize >= 2
        let cap = split ? (config.batchSize + 1) / 2 : config.batchSize
        let first = Graph<Float>(network: network, steps: config.timesteps, capacity: cap,
                                 surrogate: config.surrogate, detachReset: config.detachReset)
        var gs = [first]
        if split {
            gs.append(Graph(network: network, steps: config.timesteps, capacity: cap, surrogate: config.surrogate,
                            detachReset: config.detachReset, sharing: first))
        }
        if config.parallelism == .splitBatch && !split { first.workers = 2 }
        for g in gs { g.bnOverTime = config.batchNormStats == .time; g.rateNoise = config.rateNoise }
        graphs = gs
        state = OptimizerState(rule: config.optimizer, params: first.params)
    }

    /// Creates a trainer for a fresh network built from `spec` with weights seeded by `config.seed`.
    public convenience init(spec: ModelSpec, config: TrainConfig) throws {
        let network: Network
        do { network = try Network(spec: spec, seed: config.seed) } catch let e as ModelError {
            throw TrainError.model(e.description)
        }
        try self.init(network: network, config: config)
    }

    /// The network with the trained weights and running statistics so far.
    public var network: Network {
        var net = base
        graphs[0].store(into: &net)
        return net
    }

    /// Whether the batch runs as two halves on two threads.
    public var splitsBatch: Bool { graphs.count == 2 }

    /// Throws when `dataset` does not fit the model: input shape (via `Dataset.check`) and classes.
    public static func check(_ dataset: Dataset, fits network: Network, timesteps: Int) throws {
        let shape = network.spec.inputShape
        let dims = shape.isFlat ? [shape.count] : [shape.channels, shape.height, shape.width]
        do {
            if network.spec.encoder == .frames {
                guard dataset.featureCount == timesteps * shape.count else {
                    throw DataError.shapeMismatch(dataset: dataset.name, shape: dataset.sampleShape, expected: [timesteps] + dims)
                }
            } else {
                try dataset.check(inputShape: dims)
            }
        } catch let e as DataError {
            throw TrainError.data(e)
        }
        let k = network.shapes[network.shapes.count - 1].output.count
        guard dataset.classes <= k else {
            throw TrainError.model("the last layer has \(k) outputs, dataset '\(dataset.name)' has \(dataset.classes) classes")
        }
    }

    /// Trains from `epoch`/`nextBatch` to `config.epochs`; reports through `progress`, writes a
    /// checkpoint after every epoch (and on a stop request) when `checkpoint` names a weights file,
    /// evaluates on `test` at epoch end when given. Throws `nonFiniteLoss` on a NaN/∞ loss
    /// (the weights are left as before that batch).
    @discardableResult
    public func train(train dataset: Dataset, test: Dataset? = nil, checkpoint: String? = nil,
                      cancel: CancellationFlag? = nil,
                      progress: (TrainProgress) -> Void = { _ in }) throws -> TrainSummary {
        let net = base
        try Trainer.check(dataset, fits: net, timesteps: config.timesteps)
        if let test { try Trainer.check(test, fits: net, timesteps: config.timesteps) }
        let data = config.trainLimit.map { limit in limit < dataset.count ? dataset.prefix(limit) : dataset } ?? dataset
        switch config.parallelism {
        case .blas(let threads): setBLASThreads(threads)
        case .splitBatch: setBLASThreads(1)
        }
        // The image layout of a sample: the dataset's (C, H, W), else the model's input shape.
        let imageShape = FeatureShape(data.sampleShape) ?? net.spec.inputShape
        let batchesPerEpoch = (data.count + config.batchSize - 1) / config.batchSize
        let totalSteps = batchesPerEpoch * config.epochs
        var summary = TrainSummary(epochsCompleted: epoch, cancelled: false, lastLoss: .nan, trainAccuracy: 0,
                                   samplesPerSecond: 0, checkpoint: lastCheckpoint)
        while epoch < config.epochs {
            let batches = Batches(dataset: data, batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch: epoch)
            var lossSum = 0.0, correct = 0, seen = 0, callbacks = 0.0, batchIndex = 0
            let epochStart = Date()
            for (batchImages, labels, _) in batches {
                defer { batchIndex += 1 }
                if batchIndex < nextBatch { continue }
                if let cancel, cancel.isCancelled {
                    nextBatch = batchIndex
                    if let checkpoint { try save(to: checkpoint, loss: lossSum / Double(max(seen, 1))) }
                    summary.cancelled = true
                    summary.checkpoint = lastCheckpoint
                    return summary
                }
                let lr = config.schedule.rate(base: config.learningRate, step: state.step, totalSteps: totalSteps, epoch: epoch)
                var rng = Rng(seed: config.seed).derived(UInt64(epoch) << 32 | UInt64(batchIndex))
                var images = batchImages
                if let augmentation = config.augmentation {
                    var warpRng = rng.derived(0xA06)
                    augmentation.apply(&images, shape: imageShape, rng: &warpRng)
                }
                let (loss, hits) = step(images: images, labels: labels, rng: &rng)
                guard loss.isFinite else {
                    throw TrainError.nonFiniteLoss(epoch: epoch, batch: batchIndex, step: state.step + 1,
                                                   lastCheckpoint: lastCheckpoint)
                }
                if let clip = config.clipNorm { clipGlobalNorm(graphs[0].params, maxNorm: clip) }
                state.update(graphs[0].params, lr: lr, decay: config.weightDecay)
                let busy = Date().timeIntervalSince(epochStart) - callbacks
                lossSum += loss * Double(labels.count); correct += hits; seen += labels.count
                let callbackStart = Date()
                progress(TrainProgress(kind: .batch, epoch: epoch, batch: batchIndex, batchesPerEpoch: batchesPerEpoch,
                                       loss: loss, runningLoss: lossSum / Double(seen),
                                       runningAccuracy: Double(correct) / Double(seen),
                                       samplesPerSecond: Double(seen) / max(busy, 1e-9), learningRate: lr))
                callbacks += Date().timeIntervalSince(callbackStart)
            }
            let busy = Date().timeIntervalSince(epochStart) - callbacks
            epoch += 1; nextBatch = 0
            let meanLoss = lossSum / Double(max(seen, 1))
            var testAccuracy: Double?
            if let test {
                let e = try evaluate(network: network, dataset: test, Ts: [config.timesteps], seed: config.seed)
                testAccuracy = e.accuracyByT[config.timesteps]
            }
            if let checkpoint { try save(to: checkpoint, loss: meanLoss, testAccuracy: testAccuracy) }
            summary = TrainSummary(epochsCompleted: epoch, cancelled: false, lastLoss: meanLoss,
                                   trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                   samplesPerSecond: Double(seen) / max(busy, 1e-9), checkpoint: lastCheckpoint)
            progress(TrainProgress(kind: .epochEnd, epoch: epoch - 1, batch: batchesPerEpoch - 1,
                                   batchesPerEpoch: batchesPerEpoch, loss: meanLoss, runningLoss: meanLoss,
                                   runningAccuracy: summary.trainAccuracy, samplesPerSecond: summary.samplesPerSecond,
                                   learningRate: config.schedule.rate(base: config.learningRate, step: state.step,
                                                                      totalSteps: totalSteps, epoch: epoch - 1),
                                   testAccuracy: testAccuracy, checkpoint: lastCheckpoint))
        }
        return summary
    }

    /// Forward and backward for one batch; leaves the summed gradient in graphs[0]. Returns the
    /// batch loss and the number of correct predictions.
    private func step(images: [Float], labels: [Int], rng: inout Rng) -> (loss: Double, correct: Int) {
        let b = labels.count, f = images.count / max(b, 1)
        let parts: [Range<Int>] = graphs.count == 2 && b >= 2 ? [0..<(b / 2), (b / 2)..<b] : [0..<b]
        var losses = [Double](repeating: 0, count: parts.count), hits = [Int](repeating: 0, count: parts.count)
        let streams = (0..<parts.count).map { rng.derived(UInt64($0)) }
        var noiseRng = rng.derived(0x401_5E)
        let noiseSeed = noiseRng.next()
        let run: (Int) -> Void = { j in
            let g = self.graphs[j], range = parts[j]
            g.zeroGrad()
            g.bnBatchesSeen = self.state.step
            g.noiseSeed = noiseSeed
            g.noiseFirstSample = range.lowerBound
            var r = streams[j]
            images.withUnsafeBufferPointer { all in
                let slice = UnsafeBufferPointer(rebasing: all[(range.lowerBound * f)..<(range.upperBound * f)])
                g.forward(images: slice, batch: range.count, rng: &r)
            }
            let part = Array(labels[range])
            g.gLogits.zero(g.steps * range.count * g.classes)
            var loss = Double(self.config.loss.outputLoss(z: g.logits.p, steps: g.steps, batch: range.count,
                                                          classes: g.classes, labels: part, normaliser: b, grad: g.gLogits.p))
            let fr = self.config.loss.firingRate.map { (weight: $0.weight * Double(range.count) / Double(b), target: $0.target) }
            loss += Double(g.backward(firingRate: fr))
            losses[j] = loss
            hits[j] = countCorrect(g.logits.p, steps: g.steps, batch: range.count, classes: g.classes, labels: part, upTo: g.steps)
        }
        if parts.count == 2 {
            concurrently(2, run)
            for (p0, p1) in zip(graphs[0].params, graphs[1].params) {
                for e in 0..<p0.count { p0.grad.p[e] += p1.grad.p[e] }
            }
        } else {
            run(0)
        }
        return (losses.reduce(0, +), hits.reduce(0, +))
    }

    // MARK: - checkpoints

    /// The optimizer-state file that goes with weights file `path`: "X.safetensors" → "X.state.safetensors".
    public static func statePath(for path: String) -> String {
        path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) + ".state.safetensors" : path + ".state"
    }

    /// Writes the optimizer state and the weights (`Network.tensors()` names, metadata) as one
    /// step (`Safetensors.write(_:)`: both written to temporary files, then renamed, the state
    /// first): a kill at any moment leaves each file whole. Both carry the optimizer step; a kill
    /// between the two renames would leave the state one checkpoint ahead, which `resume` names.
    public func save(to path: String, loss: Double = .nan, testAccuracy: Double? = nil) throws {
        let net = network
        var tensors: [String: Tensor] = [:]
        for (j, p) in graphs[0].params.enumerated() {
            tensors[p.name + ".m"] = Tensor(shape: p.shape, data: Array(UnsafeBufferPointer(start: state.first[j].p, count: p.count)))
            tensors[p.name + ".v"] = Tensor(shape: p.shape, data: Array(UnsafeBufferPointer(start: state.second[j].p, count: p.count)))
        }
        let stateMeta = ["format": "spikescope-optimizer", "epoch": "\(epoch)", "next_batch": "\(nextBatch)",
                         "step": "\(state.step)", "optimizer": config.optimizer.name, "seed": "\(config.seed)",
                         "batch_size": "\(config.batchSize)", "T": "\(config.timesteps)"]
        var meta = ["format": "spikescope-weights", "epoch": "\(epoch)", "next_batch": "\(nextBatch)", "step": "\(state.step)",
                    "T": "\(config.timesteps)", "loss": "\(loss)", "layers": net.spec.layers.map(\.name).joined(separator: ",")]
        if let testAccuracy { meta["test_accuracy"] = "\(testAccuracy)" }
        meta["mode"] = net.isRateNetwork ? "rate" : "spiking"
        if net.isRateNetwork { meta["rate_neurons"] = net.rateNeurons }
        if let noise = config.rateNoise { meta["rate_noise"] = noise.name }
        try Safetensors.write([(tensors, stateMeta, Trainer.statePath(for: path)), (net.tensors(), meta, path)])
        lastCheckpoint = path
    }

    /// Restores weights, optimizer state and position (epoch, batch) from a checkpoint written by `save`.
    public func resume(from path: String) throws {
        let weights = try Safetensors.read(path: path)
        let net: Network
        do { net = try Network(spec: base.spec, tensors: weights.tensors, file: path) } catch let e as ModelError {
            throw TrainError.badCheckpoint(file: path, reason: e.description)
        }
        let statePath = Trainer.statePath(for: path)
        let st = try Safetensors.read(path: statePath)
        guard st.metadata["format"] == "spikescope-optimizer", let ep = st.metadata["epoch"].flatMap(Int.init),
              let nb = st.metadata["next_batch"].flatMap(Int.init), let stepCount = st.metadata["step"].flatMap(Int.init) else {
            throw TrainError.badCheckpoint(file: statePath, reason: "metadata needs format, epoch, next_batch and step")
        }
        // Weights written before the step was recorded (older files) are taken as they are.
        if let weightsStep = weights.metadata["step"].flatMap(Int.init), weightsStep != stepCount {
            throw TrainError.badCheckpoint(file: statePath,
                reason: "the optimizer state is from step \(stepCount), the weights \(path) from step \(weightsStep): the run was stopped "
                    + "between the two writes of a checkpoint; the weights are whole: start a new run from them with --from-weights")
        }
        for (field, value) in [("batch_size", config.batchSize), ("T", config.timesteps)]
        where st.metadata[field] != String(value) {
            throw TrainError.badCheckpoint(file: statePath,
                reason: "\(field) was \(st.metadata[field] ?? "?") when it was written, the run asks for \(value)")
        }
        guard st.metadata["optimizer"] == config.optimizer.name else {
            throw TrainError.badCheckpoint(file: statePath,
                reason: "optimizer '\(st.metadata["optimizer"] ?? "?")' does not match '\(config.optimizer.name)'")
        }
        for (j, p) in graphs[0].params.enumerated() {
            guard let m = st.tensors[p.name + ".m"], let v = st.tensors[p.name + ".v"],
                  m.data.count == p.count, v.data.count == p.count else {
                throw TrainError.badCheckpoint(file: statePath, reason: "no moments of shape \(p.shape) for '\(p.name)'")
            }
            for e in 0..<p.count { state.first[j].p[e] = m.data[e]; state.second[j].p[e] = v.data[e] }
        }
        let g = graphs[0]
        for p in g.params {
            let src = net.parameters[p.layer][keyPath: p.keyPath]
            for e in 0..<p.count { p.value.p[e] = src[e] }
        }
        g.loadRunning(from: net)
        state.step = stepCount; epoch = ep; nextBatch = nb; lastCheckpoint = path
    }
}



/// Correct predictions: argmax over K of the mean of z_t over the first `upTo` steps.
func countCorrect(_ z: UnsafePointer<Float>, steps: Int, batch b: Int, classes k: Int, labels: [Int], upTo: Int,
                  from: Int = 0) -> Int {
    var correct = 0
    var acc = [Float](repeating: 0, count: k)
    for bi in 0..<b {
        for c in 0..<k { acc[c] = 0 }
        for t in min(from, upTo - 1)..<upTo { for c in 0..<k { acc[c] += z[(t * b + bi) * k + c] } }
        var best = 0
        for c in 1..<max(k, 1) where acc[c] > acc[best] { best = c }
        if best == labels[bi] { correct += 1 }
    }
    return correct
}
