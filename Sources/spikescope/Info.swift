import ArgumentParser
import Foundation
import SpikeCore
import SpikeSession

/// `spikescope info`: the session's model as a table.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the model: layers, neurons, synapses, parameters.")

    @OptionGroup var options: SessionOptions

    func run() throws {
        let path = options.resolvedPath()
        let session = try Session.load(path: path)
        let net: Network
        if let w = session.resolvedWeightsPath, FileManager.default.fileExists(atPath: w) {
            net = try Workspace(session: session).network
        } else {
            net = try Network(spec: session.model, seed: session.seed)
        }
        print("session  \(session.name)  (\(path))")
        print("input    \(net.spec.inputShape)  encoder \(net.spec.encoder.name)  T \(session.timesteps)  seed \(session.seed)")
        print("weights  \(session.resolvedWeightsPath ?? "none (seeded initialisation)")")
        print("data     \(session.data.source.name) \(session.data.split.rawValue) sample \(session.data.sample)")
        if let p = session.plasticity {
            print("learning \(p.ruleName) on layer \(p.layer) after every step, dt \(p.dt) s"
                  + (p.rewardAt.isEmpty ? "" : ", reward \(p.reward) at steps \(p.rewardAt.map(String.init).joined(separator: ", "))"))
        }
        if let e = session.data.events {
            let b = e.binning, c = e.camera
            print("events   binned by \(b.split.rawValue) into T frames, polarity \(b.polarity.rawValue), downsample \(b.downsample)"
                  + (b.refractoryUs > 0 ? ", refractory \(b.refractoryUs) µs" : "") + (b.denoiseUs > 0 ? ", denoise \(b.denoiseUs) µs" : ""))
            print("camera   (image sources) saccades ±\(c.amplitude) px in \(c.microSteps) micro-steps over \(c.durationUs) µs, "
                  + "θ \(c.threshold) (σ \(c.thresholdSigma)) of ln(I + \(c.logOffset)), seed \(c.seed)")
        }
        if let w = session.resolvedWeightsPath, let meta = try? Safetensors.read(path: w).metadata, meta["source"] == "nir" {
            print("NIR      imported from \(meta["nir_file"] ?? "?") (NIR \(meta["nir_version"] ?? "?")) at dt = \(meta["dt"] ?? "?") s, forward Euler: "
                  + "β = 1 − dt/τ, α = 1 − dt/τ_syn; input gains r·dt/τ and leak drives v_leak·dt/τ are in the weights and biases")
        }
        if let w = session.resolvedWeightsPath, let meta = try? Safetensors.read(path: w).metadata, let mode = meta["mode"] {
            print("trained  \(mode == "rate" ? "rate mode (soft-LIF)" : "spiking (surrogate gradients)")"
                  + (meta["rate_noise"].map { ", noise \($0)" } ?? "") + (meta["epoch"].map { ", \($0) epochs" } ?? ""))
        }
        if net.isRateNetwork {
            print("as spikes 'eval --mode spiking' runs every soft-lif layer as lif-rc: same weights, τ_rc, τ_ref and dt, "
                  + "a synaptic filter τ_syn (default 0.005 s) on its input, exact refractoriness")
        }
        print("")
        let header = ["#", "layer", "type", "output", "neuron", "neurons", "synapses", "params"]
        var rows: [[String]] = []
        for (i, layer) in net.spec.layers.enumerated() {
            let out = net.shapes[i].output
            let isReadout = net.spec.hasReadout && i == net.spec.layers.count - 1
            let neurons = layer.neuron != nil || isReadout ? out.count : 0
            let single = try Network(spec: ModelSpec(inputShape: net.shapes[i].input, layers: [layer]), seed: 0)
            rows.append(["\(i + 1)", layer.name, layer.kind.name, out.description,
                         layer.neuron.map(NeuronVocabulary.describe) ?? (isReadout ? "readout (logits)" : "-"),
                         "\(neurons)", "\(single.synapseCount)", "\(single.parameterCount)"])
        }
        rows.append(["", "total", "", "", "", "\(net.neuronCount)", "\(net.synapseCount)", "\(net.parameterCount)"])
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.indices.map { c in c >= 5 ? pad(row[c], widths[c], left: true) : pad(row[c], widths[c], left: false) }
                .joined(separator: "  "))
        }
    }

    private func pad(_ s: String, _ w: Int, left: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, w - s.count))
        return left ? fill + s : s + fill
    }
}
