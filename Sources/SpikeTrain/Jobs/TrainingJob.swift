// Training in the background: a thread runs a `Trainer` and publishes snapshots through one
// lock-protected mailbox; a front end (the workbench) copies the newest snapshot once per frame
// and takes the finished network between frames. The Trainer is created, used and dropped on the
// background thread only. Started with plain values (a model, a data source, a config).

import Foundation
import SpikeCore
import SpikeData

/// A curve of at most `capacity` points; when full, neighbouring points are averaged in pairs and
/// each later point averages twice as many values (`stride`), so any run length fits.
public struct Curve: Equatable, Sendable {
    /// The points, oldest first; each is the mean of `stride` appended values (earlier ones may
    /// have averaged fewer before a compaction).
    public private(set) var points: [Float] = []
    /// Appended values per point.
    public private(set) var stride = 1
    /// Largest number of points kept (even, at least 2).
    public let capacity: Int
    private var pendingSum = 0.0, pendingCount = 0

    /// Creates an empty curve holding at most `capacity` points.
    public init(capacity: Int = 512) { self.capacity = max(2, capacity + capacity % 2) }

    /// Number of values appended so far.
    public private(set) var count = 0

    /// Adds one value (non-finite values make their point NaN, drawn as a gap).
    public mutating func append(_ value: Double) {
        count += 1
        pendingSum += value
        pendingCount += 1
        guard pendingCount == stride else { return }
        points.append(Float(pendingSum / Double(stride)))
        (pendingSum, pendingCount) = (0, 0)
        if points.count >= capacity {
            points = (0..<(points.count / 2)).map { (points[2 * $0] + points[2 * $0 + 1]) / 2 }
            stride *= 2
        }
    }

    /// The curve laid over `n` columns that stand for `total` values (the whole run): column c
    /// averages the points of values c·total/n ..< (c+1)·total/n; columns past the values
    /// appended so far are NaN (not drawn).
    public func plotted(columns n: Int, total: Int) -> [Float] {
        guard n > 0 else { return [] }
        let total = max(total, count, 1)
        return (0..<n).map { c in
            let lo = c * total / n / stride, hi = max(lo + 1, (c + 1) * total / n / stride)
            var sum: Float = 0, k = 0
            for i in lo..<max(lo, min(hi, points.count)) { sum += points[i]; k += 1 }
            return k > 0 ? sum / Float(k) : .nan
        }
    }

    /// The points averaged into at most `n` buckets (the points themselves when they fit).
    public func resampled(to n: Int) -> [Float] {
        guard n > 0 else { return [] }
        guard points.count > n else { return points }
        return (0..<n).map { b in
            let lo = b * points.count / n, hi = max(lo + 1, (b + 1) * points.count / n)
            var sum: Float = 0
            for i in lo..<hi { sum += points[i] }
            return sum / Float(hi - lo)
        }
    }
}

/// How a training run ended.
public enum TrainingOutcome: Equatable, Sendable {
    /// All epochs ran.
    case finished
    /// Stopped on request (`x`, `T`, `:stop`); the weights so far are used.
    case stopped
    /// An error (data missing, non-finite loss, ...); the weights are left as they were.
    case failed(String)
}

/// What the trainer thread publishes: progress, curves and, at the end, the outcome.
public struct TrainingSnapshot: Equatable, Sendable {
    /// Increases with every publication (the UI copies only newer snapshots).
    public var sequence = 0
    /// One line describing the run (data, T, batch, optimiser, loss).
    public var summary: String
    /// Epochs asked for.
    public var epochs: Int
    /// Epoch of the latest report, from 0; batch within it, from 0; batches per epoch (0 before the first report).
    public var epoch = 0, batch = -1, batchesPerEpoch = 0
    /// Epochs completed.
    public var epochsCompleted = 0
    /// Training samples per epoch (0 while the data loads).
    public var samples = 0
    /// Mean loss and training accuracy over the epoch so far.
    public var loss = Double.nan, accuracy = Double.nan
    /// Training throughput over the epoch so far, and the learning rate of the last batch.
    public var samplesPerSecond = 0.0, learningRate = 0.0
    /// Loss of every batch, and the epoch's running training accuracy after every batch.
    public var lossCurve = Curve(), accuracyCurve = Curve()
    /// Test accuracy at the end of each completed epoch (empty without a test set).
    public var testAccuracy: [Double] = []
    /// Set once the run has ended.
    public var outcome: TrainingOutcome?

    /// Creates the snapshot of a run about to start.
    public init(summary: String, epochs: Int) { (self.summary, self.epochs) = (summary, epochs) }

    /// Fraction of all batches done, in 0...1.
    public var fractionDone: Double {
        guard batchesPerEpoch > 0, epochs > 0 else { return 0 }
        return min(1, Double(epoch * batchesPerEpoch + batch + 1) / Double(epochs * batchesPerEpoch))
    }
}

