import ArgumentParser
import Foundation
import SpikeCore
import SpikeData
import SpikeLearn
import SpikeSession
import SpikeTrain

/// `spikescope learn`: unsupervised learning (Diehl & Cook 2015, or VDSP after Garg et al. 2022), then accuracy by neuron assignment.
struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn a dataset without labels (Diehl & Cook 2015: STDP, adaptive thresholds, lateral inhibition; or VDSP).",
        discussion: """
            The network is Diehl & Cook's (default) or the VDSP winner-take-all network of Garg et al. 2022
            (network = "vdsp" in a learning file). One pass over the training split with learning on; then the training split again with learning off,
            to assign each excitatory neuron the class it answers most; then the test split, each sample's class
            being the one whose neurons answer most (--holdout N: the training split's last N samples instead,
            learning from the others, to choose parameters without looking at the test split). Images smaller than 28x28 (the digits) are first resized
            to 28x28 (bilinear) so the published parameters apply. Deterministic for a seed.
            A learning file (--session, e.g. sessions/learn-digits.toml) sets the data, the protocol and any
            parameter of the network or the rule; options given here win over it.
            Checkpoints (weights, thresholds, the random state) are written atomically to OUT every
            --checkpoint-every samples and when learning ends; Ctrl-C writes one and exits 130; --resume
            continues from OUT exactly as the run would have gone on.
            --json: {"accuracy":0.9,"neurons":100,"seconds":...}
            """)

    @Option(help: "Learning file (TOML with a [learn] table).") var session: String?
    @Option(help: "Data: digits, fashion-mnist or an IDX folder (default: the file's, else digits).") var data: String?
    @Option(help: "Excitatory neurons (default: the file's, else 100).") var neurons: Int?
    @Option(help: "Passes over the training split with learning on (default 1).") var epochs: Int?
    @Option(help: "Seed of the initial weights and the Poisson input (default 0).") var seed: UInt64?
    @Option(help: "Learn from the first N training samples only.") var trainLimit: Int?
    @Option(help: "Test on the first N test samples only.") var testLimit: Int?
    @Option(help: "Assign classes from the first N training samples only.") var assignLimit: Int?
    @Option(help: "Hold out the training split's last N samples: learn on the rest, test on them (the test split is not read).") var holdout: Int?
    @Option(help: "Checkpoint file (default: the learning file's name with .safetensors, else learn-DATA.safetensors).") var out: String?
    @Option(help: "Write a checkpoint every N samples learned.") var checkpointEvery = 2000
    @Flag(help: "Continue from OUT's checkpoint.") var resume = false
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "At the end, draw every neuron's receptive field (its incoming weights) as text, with the class it was assigned.") var fields = false

    func run() throws {
        var s = try session.map(LearnSettings.load(path:)) ?? LearnSettings()
        if let data { s.data = data }
        if let neurons {
            guard (1...10_000).contains(neurons) else { throw InputError(description: "--neurons must be in 1...10000, found \(neurons)") }
            s.neurons = neurons
        }
        /// A count option, checked to be at least 1 (nil: not given).
        func positive(_ value: Int?, _ option: String) throws -> Int? {
            if let value, value < 1 { throw InputError(description: "--\(option) must be at least 1, found \(value)") }
            return value
        }
        if let epochs = try positive(epochs, "epochs") { s.epochs = epochs }
        if let seed { s.seed = seed }
        s.trainLimit = try positive(trainLimit, "train-limit") ?? s.trainLimit
        s.testLimit = try positive(testLimit, "test-limit") ?? s.testLimit
        s.assignLimit = try positive(assignLimit, "assign-limit") ?? s.assignLimit
        s.holdout = try positive(holdout, "holdout") ?? s.holdout
        _ = try positive(checkpointEvery, "checkpoint-every")
        guard !(fields && json) else { throw InputError(description: "--fields draws text and --json prints JSON: give one of them") }
        let source = DataSource(name: s.data)
        let outPath = out ?? session.map { URL(fileURLWithPath: $0).deletingPathExtension().path + ".safetensors" }
            ?? "learn-\(URL(fileURLWithPath: source.name).lastPathComponent).safetensors"
        func prepared(_ split: Split) throws -> Dataset {
            let d = try DataLoader.load(source, split: split)
            let side = d.sampleShape.count == 3 ? d.sampleShape[1] : 0
            switch s.side {
            case nil: return side < 28 ? d.resized(height: 28, width: 28) : d
            case 0?: return d
            case let k?: return side == k ? d : d.resized(height: k, width: k)
            }
        }
        var train = try prepared(.train), test: Dataset
        if let h = s.holdout {
            // Held-out training samples: the same writers or sources as the rest of the split, so
            // parameters can be chosen without looking at the test split.
            guard h < train.count else {
                throw InputError(description: "holdout \(h) leaves nothing to learn from: the training split has \(train.count) samples")
            }
            test = train.samples((train.count - h)..<train.count)
            train = train.prefix(train.count - h)
        } else {
            test = try prepared(.test)
        }
        if let limit = s.trainLimit { train = train.prefix(limit) }
        if let limit = s.testLimit { test = test.prefix(limit) }
        let net: UnsupervisedNetwork = s.network == .vdsp ? VDSPNetwork(s.vdsp, inputs: train.featureCount, seed: s.seed)
            : DiehlCookNetwork(s.parameters, inputs: train.featureCount, seed: s.seed)
        let fingerprint = ["network": s.network.rawValue, "data": source.name, "inputs": String(train.featureCount), "neurons": String(s.neurons),
                           "seed": String(s.seed), "train": String(train.count), "epochs": String(s.epochs)]
            .merging(s.holdout.map { ["holdout": String($0)] } ?? [:]) { a, _ in a }
        var assignment: ClassAssignment?
        if resume {
            let file: (tensors: [String: Tensor], metadata: [String: String])
            do { file = try Safetensors.read(path: outPath) } catch {
                throw InputError(description: "--resume: \(error)")
            }
            for (k, v) in fingerprint.sorted(by: { $0.key < $1.key }) where file.metadata[k] != v {
                throw InputError(description: "\(outPath): a checkpoint of another run (\(k) \(file.metadata[k].map { "'\($0)'" } ?? "missing"), this run has '\(v)')")
            }
            do {
                try net.restore(tensors: file.tensors, metadata: file.metadata)
            } catch let e as LearnParameterError {
                throw InputError(description: "\(outPath): \(e)")
            }
        }
        func save(_ extra: [String: String] = [:]) throws {
            var st = net.state()
            if let assignment {
                st.tensors["assignments"] = Tensor(shape: [s.neurons], data: assignment.classes.map(Float.init))
                st.metadata["classes"] = String(assignment.count)
            }
            try Safetensors.write(st.tensors, metadata: st.metadata.merging(fingerprint) { a, _ in a }.merging(extra) { a, _ in a }, to: outPath)
        }

        let tty = isatty(STDOUT_FILENO) == 1
        let total = s.epochs * train.count
        // Ctrl-C: finish the sample, write a checkpoint, exit 130.
        let stop = CancellationFlag()
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { stop.cancel() }
        sigint.resume()
        func stopped() throws -> Never {
            if tty && !json { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
            print("stopped after \(min(net.samples, total)) samples learned: checkpoint \(outPath) (resume with --resume)")
            throw ExitCode(130)
        }

        let start = Date()
        func progress(_ phase: String, _ done: Int, _ of: Int) {
            guard tty && !json else { return }
            let elapsed = Date().timeIntervalSince(start)
            FileHandle.standardOutput.write(Data(String(format: "\r\u{1B}[2K%@ %@ %d/%d  %@", phase, progressBar(done, of: of), done, of, clock(elapsed)).utf8))
        }
        if !json {
            print("learning \(source.name) without labels: \(train.count) samples x \(s.epochs) epoch(s), \(s.neurons) neurons, "
                  + "\(train.featureCount) inputs, \(s.network == .vdsp ? "VDSP winner-take-all" : "Diehl & Cook"), seed \(s.seed) -> \(outPath)" + (net.samples > 0 ? " (resumed at \(net.samples))" : ""))
        }
        while net.samples < total {
            let k = net.samples
            net.present(train.image(k % train.count), learn: true)
            if net.samples % 50 == 0 || net.samples == total {
                progress(String(format: "learning epoch %d/%d", k / train.count + 1, s.epochs), k % train.count + 1, train.count)
            }
            if stop.isCancelled { try save(); try stopped() }
            if net.samples % checkpointEvery == 0 && net.samples < total { try save() }
        }
        let learned = Date().timeIntervalSince(start)
        try save()

        var responses: [[Int]] = []
        let assignCount = min(train.count, s.assignLimit ?? train.count)
        for i in 0..<assignCount {
            responses.append(net.present(train.image(i), learn: false))
            if i % 50 == 0 { progress("assigning classes", i + 1, assignCount) }
            if stop.isCancelled { try stopped() }
        }
        let assigned = ClassAssignment(responses: responses, labels: Array(train.labels.prefix(assignCount)), classes: train.classes)
        assignment = assigned
        var correct = 0, spikes = 0, byProportion = 0
        for i in 0..<test.count {
            let r = net.present(test.image(i), learn: false)
            spikes += r.reduce(0, +)
            if assigned.classify(r) == test.labels[i] { correct += 1 }
            if assigned.classifyByProportion(r) == test.labels[i] { byProportion += 1 }
            if i % 50 == 0 { progress("testing", i + 1, test.count) }
            if stop.isCancelled { try stopped() }
        }
        let seconds = Date().timeIntervalSince(start), accuracy = Double(correct) / Double(max(test.count, 1))
        try save(["accuracy": String(format: "%.4f", accuracy), "test": String(test.count)])
        if tty && !json { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        let testedOn = s.holdout.map { "the training split's last \($0)" } ?? "the test split"
        let repeats = Double(net.presentations) / Double(max(net.samples, 1))
        let match = s.testMatch
        if json {
            print(String(format: "{\"data\":\"%@\",\"test_match\":\"%@\",\"test_scale\":%.3g,\"neurons\":%d,\"seed\":%llu,\"train\":%d,\"epochs\":%d,\"test\":%d,\"tested_on\":\"%@\",\"accuracy\":%.4f,\"learn_seconds\":%.1f,\"seconds\":%.1f,\"presentations_per_sample\":%.3f,\"accuracy_proportion_weighting\":%.4f,\"test_spikes_per_sample\":%.2f,\"neurons_assigned_per_class\":[%@]}",
                         source.name, match.kind.rawValue, match.scale, s.neurons, s.seed, train.count, s.epochs, test.count, testedOn, accuracy, learned, seconds, repeats, Double(byProportion) / Double(max(test.count, 1)), Double(spikes) / Double(max(test.count, 1)),
                         (0..<assigned.count).map { c in String(assigned.classes.filter { $0 == c }.count) }.joined(separator: ",")))
        } else {
            let how = match.kind == .cosine ? String(format: " (fields matched by cosine, scale %g)", match.scale) : ""
            print(String(format: "%@: %d neurons learned %d samples without labels in %.1f s; %@ accuracy %.2f%% (%d of %d) after assigning neurons to classes%@; %.1f s in all; checkpoint %@",
                         source.name, s.neurons, total, learned, s.holdout == nil ? "test" : "held-out", 100 * accuracy, correct, test.count, how, seconds, outPath))
            if fields { printFields(net, settings: s, data: train, classes: assigned.classes) }
        }
    }
}
