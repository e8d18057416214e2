// Spikes mode: a rate-trained (soft-LIF) network steps as its spiking twin (lif-rc, the same
// weights; SpikeCore/RateConversion.swift), with the rate network's answer beside the spikes'
// running estimate, and, for the neurons shown, the firing rate measured so far against the
// soft-LIF rate the rate network predicts for them (Hunsberger & Eliasmith 2015).

import SpikeCore
import SpikeSession

/// The rate network's answer for one sample, and the rate of every soft-LIF neuron.
public struct RateReference: Equatable, Sendable {
    /// Softmax of the rate network's logits.
    public var probabilities: [Float]
    /// Its top class.
    public var top: Int
    /// Predicted rates in Hz (output / amplitude) of each soft-LIF layer, by layer name.
    public var rates: [String: [Float]]
}

extension AppState {
    /// Steps of a spikes-mode presentation when the session's T is shorter (a rate network has T = 1).
    static let spikesTimesteps = 200

    /// Whether the session's network is a rate network (spikes mode applies).
    public var isRateNetwork: Bool { workspace.network.isRateNetwork }

    /// Turns spikes mode on or off: the simulation is rebuilt with the spiking twin (or the rate
    /// network) at the same sample; T becomes 200 steps while on when it was shorter.
    public mutating func setSpiking(_ on: Bool) throws {
        guard on != spikingMode else { return }
        guard !on || isRateNetwork else {
            throw AppError.badArgument("spikes mode runs a rate network as spikes; this model has no soft-lif layer")
        }
        spikingMode = on
        let t: Int
        if on {
            timestepsBeforeSpikes = timesteps
            t = max(timesteps, AppState.spikesTimesteps)
        } else {
            t = timestepsBeforeSpikes ?? timesteps
            timestepsBeforeSpikes = nil
        }
        try setTimesteps(t)
        refreshRateReference()
    }

    /// Recomputes the rate network's answer for the current sample (spikes mode only).
    mutating func refreshRateReference() {
        rateReference = spikingMode ? try? AppState.rateReference(workspace, sample: sample) : nil
    }

    static func rateReference(_ ws: Workspace, sample k: Int) throws -> RateReference? {
        guard ws.network.classCount != nil else { return nil }
        let sim = try ws.simulation(sample: k, timesteps: 1, recording: nil)
        sim.step()
        let p = softmax(Array(sim.logits()))
        var rates: [String: [Float]] = [:]
        for (i, layer) in ws.network.spec.layers.enumerated() {
            guard case .softLIF(let n) = layer.neuron else { continue }
            rates[layer.name] = sim.output(layer: i).map { $0 / n.amplitude }
        }
        return RateReference(probabilities: p, top: argmax(p) ?? 0, rates: rates)
    }

    /// Steps a spikes-mode readout leaves out while the synapses settle, as `eval --mode spiking` does.
    var spikesSettle: Int { sim.network.settleSteps }

    /// Softmax of the mean logits over the settled steps up to the step shown (nil before any).
    public var spikingAnswer: [Float]? {
        guard let r = recorder, r.classes > 0, let steps = r.steps else { return nil }
        let first = max(spikesSettle + 1, steps.lowerBound), last = min(cursor, steps.upperBound)
        guard first <= last else { return nil }
        var sum = [Float](repeating: 0, count: r.classes)
        for t in first...last { if let l = r.logits(step: t) { for (c, v) in l.enumerated() { sum[c] += v } } }
        return softmax(sum.map { $0 / Float(last - first + 1) })
    }

    /// For neuron `n` of the layer shown: its firing rate measured over the settled steps so far
    /// and the soft-LIF rate the rate network predicts, in Hz (nil outside a spiking soft-LIF layer).
    public func spikingRate(neuron n: Int) -> (measured: Float, predicted: Float)? {
        guard let r = recorder, let steps = r.steps, layer < r.layers.count else { return nil }
        let name = r.layers[layer].name
        guard let predicted = rateReference?.rates[name], n < predicted.count,
              let i = sim.network.spec.layers.firstIndex(where: { $0.name == name }),
              case .rcLIF(let p) = sim.network.spec.layers[i].neuron else { return nil }
        let first = max(spikesSettle + 1, steps.lowerBound), last = min(cursor, steps.upperBound)
        guard first <= last else { return nil }
        var count = 0
        for t in first...last where r.spiked(layer: layer, step: t, neuron: n) { count += 1 }
        return (Float(count) / (Float(last - first + 1) * p.dt), predicted[n])
    }
}