/// The one place the trainer thread and the UI share: a lock-protected snapshot plus the
/// finished network, taken once.
public final class TrainingMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshot: TrainingSnapshot
    private var network: Network?

    /// Creates a mailbox holding `initial`.
    public init(_ initial: TrainingSnapshot) { snapshot = initial }

    /// Changes the snapshot under the lock and bumps its sequence number (trainer side).
    public func publish(_ change: (inout TrainingSnapshot) -> Void) {
        lock.lock(); defer { lock.unlock() }
        change(&snapshot)
        snapshot.sequence += 1
    }

    /// Publishes the outcome together with the network to use (nil: keep the old one).
    public func finish(_ outcome: TrainingOutcome, network: Network?) {
        lock.lock(); defer { lock.unlock() }
        snapshot.outcome = outcome
        snapshot.sequence += 1
        self.network = network
    }

    /// A copy of the snapshot when its sequence is above `sequence`, else nil (UI side).
    public func read(newerThan sequence: Int) -> TrainingSnapshot? {
        lock.lock(); defer { lock.unlock() }
        return snapshot.sequence > sequence ? snapshot : nil
    }

    /// The finished network, once (nil before the end, after a failure, or when already taken).
    public func takeNetwork() -> Network? {
        lock.lock(); defer { lock.unlock() }
        defer { network = nil }
        return network
    }
}

/// One training run on a background thread, with its mailbox and stop flag.
public final class TrainingJob: @unchecked Sendable {
    /// Where the thread publishes.
    public let mailbox: TrainingMailbox
    /// Raised by `stop()`; the trainer checks it between batches.
    public let cancel = CancellationFlag()

    private init(mailbox: TrainingMailbox) { self.mailbox = mailbox }

    /// Asks the run to stop after the current batch.
    public func stop() { cancel.cancel() }

    /// Starts training `initial` (when given; else a fresh network of `model` seeded with
    /// `config.seed`) on the train split
    /// of `data`; the first `testLimit` test samples (nil = all, 0 = none) are evaluated after each
    /// epoch, taken from `test` when the caller has the test split loaded already. Returns at
    /// once; nothing is written to disk.
    public static func start(model: ModelSpec, data: DataSource, events: EventInput? = nil, test: Dataset? = nil,
                             config: TrainConfig, testLimit: Int?, from initial: Network? = nil) -> TrainingJob {
        let job = TrainingJob(mailbox: TrainingMailbox(TrainingSnapshot(summary: describe(data, config),
                                                                        epochs: config.epochs)))
        let thread = Thread {
            job.run(model: model, data: data, events: events, test: test, config: config, testLimit: testLimit, initial: initial)
        }
        thread.name = "spikescope-train"
        thread.stackSize = 16 << 20
        thread.start()
        return job
    }

    /// One line naming the data, T, batch, optimiser, schedule and loss of a run.
    static func describe(_ data: DataSource, _ c: TrainConfig) -> String {
        var lr = String(format: "%g", c.learningRate)
        if case .cosine = c.schedule { lr += " cosine" }
        return "\(data.name) · T=\(c.timesteps) · batch \(c.batchSize) · \(c.optimizer.name) lr \(lr)"
            + " · \(c.loss.name)" + (c.augmentation == nil ? "" : " · augmented")
            + (c.trainLimit.map { " · first \($0) samples" } ?? "")
    }

    private func run(model: ModelSpec, data: DataSource, events: EventInput?, test known: Dataset?, config: TrainConfig,
                     testLimit: Int?, initial: Network?) {
        do {
            // Event frames are binned for the run's T; a known test set binned for another T is not used.
            let T = config.timesteps
            let train = try DataLoader.load(data, split: .train, events: events, timesteps: T)
            let fits = known.map { $0.featureCount == train.featureCount } ?? false
            var test: Dataset? = try (fits ? known : nil) ?? DataLoader.load(data, split: .test, events: events, timesteps: T)
            if let n = testLimit, let t = test { test = n > 0 ? t.prefix(n) : nil }
            let network = try initial ?? Network(spec: model, seed: config.seed)
            let trainer = try Trainer(network: network, config: config)
            mailbox.publish { $0.samples = min(train.count, config.trainLimit ?? train.count) }
            let box = mailbox
            let summary = try trainer.train(train: train, test: test, checkpoint: nil, cancel: cancel) { p in
                box.publish { s in
                    (s.epoch, s.batch, s.batchesPerEpoch) = (p.epoch, p.batch, p.batchesPerEpoch)
                    (s.loss, s.accuracy) = (p.runningLoss, p.runningAccuracy)
                    (s.samplesPerSecond, s.learningRate) = (p.samplesPerSecond, p.learningRate)
                    switch p.kind {
                    case .batch:
                        s.lossCurve.append(p.loss)
                        s.accuracyCurve.append(p.runningAccuracy)
                    case .epochEnd:
                        s.epochsCompleted = p.epoch + 1
                        if let a = p.testAccuracy { s.testAccuracy.append(a) }
                    }
                }
            }
            mailbox.finish(summary.cancelled ? .stopped : .finished, network: trainer.network)
        } catch {
            mailbox.finish(.failed("\(error)"), network: nil)
        }
    }
}
