// What a mapping costs over recorded presentations, and NeuroBench-style model metrics
// (Yik et al., "NeuroBench", 2023/2025: footprint, connection sparsity, activation sparsity,
// synaptic operations as effective ACs and MACs, and the dense MACs of the same architecture).
import SpikeCore

extension Mapping {
    /// Total traffic of every step of every recorder at `placement`; with `collectPairs`, also
    /// the packets per (source core · cores + destination core), for `Placement.trafficAware`.
    public func measure(_ recorders: [Recorder], placement: Placement, routes: Routes,
                        collectPairs: Bool = false) -> (counts: TrafficCounts, pairs: [Int: Int], links: [Int]) {
        var total = TrafficCounts()
        var pairs: [Int: Int] = [:]
        var links = [Int](repeating: 0, count: placement.linkCount)
        for r in recorders {
            guard let steps = r.steps else { continue }
            for t in steps {
                let step: StepTraffic?
                if collectPairs {
                    step = withUnsafeMutablePointer(to: &pairs) { traffic(step: t, recorder: r, routes: routes, placement: placement, pairs: $0) }
                } else {
                    step = traffic(step: t, recorder: r, routes: routes, placement: placement)
                }
                if let step {
                    total += step.counts
                    for i in links.indices { links[i] += step.links[i] }
                }
            }
        }
        return (total, pairs, links)
    }

    /// How full each core is, per resource with a known limit: (resource, fraction per core).
    public func occupancy() -> [(resource: String, fractions: [Double])] {
        let l = target.limits
        var out: [(String, [Double])] = []
        func add(_ name: String, _ limit: Int?, _ value: (Core) -> Int) {
            guard let limit, limit > 0 else { return }
            out.append((name, cores.map { Double(value($0)) / Double(limit) }))
        }
        add("neurons", l.neurons) { $0.neurons.count }
        add("input_axons", l.inputAxons) { $0.inputAxons }
        add("output_axons", l.outputAxons) { $0.outputAxons }
        if let bits = l.synapseBits, let w = l.weightBits { add("synapse_memory", bits) { $0.synapses * w } }
        add("synapses", l.synapses) { $0.synapses }
        if target.style == .speck {
            let need = connectivity.populations.map { Mapping.speckMemory(network: network, layer: $0.layer) ?? (0, 0) }
            if let slots = fixedSlots {
                out.append(("kernel_memory", cores.indices.map { Double(need[$0].kernel) / Double(target.kernelMemory[slots[$0]]) }))
                out.append(("neuron_memory", cores.indices.map { Double(need[$0].neuron) / Double(target.neuronMemory[slots[$0]]) }))
            }
        }
        return out
    }

    /// The limits this target does not publish, so they were not checked.
    public var uncheckedLimits: [String] {
        let l = target.limits
        guard target.style == .cores else { return [] }
        var out: [String] = []
        if l.neurons == nil { out.append("neurons per core") }
        if l.inputAxons == nil { out.append("input axons") }
        if l.outputAxons == nil { out.append("output axons") }
        if l.synapseBits == nil || l.weightBits == nil { out.append("synapse memory") }
        if l.fanIn == nil { out.append("fan-in") }
        return out
    }
}

extension Placement {
    /// The link with the most packets in `links` (per-link totals, see `linkIndex`): its router,
    /// direction and packets; nil when no packet crossed a link.
    public func busiestLink(_ links: [Int]) -> (x: Int, y: Int, south: Bool, packets: Int)? {
        guard let i = links.indices.max(by: { links[$0] < links[$1] }), links[i] > 0 else { return nil }
        let router = i / 2
        return (router % width, router / width, i % 2 == 1, links[i])
    }
}

/// NeuroBench's static model metrics.
public struct ModelMetrics: Equatable, Sendable {
    /// Stored parameters (weights, biases, batch-norm values).
    public let parameters: Int
    /// Bytes of those parameters as stored (32-bit floats).
    public let footprintBytes: Int
    /// Zero weights over all weights of dense, recurrent and conv layers.
    public let connectionSparsity: Double
    /// Synapses between populations (each connection once), i.e. the MACs per step a dense
    /// network of the same architecture would do.
    public let denseMACsPerStep: Int
    /// Neurons that spike.
    public let spikingNeurons: Int

    /// The metrics of a mapped model.
    public init(_ mapping: Mapping) {
        let net = mapping.network
        parameters = net.parameterCount
        footprintBytes = 4 * net.parameterCount
        var zeros = 0, weights = 0
        for (i, layer) in net.spec.layers.enumerated() {
            switch layer.kind {
            case .dense, .recurrentDense, .conv2d:
                let p = net.parameters[i]
                weights += p.weight.count + p.recurrent.count
                zeros += p.weight.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } + p.recurrent.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            default: break
            }
        }
        connectionSparsity = weights > 0 ? Double(zeros) / Double(weights) : 0
        denseMACsPerStep = mapping.connectivity.connections.reduce(0) { $0 + $1.synapses }
        spikingNeurons = mapping.connectivity.populations.filter(\.spiking).reduce(0) { $0 + $1.neurons }
    }

    /// 1 − spikes / (spiking neurons × steps): the share of neuron-steps without a spike.
    public func activationSparsity(spikes: Double, steps: Int) -> Double {
        let slots = Double(spikingNeurons * steps)
        return slots > 0 ? 1 - spikes / slots : 1
    }
}
