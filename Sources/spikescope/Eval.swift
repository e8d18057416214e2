import ArgumentParser
import Foundation
import SpikeCore
import SpikeData
import SpikeSession
import SpikeTrain

/// `spikescope eval`: test accuracy for each T and per step.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test accuracy of the session's weights for each T, and per step at the largest T.",
        discussion: """
            Accuracy at T: the prediction is the argmax of the mean of the per-step logits over the first T steps.
            Per-step accuracy: each step's own logits, at the largest T.
            --json: {"n":10000,"accuracy_by_T":{"1":0.9,...},"per_step_accuracy":[...]}
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Data: digits, fashion-mnist or an IDX folder (default: the session's).") var data: String?
    @Option(name: .customLong("T"), help: "Comma-separated run lengths, e.g. 1,2,4,8.") var timesteps = "1,2,4,8"
    @Option(help: "Evaluate the first N test samples only.") var limit: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let path = options.resolvedPath()
        let session = try Session.load(path: path)
        let parts = timesteps.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw InputError(description: "--T must be a comma-separated list of integers >= 1, found '\(timesteps)'")
        }
        let Ts = parts.compactMap { $0 }
        guard let weights = session.resolvedWeightsPath else {
            throw InputError(description: "\(path): the session names no weights file ([model] weights): nothing to evaluate")
        }
        let network = try Network(spec: session.model, tensors: try Safetensors.read(path: weights).tensors, file: weights,
                                  seed: session.seed)
        let source = (data.map(DataSource.init(name:)) ?? session.data.source.dataset ?? .digits)
        var test = try DataLoader.load(source, split: .test)
        if let limit {
            guard limit >= 1 else { throw InputError(description: "--limit must be at least 1, found \(limit)") }
            test = test.prefix(limit)
        }
        let result = try evaluate(network: network, dataset: test, Ts: Ts, seed: session.seed)
        if json {
            let byT = result.accuracyByT.keys.sorted().map { "\"\($0)\":\(fmt(result.accuracyByT[$0] ?? 0))" }.joined(separator: ",")
            print("{\"n\":\(result.n),\"accuracy_by_T\":{\(byT)},\"per_step_accuracy\":[\(result.perStepAccuracy.map(fmt).joined(separator: ","))]}")
        } else {
            print("\(session.name) on \(source.name) test, n = \(result.n)")
            for t in result.accuracyByT.keys.sorted() {
                print(String(format: "  T=%-3d accuracy %.2f%%", t, 100 * (result.accuracyByT[t] ?? 0)))
            }
            print("  per step: " + result.perStepAccuracy.enumerated().map { String(format: "t%d %.2f%%", $0.offset + 1, 100 * $0.element) }
                .joined(separator: "  "))
        }
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
}
