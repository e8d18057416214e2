import ArgumentParser
import Foundation
import SpikeCore
import SpikeSession

/// `spikescope run`: one sample through the session's network, headless.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one sample headless and print spikes and the readout per step.",
        discussion: """
            Text: one line per step with spikes per layer and the readout's top class and probability.
            --json: {"steps":[{"t":1,"spikes":[...per neuron layer...],"logits":[...],"probs":[...]}],"prediction":K,"label":L}
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Steps to run (default: the session's timesteps).") var steps: Int?
    @Option(help: "Sample index (default: the session's data.sample).") var sample: Int?
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let path = options.resolvedPath()
        let session = try Session.load(path: path)
        let workspace = try Workspace(session: session)
        let k = sample ?? session.data.sample
        guard k >= 0 && k < workspace.sampleCount else {
            throw InputError(description: "--sample must be from 0 to \(workspace.sampleCount - 1), found \(k)")
        }
        let n = steps ?? session.timesteps
        guard n >= 1 && n <= 1_000_000 else { throw InputError(description: "--steps must be from 1 to 1000000, found \(n)") }
        let sim = try workspace.simulation(sample: k, recording: nil)
        let net = workspace.network
        let neuronLayers = net.spec.layers.indices.filter { net.spec.layers[$0].neuron != nil }
        let classes = net.classCount ?? 0
        var sum = [Double](repeating: 0, count: classes)
        var records: [String] = []
        for _ in 0..<n {
            sim.step()
            let spikes = neuronLayers.map { sim.spikeCount(layer: $0) }
            let logits = Array(sim.logits())
            for c in 0..<classes { sum[c] += Double(logits[c]) }
            let probs = softmax(logits)
            if json {
                records.append("{\"t\":\(sim.t),\"spikes\":\(jsonArray(spikes.map(String.init))),\"logits\":\(jsonArray(logits.map(jsonNumber))),\"probs\":\(jsonArray(probs.map(jsonNumber)))}")
            } else {
                var line = String(format: "step %3d ", sim.t)
                line += zip(neuronLayers, spikes).map { "\(net.spec.layers[$0].name): \($1) spike" + ($1 == 1 ? "" : "s") }.joined(separator: "  ")
                for l in neuronLayers where net.shapes[l].output.count == 1 {
                    line += String(format: "  v %.4f", sim.membrane(layer: l)[0])
                }
                if let top = probs.indices.max(by: { probs[$0] < probs[$1] }) {
                    line += String(format: "  top %d p=%.3f", top, probs[top])
                }
                print(line)
            }
        }
        let prediction = sum.indices.max(by: { sum[$0] < sum[$1] })
        let label = workspace.label(k)
        if json {
            let p = prediction.map(String.init) ?? "null", l = label.map(String.init) ?? "null"
            print("{\"steps\":[\(records.joined(separator: ","))],\"prediction\":\(p),\"label\":\(l)}")
        } else if let prediction {
            print("prediction \(prediction) (mean of \(n) steps' logits)" + (label.map { ", label \($0)" } ?? ""))
        }
    }
}

func jsonArray(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

/// A finite float as JSON (6 significant digits); null for NaN/inf, which JSON cannot carry.
func jsonNumber(_ x: Float) -> String { x.isFinite ? String(format: "%.6g", Double(x)) : "null" }
