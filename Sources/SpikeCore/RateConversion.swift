// Rate-trained networks run as spikes (Hunsberger & Eliasmith 2015): the same weights, every
// soft-LIF layer replaced by its spiking twin (Neurons/RCLIF.swift) with the same τ_rc, τ_ref
// dt and amplitude A, plus a synaptic filter τ_syn on its input. A spike is worth A/dt and
// soft-LIF's output is A·r, so the weights need no scaling: averaged over time, the spikes carry the rates.

extension Network {
    /// Whether any layer runs soft-LIF (a network trained in rate mode).
    public var isRateNetwork: Bool {
        spec.layers.contains { if case .softLIF = $0.neuron { true } else { false } }
    }

    /// The soft-LIF layers and their parameters, one "name: τ_rc τ_ref γ dt A" each, joined by
    /// "; ": what a rate network's weights were trained with (kept in the weights file's metadata).
    public var rateNeurons: String {
        spec.layers.compactMap { layer -> String? in
            guard case .softLIF(let p) = layer.neuron else { return nil }
            return "\(layer.name): tau_rc=\(p.tauRC) tau_ref=\(p.tauRef) gamma=\(p.gamma) dt=\(p.dt) amplitude=\(p.amplitude)"
        }.joined(separator: "; ")
    }

    /// Steps a readout of this (spiking) network leaves out while the synapses settle:
    /// 5·τ_syn/dt of its first `lif-rc` layer, 0 without one. `eval --mode spiking` and the
    /// workbench's spikes mode both use it.
    public var settleSteps: Int {
        for layer in spec.layers { if case .rcLIF(let p) = layer.neuron { return Int((5 * p.tauSyn / p.dt).rounded()) } }
        return 0
    }

    /// This network with every soft-LIF layer run as spiking LIF (`RCLIFParameters`) with
    /// synaptic time constant `tauSyn` (seconds) and the given refractoriness; other layers and
    /// every weight unchanged. Throws `ModelError.badLayer` when there is no soft-LIF layer, when
    /// τ_syn is negative or not finite, or when a layer's step is not shorter than its τ_rc (the
    /// spiking neuron would then integrate across its own time constant in one step).
    public func spiking(tauSyn: Float = 0.005, refractory: RCLIFParameters.Refractory = .exact) throws -> Network {
        guard isRateNetwork else {
            throw ModelError.badLayer(index: 0, name: spec.layers.first?.name ?? "",
                                      reason: "no layer runs soft-lif: there are no rates to run as spikes")
        }
        var net = self
        for (i, layer) in spec.layers.enumerated() {
            guard case .softLIF(let p) = layer.neuron else { continue }
            guard tauSyn.isFinite && tauSyn >= 0 else {
                throw ModelError.badLayer(index: i, name: layer.name, reason: "tau_syn must be a number >= 0 (seconds), found \(tauSyn)")
            }
            guard p.dt < p.tauRC else {
                throw ModelError.badLayer(index: i, name: layer.name,
                                          reason: "dt \(p.dt) s is not shorter than tau_rc \(p.tauRC) s: the spiking neuron needs dt < tau_rc")
            }
            net.spec.layers[i].neuron = .rcLIF(RCLIFParameters(tauRC: p.tauRC, tauRef: p.tauRef, tauSyn: tauSyn, dt: p.dt,
                                                               refractory: refractory, amplitude: p.amplitude))
        }
        return net
    }
}
