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
            Per-step accuracy: each step's own logits, at the largest T. A session with an [events] table bins its
            recordings afresh for each T and prints the per-step accuracy of every T's run.
            --json: {"n":10000,"accuracy_by_T":{"1":0.9,...},"per_step_accuracy":[...]}
            --mode spiking runs a rate-trained (soft-LIF) session as spiking LIF with the same weights: accuracy after
            each of --steps, the readout averaged from step --settle + 1 on.
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Data: digits, fashion-mnist or an IDX folder (default: the session's).") var data: String?
    @Option(name: .customLong("T"), help: "Comma-separated run lengths, e.g. 1,2,4,8.") var timesteps = "1,2,4,8"
    @Option(help: "Evaluate the first N test samples only.") var limit: Int?
    @Option(help: "as-trained (the session's neurons) or spiking (soft-LIF layers run as spiking LIF, Hunsberger & Eliasmith 2015).")
    var mode = "as-trained"
    @Option(help: "Spiking mode: comma-separated presentation lengths in steps (replaces --T).") var steps = "50,100,200"
    @Option(help: "Spiking mode: steps left out of every readout mean while the synapses settle (default 5·τ_syn/dt).")
    var settle: Int?
    @Option(help: "Spiking mode: synaptic time constant τ_syn of each spiking layer's input filter, seconds.")
    var tauSyn: Float = 0.005
    @Option(help: "Spiking mode: refractoriness, exact (Nengo's) or steps (τ_ref rounded to whole steps).")
    var refractory = "exact"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let path = options.resolvedPath()
        let session = try Session.load(path: path)
        guard mode == "as-trained" || mode == "spiking" else {
            throw InputError(description: "--mode must be as-trained or spiking, found '\(mode)'")
        }
        let spikingMode = mode == "spiking"
        let list = spikingMode ? steps : timesteps, flag = spikingMode ? "--steps" : "--T"
        let parts = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw InputError(description: "\(flag) must be a comma-separated list of integers >= 1, found '\(list)'")
        }
        let Ts = parts.compactMap { $0 }
        guard let refractoriness = RCLIFParameters.Refractory(rawValue: refractory) else {
            throw InputError(description: "--refractory must be exact or steps, found '\(refractory)'")
        }
        guard let weights = session.resolvedWeightsPath else {
            throw InputError(description: "\(path): the session names no weights file ([model] weights): nothing to evaluate")
        }
        let file = try Safetensors.read(path: weights)
        var network = try Network(spec: session.model, tensors: file.tensors, file: weights, seed: session.seed)
        var skip = 0
        if spikingMode {
            // Rates trained with other neuron parameters would run as other spikes: refuse.
            if let trained = file.metadata["rate_neurons"], trained != network.rateNeurons {
                throw InputError(description: "\(weights): trained with soft-lif \(trained); the session \(path) has "
                    + "\(network.rateNeurons.isEmpty ? "no soft-lif layer" : network.rateNeurons): run the weights with the neurons they were trained with")
            }
            do { network = try network.spiking(tauSyn: tauSyn, refractory: refractoriness) } catch let e as ModelError {
                throw InputError(description: "\(path): \(e.description)")
            }
            skip = settle ?? network.settleSteps
            guard skip >= 0, skip < Ts.min()! else {
                throw InputError(description: "--settle must be >= 0 and below the shortest of --steps (\(Ts.min()!)), found \(skip)")
            }
        }
        let source = (data.map(DataSource.init(name:)) ?? session.data.source.dataset ?? .digits)
        if let limit, limit < 1 { throw InputError(description: "--limit must be at least 1, found \(limit)") }
        let result: Evaluation
        if let events = session.data.events {
            // Event data: each T bins the recordings afresh (T = 1 sees a whole recording in one frame).
            guard !spikingMode else { throw InputError(description: "\(path): --mode spiking runs rate-trained image models; this session reads events") }
            var samples = try session.eventSamples(source, split: .test)!
            if let limit { samples = samples.prefix(limit) }
            result = try evaluate(network: network, events: samples, binning: events.binning, Ts: Ts, seed: session.seed)
        } else {
            var test = try DataLoader.load(source, split: .test)
            if let limit { test = test.prefix(limit) }
            result = try evaluate(network: network, dataset: test, Ts: Ts, seed: session.seed, settle: skip)
        }
        if json {
            let byT = result.accuracyByT.keys.sorted().map { "\"\($0)\":\(fmt(result.accuracyByT[$0] ?? 0))" }.joined(separator: ",")
            let perStepByT = result.perStepByT.isEmpty ? "" : ",\"per_step_accuracy_by_T\":{" + result.perStepByT.keys.sorted().map { t in
                "\"\(t)\":[" + result.perStepByT[t]!.map(fmt).joined(separator: ",") + "]" }.joined(separator: ",") + "}"
            print("{\"n\":\(result.n),\"accuracy_by_T\":{\(byT)},\"per_step_accuracy\":[\(result.perStepAccuracy.map(fmt).joined(separator: ","))]\(perStepByT)}")
        } else {
            print("\(session.name) on \(source.name)\(session.data.events == nil ? "" : " events (binned afresh for each T)") test, n = \(result.n)"
                  + (spikingMode ? ", run as spikes (lif-rc, τ_syn \(tauSyn) s, \(refractory) refractoriness; readout mean from step \(skip + 1))" : ""))
            for t in result.accuracyByT.keys.sorted() {
                print(String(format: "  %@=%-3d accuracy %.2f%%", spikingMode ? "steps" : "T", t, 100 * (result.accuracyByT[t] ?? 0)))
            }
            if spikingMode { return }
            for t in result.perStepByT.keys.sorted() where t > 1 {
                print("  per step at T=\(t): " + result.perStepByT[t]!.enumerated().map { String(format: "t%d %.2f%%", $0.offset + 1, 100 * $0.element) }
                    .joined(separator: "  "))
            }
            if !result.perStepByT.isEmpty { return }
            print("  per step: " + result.perStepAccuracy.enumerated().map { String(format: "t%d %.2f%%", $0.offset + 1, 100 * $0.element) }
                .joined(separator: "  "))
        }
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
}
