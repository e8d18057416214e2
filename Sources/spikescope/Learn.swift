import ArgumentParser
import Foundation
import SpikeCore
import SpikeData
import SpikeLearn

/// `spikescope learn`: unsupervised learning (Diehl & Cook 2015), then accuracy by neuron assignment.
struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn a dataset without labels (Diehl & Cook 2015: STDP, adaptive thresholds, lateral inhibition).",
        discussion: """
            One pass over the training split with learning on; then the training split again with learning off,
            to assign each excitatory neuron the class it answers most; then the test split, each sample's class
            being the one whose neurons answer most. Images smaller than 28x28 (the digits) are first resized
            to 28x28 (bilinear) so the published parameters apply. Deterministic for a seed.
            --json: {"accuracy":0.9,"neurons":100,"seconds":...}
            """)

    @Option(help: "Data: digits, fashion-mnist or an IDX folder.") var data = "digits"
    @Option(help: "Excitatory neurons.") var neurons = 100
    @Option(help: "Passes over the training split with learning on.") var epochs = 1
    @Option(help: "Seed of the initial weights and the Poisson input.") var seed: UInt64 = 0
    @Option(help: "Learn from the first N training samples only.") var trainLimit: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard neurons >= 1, neurons <= 10_000 else { throw InputError(description: "--neurons must be in 1...10000, found \(neurons)") }
        guard epochs >= 1 else { throw InputError(description: "--epochs must be at least 1, found \(epochs)") }
        if let trainLimit, trainLimit < 1 { throw InputError(description: "--train-limit must be at least 1, found \(trainLimit)") }
        let source = DataSource(name: data)
        func prepared(_ split: Split) throws -> Dataset {
            let d = try DataLoader.load(source, split: split)
            let side = d.sampleShape.count == 3 ? d.sampleShape[1] : 0
            return side < 28 ? d.resized(height: 28, width: 28) : d
        }
        var train = try prepared(.train)
        if let trainLimit { train = train.prefix(trainLimit) }
        let test = try prepared(.test)
        var p = DiehlCookNetwork.Parameters()
        p.neurons = neurons
        let net = DiehlCookNetwork(p, inputs: train.featureCount, seed: seed)
        let start = Date()
        let tty = isatty(STDOUT_FILENO) == 1
        for e in 0..<epochs {
            for i in 0..<train.count {
                net.present(train.image(i), learn: true)
                if tty && !json && (i % 50 == 0 || i == train.count - 1) {
                    FileHandle.standardOutput.write(Data(String(format: "\r\u{1B}[2Klearning epoch %d/%d: %d/%d samples, %.0f s",
                                                                e + 1, epochs, i + 1, train.count, Date().timeIntervalSince(start)).utf8))
                }
            }
        }
        let learned = Date().timeIntervalSince(start)
        let responses = (0..<train.count).map { net.present(train.image($0), learn: false) }
        net.assign(responses: responses, labels: train.labels, classes: train.classes)
        var correct = 0
        for i in 0..<test.count where net.classify(net.present(test.image(i), learn: false), classes: test.classes) == test.labels[i] {
            correct += 1
        }
        let seconds = Date().timeIntervalSince(start), accuracy = Double(correct) / Double(max(test.count, 1))
        if tty && !json { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        if json {
            print(String(format: "{\"data\":\"%@\",\"neurons\":%d,\"seed\":%llu,\"train\":%d,\"test\":%d,\"accuracy\":%.4f,\"learn_seconds\":%.1f,\"seconds\":%.1f}",
                         source.name, neurons, seed, train.count, test.count, accuracy, learned, seconds))
        } else {
            print(String(format: "%@: %d neurons learned %d samples without labels in %.1f s; test accuracy %.2f%% (%d of %d) after assigning neurons to classes; %.1f s in all",
                         source.name, neurons, train.count, learned, 100 * accuracy, correct, test.count, seconds))
        }
    }
}
