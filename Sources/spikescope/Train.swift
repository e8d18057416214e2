import ArgumentParser
import Dispatch
import Foundation
import SpikeCore
import SpikeData
import SpikeSession
import SpikeTrain

/// `spikescope train`: surrogate-gradient BPTT on the session's model.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the session's model (surrogate-gradient BPTT) and write checkpoints.",
        discussion: """
            After every epoch the weights (OUT), the optimizer state (OUT with .state.safetensors) and the
            session (OUT with .toml, pointing at the weights; only the values spikescope owns are replaced)
            are written atomically. Ctrl-C saves a checkpoint and exits (code 130); --resume continues.
            Losses: mean (CE of the time-averaged logits), tet (mean of per-step CE), mean+etc and tet+etc
            (plus the temporal-consistency term of Zhao et al. 2023, weight --lambda, temperature --tau).
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Data: digits, fashion-mnist or an IDX folder (default: the session's).") var data: String?
    @Option(help: "Epochs.") var epochs = 10
    @Option(name: .customLong("T"), help: "Timesteps per sample (default: the session's).") var timesteps: Int?
    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Loss: mean, tet, mean+etc, tet+etc.") var loss = "mean"
    @Option(help: "Weight of the etc term.") var lambda = 1.0
    @Option(help: "Temperature of the etc term.") var tau = 4.0
    @Option(help: "Learning rate.") var lr = 1e-3
    @Option(help: "Optimizer: sgd, sgd-nesterov, adam, adamw.") var optimizer = "adam"
    @Option(help: "Schedule: constant, cosine, step.") var schedule = "cosine"
    @Option(help: "Weight decay.") var weightDecay = 0.0
    @Option(help: "Clip the global gradient norm to this value.") var clip: Double?
    @Option(help: "Surrogate: atan, fast-sigmoid, rectangular, triangular.") var surrogate = "atan"
    @Option(help: "The surrogate's parameter (atan alpha, fast-sigmoid slope, width).") var surrogateParameter: Double?
    @Option(help: "Batch-norm training statistics: time (over T·B·H·W, as inference uses them) or step (per step).")
    var bnStats = "time"
    @Option(help: "Seed of shuffles, initial weights and rate codes (default: the session's).") var seed: UInt64?
    @Option(help: "Weights file to write (default: the session's weights path).") var out: String?
    @Option(help: "Train on the first N training samples only.") var trainLimit: Int?
    @Option(help: "Evaluate on the first N test samples after each epoch (0 = no evaluation).") var testLimit: Int?
    @Option(help: "rate (the model's neurons must be soft-lif: train rates, run as spikes with 'eval --mode spiking') or spiking (surrogate gradients; no soft-lif).")
    var mode: String?
    @Option(help: "Rate mode: noise on soft-LIF activities, gaussian:SIGMA (Hz) or poisson:WINDOW (steps).") var rateNoise: String?
    @Flag(help: "Seeded random shifts, rotations and scalings of the training images.") var augment = false
    @Flag(help: "Continue from OUT's checkpoint.") var resume = false
    @Flag(help: "Start from the session's weights instead of a seeded initialisation.") var fromWeights = false

    func run() throws {
        let path = options.resolvedPath()
        var session = try Session.load(path: path)
        let source = (data.map(DataSource.init(name:)) ?? session.data.source.dataset ?? .digits)
        let T = timesteps ?? session.timesteps
        let config = try TrainConfig(
            epochs: epochs, batchSize: batch, T: T, loss: try Loss.parse(loss, lambda: lambda, tau: tau),
            optimizer: try Optimizer.parse(optimizer), lr: lr, schedule: try LRSchedule.parse(schedule),
            seed: seed ?? session.seed, weightDecay: weightDecay, clipNorm: clip,
            surrogate: try Surrogate.parse(surrogate, parameter: surrogateParameter),
            trainLimit: trainLimit, augmentation: augment ? Augmentation() : nil,
            batchNormStats: try BatchNormStats.parse(bnStats), rateNoise: try rateNoise.map(RateNoise.parse))
        let isRate = session.model.layers.contains { if case .softLIF = $0.neuron { true } else { false } }
        switch mode {
        case nil: break
        case "rate" where !isRate:
            throw InputError(description: "\(path): --mode rate needs soft-lif neurons in the model; this one has none")
        case "spiking" where isRate:
            throw InputError(description: "\(path): --mode spiking trains spikes with surrogate gradients; soft-lif layers are rate neurons (use --mode rate)")
        case "rate", "spiking": break
        default: throw InputError(description: "--mode must be rate or spiking, found '\(mode!)'")
        }
        let outPath = out ?? session.resolvedWeightsPath ?? (URL(fileURLWithPath: path).deletingPathExtension().path + ".safetensors")
        // An [events] table: recordings (or images through the saccade camera) binned into T frames when read.
        let events = session.data.events
        // Event frames are made once and kept (as bytes: 4·2·28·28 per Fashion-MNIST sample at T = 4)
        // rather than recorded again every epoch.
        var trainSet = try session.dataset(source, split: .train, timesteps: T)
        if let n = trainLimit, n >= 1 { trainSet = trainSet.prefix(n) }
        trainSet = trainSet.materialized()
        var testSet: Dataset? = try session.dataset(source, split: .test, timesteps: T)
        if let n = testLimit { testSet = n <= 0 ? nil : testSet.map { $0.prefix(n) } }

        let network: Network
        if fromWeights, let w = session.resolvedWeightsPath {
            network = try Network(spec: session.model, tensors: try Safetensors.read(path: w).tensors, file: w, seed: config.seed)
        } else {
            network = try Network(spec: session.model, seed: config.seed)
        }
        let trainer = try Trainer(network: network, config: config)
        if resume { try trainer.resume(from: outPath) }

        // Ctrl-C: ask the trainer to stop between batches; it saves a checkpoint and returns.
        let stop = CancellationFlag()
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { stop.cancel() }
        sigint.resume()

        var sessionError: Error?
        func writeSession(_ checkpoint: String) throws {
            session.timesteps = T
            session.weights = URL(fileURLWithPath: checkpoint).standardizedFileURL.path
            try session.save(to: sessionPath(for: checkpoint))
        }

        let tty = isatty(STDOUT_FILENO) == 1
        let started = Date()
        print("training \(session.name): \(source.name)\(events == nil ? "" : " as events"), \(trainSet.count) samples" + (trainLimit.map { " (first \($0))" } ?? "")
              + ", T=\(T), batch \(batch), loss \(loss), \(epochs) epochs -> \(outPath)")
        let summary = try trainer.train(train: trainSet, test: testSet, checkpoint: outPath, cancel: stop) { p in
            let done = Double(p.epoch * p.batchesPerEpoch + p.batch + 1), total = Double(epochs * p.batchesPerEpoch)
            let elapsed = Date().timeIntervalSince(started)
            let eta = done > 0 ? elapsed / done * (total - done) : 0
            switch p.kind {
            case .batch:
                guard tty else { return }
                let bar = progressBar(p.batch + 1, of: p.batchesPerEpoch)
                let line = String(format: "\r\u{1B}[2Kepoch %d/%d %@ loss %.4f acc %5.1f%% %6.0f samples/s ETA %@",
                                  p.epoch + 1, epochs, bar, p.runningLoss, 100 * p.runningAccuracy, p.samplesPerSecond,
                                  clock(eta))
                FileHandle.standardOutput.write(Data(line.utf8))
            case .epochEnd:
                if tty { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
                var line = String(format: "epoch %d/%d loss %.4f train acc %.2f%% %.0f samples/s lr %.2e", p.epoch + 1, epochs,
                                  p.runningLoss, 100 * p.runningAccuracy, p.samplesPerSecond, p.learningRate)
                if let a = p.testAccuracy { line += String(format: " test acc (T=%d) %.2f%%", T, 100 * a) }
                line += String(format: " elapsed %@", clock(elapsed))
                print(line)
                fflush(stdout)
                // The session half of the epoch's checkpoint, so that a kill leaves both halves.
                if let checkpoint = p.checkpoint {
                    do { try writeSession(checkpoint) } catch { sessionError = error; stop.cancel() }
                }
            }
        }
        if let sessionError { throw sessionError }
        if let checkpoint = summary.checkpoint { try writeSession(checkpoint) }
        if summary.cancelled {
            print("stopped: checkpoint \(summary.checkpoint ?? "none") (resume with --resume)")
            throw ExitCode(130)
        }
        print(String(format: "done: %d epochs in %@, %.0f samples/s; weights %@, session %@", summary.epochsCompleted,
                     clock(Date().timeIntervalSince(started)), summary.samplesPerSecond, summary.checkpoint ?? outPath,
                     sessionPath(for: summary.checkpoint ?? outPath)))
    }
}

/// The session file written beside a weights file: X.safetensors → X.toml.
func sessionPath(for weights: String) -> String {
    (weights.hasSuffix(".safetensors") ? String(weights.dropLast(".safetensors".count)) : weights) + ".toml"
}


/// A 24-cell bar, `done` of `of` filled.
func progressBar(_ done: Int, of: Int, width: Int = 24) -> String {
    let filled = of > 0 ? min(width, max(0, width * done / of)) : width
    return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
}

/// Seconds as m:ss or h:mm:ss.
func clock(_ seconds: Double) -> String {
    let s = Int(seconds.isFinite ? max(0, seconds) : 0)
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
