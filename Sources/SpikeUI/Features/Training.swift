import Foundation
import SpikeTerm
// The workbench's side of background training and evaluation: start, stop, and the once-per-frame
// poll that copies snapshots and swaps in finished weights between frames.

import SpikeCore
import SpikeSession
import SpikeTrain

extension AppState {
    /// Starts training with `config` in the background and shows the training view; errors
    /// (a run already active, no dataset) go to the status line. Called by the loop for `.train`.
    public mutating func startTraining(config: TrainConfig, testLimit: Int?) {
        guard trainingJob == nil else {
            message = StatusMessage("training is already running (x stops it)", isError: true)
            return
        }
        guard workspace.dataset != nil else {
            message = StatusMessage("cannot train: this session has no dataset (data.source = \"stimulus\")", isError: true)
            return
        }
        accuracyJob = nil   // its result would be for weights about to change; the cores go to training
        let data = workspace.session.data
        let job = TrainingJob.start(model: workspace.session.model, data: data.source.dataset ?? .digits, events: data.events,
                                    test: data.split == .test ? workspace.dataset : nil, config: config, testLimit: testLimit,
                                    from: workspace.network)
        trainingJob = job
        training = .running(job.mailbox.read(newerThan: -1) ?? TrainingSnapshot(summary: "", epochs: config.epochs),
                            stopping: false)
        showTraining = true
    }

    /// Starts training with the defaults for this session (`defaultTrainConfig`), `epochs` if given.
    public mutating func startTraining(epochs: Int?) {
        do {
            var config = try AppState.defaultTrainConfig(for: workspace.session, epochs: epochs)
            config.timesteps = timesteps                // the T set in the workbench, not the file's
            startTraining(config: config, testLimit: workspace.session.data.source == .dataset(.digits) ? nil : 1000)
        } catch {
            message = StatusMessage("\(error)", isError: true)
        }
    }

    /// Asks the run in progress to stop after its current batch; false when none runs.
    @discardableResult
    public mutating func stopTraining() -> Bool {
        guard let job = trainingJob, case let .running(s, _) = training else { return false }
        job.stop()
        training = .running(s, stopping: true)
        return true
    }

    /// Shows or hides the training view.
    public mutating func setTrainingView(_ shown: Bool) { showTraining = shown }

    /// Reads the background jobs once (call between frames): copies a newer training snapshot,
    /// swaps in the finished weights and takes a finished accuracy result. True when anything
    /// shown changed (accuracy by T is shown in compare mode only).
    @discardableResult
    public mutating func pollBackground() -> Bool {
        var changed = false
        if let job = trainingJob, case let .running(old, stopping) = training,
           let s = job.mailbox.read(newerThan: old.sequence) {
            changed = true
            if let outcome = s.outcome {
                trainingJob = nil
                training = .ended(s)
                if let net = job.mailbox.takeNetwork() {
                    do {
                        try replaceNetwork(net)
                        weightsUnsaved = true
                        message = StatusMessage(training.text + "; stepping with the new weights (:save NAME keeps them)")
                    } catch {
                        message = StatusMessage("cannot use the trained weights: \(error)", isError: true)
                    }
                } else if case .failed = outcome {
                    message = StatusMessage(training.text, isError: true)
                }
            } else {
                training = .running(s, stopping: stopping)
            }
        }
        if let job = accuracyJob, let outcome = job.outcome {
            accuracyJob = nil
            changed = changed || compareMode   // shown in compare mode only
            if job.version == weightsVersion {
                switch outcome {
                case .success(let a):
                    accuracyCache[job.version] = a
                    accuracyByT = a
                case .failure(let e):
                    accuracyProblem = e.description
                }
            }
        }
        return changed
    }

    /// Starts the accuracy-by-T evaluation of the weights in use when it is missing, nothing
    /// else runs in the background, and the model has a readout and a dataset. Called by the loop.
    public mutating func startAccuracyIfNeeded(limit: Int = 2000) {
        guard accuracyByT == nil, accuracyProblem == nil, trainingJob == nil, accuracyJob == nil,
              workspace.dataset != nil, workspace.network.classCount != nil else { return }
        if let cached = accuracyCache[weightsVersion] { accuracyByT = cached; return }
        let data = workspace.session.data
        accuracyJob = AccuracyJob.start(network: workspace.network, data: data.source.dataset ?? .digits,
                                        test: data.split == .test ? workspace.dataset : nil, events: data.events,
                                        knownEvents: data.split == .test ? workspace.events : nil, seed: workspace.session.seed,
                                        version: weightsVersion, limit: limit)
    }

    /// True while accuracy by T is being computed for the weights in use.
    public var accuracyPending: Bool { accuracyJob != nil }
}

/// The training view's state: idle, a run in progress (with its latest snapshot), or how the last run ended.
public enum TrainingState: Equatable, Sendable {
    /// Nothing trained in this workbench yet.
    case idle
    /// A run is in progress (`stopping` once a stop was asked for).
    case running(TrainingSnapshot, stopping: Bool)
    /// The last run ended (finished, stopped or failed); its last snapshot.
    case ended(TrainingSnapshot)

    /// True while a run is in progress.
    public var isActive: Bool { if case .running = self { true } else { false } }

    /// The latest snapshot (nil when idle).
    public var snapshot: TrainingSnapshot? {
        switch self {
        case .idle: nil
        case .running(let s, _), .ended(let s): s
        }
    }

    /// One line for the hardware pane and the status of the training view.
    public var text: String {
        switch self {
        case .idle:
            return "training: none yet (T trains)"
        case let .running(s, stopping):
            if stopping { return "training: stopping after this batch" }
            guard s.batchesPerEpoch > 0 else { return "training: loading data" }
            return "training: epoch \(s.epoch + 1)/\(s.epochs) batch \(s.batch + 1)/\(s.batchesPerEpoch)"
                + " loss \(fixed(s.loss, 4)) acc \(percent(s.accuracy))"
        case .ended(let s):
            switch s.outcome {
            case .failed(let m)?: return "training failed: \(m)"
            case .stopped?: return "training stopped after \(s.epochsCompleted) epochs" + lastTest(s)
            default: return "trained \(s.epochsCompleted) epochs" + lastTest(s)
            }
        }
    }

    private func lastTest(_ s: TrainingSnapshot) -> String {
        s.testAccuracy.last.map { ", test acc \(percent($0))" } ?? ""
    }
}

extension AppState {
    /// The settings `:train` and `T` use: for digits 30 epochs, batch 32, mean+etc, Adam lr 3e-3
    /// with a cosine schedule and augmentation; for other data 10 epochs, batch 128, mean, Adam
    /// lr 1e-3 cosine. T and seed are the session's.
    public static func defaultTrainConfig(for session: Session, epochs: Int?) throws -> TrainConfig {
        if session.data.source == .dataset(.digits) {
            return try TrainConfig(epochs: epochs ?? 30, batchSize: 32, T: session.timesteps, loss: Loss.parse("mean+etc"),
                                   optimizer: .adam(), lr: 3e-3, schedule: .cosine(), seed: session.seed,
                                   augmentation: Augmentation())
        }
        return try TrainConfig(epochs: epochs ?? 10, batchSize: 128, T: session.timesteps, loss: Loss.parse("mean"),
                               optimizer: .adam(), lr: 1e-3, schedule: .cosine(), seed: session.seed)
    }
}

/// `path` made absolute against the working folder and standardised.
func absolutePath(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
