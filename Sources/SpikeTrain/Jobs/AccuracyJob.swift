// Accuracy by T in the background, for a front end that must not block.

import Foundation
import SpikeCore
import SpikeData

/// Accuracy over a test set by timesteps T.
public struct AccuracyByT: Equatable, Sendable {
    /// The T values evaluated, ascending.
    public var timesteps: [Int]
    /// Accuracy in 0...1 for each T.
    public var accuracy: [Float]
    /// Test samples evaluated.
    public var samples: Int
    /// Creates a table of accuracies by T.
    public init(timesteps: [Int], accuracy: [Float], samples: Int = 0) {
        (self.timesteps, self.accuracy, self.samples) = (timesteps, accuracy, samples)
    }
}

/// Why a background job failed, in words for the status line.
public struct JobFailure: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String
    /// Wraps a message.
    public init(_ description: String) { self.description = description }
}

/// The evaluation batch that keeps the graph's activations near `budget` bytes: about 8 bytes
/// per layer output value per step per sample (measured: the Fashion-MNIST conv model at batch
/// 256 and T=8 peaks above 1 GB), between 1 and 256.
public func evaluationBatch(_ network: Network, steps: Int, budget: Int = 96 << 20) -> Int {
    let values = network.shapes.reduce(network.spec.inputShape.count) { $0 + $1.output.count }
    return min(256, max(1, budget / max(1, values * steps * 8)))
}

/// Accuracy by T over (part of) the test set, computed on a background thread.
public final class AccuracyJob: @unchecked Sendable {
    /// The weights version the result belongs to (the caller's counter).
    public let version: Int
    private let lock = NSLock()
    private var result: Result<AccuracyByT, JobFailure>?

    private init(version: Int) { self.version = version }

    /// The result once the thread is done (nil before).
    public var outcome: Result<AccuracyByT, JobFailure>? {
        lock.lock(); defer { lock.unlock() }
        return result
    }

    /// Starts evaluating `network` on the first `limit` samples of the test split of `data`
    /// (or of `test`, when the caller has it loaded) for each T of `timesteps`, the rate code
    /// seeded with `seed`; returns at once.
    /// With `events`, the test recordings (of `known`, else of `data`) are binned afresh for each T.
    public static func start(network: Network, data: DataSource, test known: Dataset? = nil, events: EventInput? = nil,
                             knownEvents: EventSamples? = nil, seed: UInt64,
                             version: Int, timesteps: [Int] = [1, 2, 4, 8], limit: Int = 2000) -> AccuracyJob {
        let job = AccuracyJob(version: version)
        let thread = Thread {
            let r: Result<AccuracyByT, JobFailure>
            do {
                let batch = evaluationBatch(network, steps: timesteps.max() ?? 1)
                let e: Evaluation, n: Int
                if let events {
                    let samples = try (knownEvents ?? events.samples(data, split: .test)).prefix(limit)
                    (e, n) = (try evaluate(network: network, events: samples, binning: events.binning, Ts: timesteps,
                                           batchSize: batch, seed: seed), samples.count)
                } else {
                    let test = try (known ?? DataLoader.load(data, split: .test)).prefix(limit)
                    (e, n) = (try evaluate(network: network, dataset: test, Ts: timesteps, batchSize: batch, seed: seed), test.count)
                }
                r = .success(AccuracyByT(timesteps: timesteps, accuracy: timesteps.map { Float(e.accuracyByT[$0] ?? 0) },
                                         samples: n))
            } catch {
                r = .failure(JobFailure("accuracy by T: \(error)"))
            }
            job.lock.lock(); job.result = r; job.lock.unlock()
        }
        thread.name = "spikescope-accuracy"
        thread.stackSize = 16 << 20
        thread.start()
        return job
    }
}
