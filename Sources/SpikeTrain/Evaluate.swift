// Evaluation by run length T.
import SpikeCore
import SpikeData

/// Test results: accuracy for each T and per step.
public struct Evaluation: Equatable, Sendable {
    /// Samples evaluated.
    public var n: Int
    /// Accuracy when the prediction is the argmax of the mean of z_t over the first T steps.
    public var accuracyByT: [Int: Double]
    /// Accuracy of each step's own output z_t, t = 1...max T.
    public var perStepAccuracy: [Double]
    /// For event recordings (binned afresh for each T): each step's own accuracy in the run of each T.
    public var perStepByT: [Int: [Double]] = [:]
}

/// Evaluates `network` on event recordings for every T in `Ts`, binning each recording afresh
/// into T frames for each T (T = 1 sees the whole recording in one frame): one run per T.
/// `perStepAccuracy` is the largest T's, `perStepByT` every T's.
public func evaluate(network: Network, events: EventSamples, binning: Binning, Ts: [Int] = [1, 2, 4, 8],
                     batchSize: Int = 256, seed: UInt64 = 0) throws -> Evaluation {
    guard let maxT = Ts.max(), Ts.allSatisfy({ $0 >= 1 }) else {
        throw TrainError.badValue(field: "T", expected: "a list of values >= 1", found: "\(Ts)")
    }
    var result = Evaluation(n: events.count, accuracyByT: [:], perStepAccuracy: [])
    for t in Set(Ts).sorted() {
        let e = try evaluate(network: network, dataset: events.frames(binning, timesteps: t), Ts: [t], batchSize: batchSize, seed: seed)
        result.accuracyByT[t] = e.accuracyByT[t]
        result.perStepByT[t] = e.perStepAccuracy
        if t == maxT { result.perStepAccuracy = e.perStepAccuracy }
    }
    return result
}

/// Evaluates `network` on `dataset` for every T in `Ts` (batch-norm running statistics, hard
/// spikes, the encoder of the model; rate codes seeded by `seed` and the batch index), on two
/// threads (OpenBLAS runs single-threaded meanwhile and gets its thread count back after).
///
/// One run of max(Ts) steps serves every T, since the first T steps of a longer run are a run of
/// T steps; the latency code, whose timing depends on T, is run once per T.
///
/// `settle` leaves the first steps out of every mean (the outputs of a spiking run of rate
/// weights need a few synaptic time constants to reach their level); a T at or below it uses
/// its last step alone.
public func evaluate(network: Network, dataset: Dataset, Ts: [Int] = [1, 2, 4, 8], batchSize: Int = 256,
                     seed: UInt64 = 0, settle: Int = 0) throws -> Evaluation {
    guard let maxT = Ts.max(), Ts.allSatisfy({ $0 >= 1 }) else {
        throw TrainError.badValue(field: "T", expected: "a list of values >= 1", found: "\(Ts)")
    }
    guard batchSize >= 1 else { throw TrainError.badValue(field: "batch_size", expected: "at least 1", found: "\(batchSize)") }
    guard settle >= 0 else { throw TrainError.badValue(field: "settle", expected: "a number of steps >= 0", found: "\(settle)") }
    try Trainer.check(dataset, fits: network, timesteps: maxT)
    let isLatency: Bool = if case .latency = network.spec.encoder { true } else { false }
    let runs: [Int] = isLatency ? Array(Set(Ts)).sorted() : [maxT]
    var correctByT: [Int: Int] = [:], perStep = [Int](repeating: 0, count: maxT)
    // Both cores: the graph splits each pass over two workers, each calling single-threaded BLAS.
    let blas = blasThreads()
    setBLASThreads(1)
    defer { setBLASThreads(blas) }
    for runT in runs {
        // The graph keeps every step of every layer: long runs (spiking mode) take fewer samples at once.
        let perSample = network.spec.layers.indices.reduce(0) { sum, i in
            sum + runT * network.shapes[i].output.count * (network.spec.layers[i].neuron == nil ? 1 : 3)
        }
        let fits = max(1, evaluationBudget / max(perSample, 1))
        let graph = Graph<Float>(network: network, steps: runT, capacity: min(batchSize, fits, max(dataset.count, 1)),
                                 surrogate: .atan(alpha: 2), detachReset: false, training: false)
        let batch = graph.capacity
        graph.mode = .inference
        graph.workers = 2
        let k = graph.classes
        for (index, (images, labels, _)) in Batches(dataset: dataset, batchSize: batch, shuffle: false, seed: seed).enumerated() {
            var rng = Rng(seed: seed).derived(UInt64(index))
            images.withUnsafeBufferPointer { graph.forward(images: $0, batch: labels.count, rng: &rng) }
            for t in Ts where runs.count == 1 || t == runT {
                correctByT[t, default: 0] += countCorrect(graph.logits.p, steps: runT, batch: labels.count, classes: k,
                                                          labels: labels, upTo: t, from: settle)
            }
            if runT == maxT {
                for t in 0..<maxT {
                    perStep[t] += countCorrect(graph.logits.p + t * labels.count * k, steps: 1, batch: labels.count,
                                               classes: k, labels: labels, upTo: 1)
                }
            }
        }
    }
    let n = dataset.count, denom = Double(max(n, 1))
    var byT: [Int: Double] = [:]
    for t in Set(Ts) { byT[t] = Double(correctByT[t] ?? 0) / denom }
    return Evaluation(n: n, accuracyByT: byT, perStepAccuracy: perStep.map { Double($0) / denom })
}

/// Floats an evaluation graph may hold (1 GiB): `evaluate` shrinks its batch below this.
let evaluationBudget = 1 << 28
