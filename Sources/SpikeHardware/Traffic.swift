// Spike traffic of a mapped model, step by step, from the recorder's history: per core the
// spikes emitted and the synaptic operations received, per link the packets, and per step the
// totals and the energy from the target's constants. One packet travels per spike per
// destination core (multicast), routed X then Y; input values come from the host and cost no
// mesh hops.
import SpikeCore

/// Where each source's events go: destination cores and the synapses they reach there.
public struct Routes: Sendable {
    /// Per connection: dense (every source to all these cores, with their synapse counts), or
    /// per source: `cores[offsets[s]..<offsets[s+1]]` with `synapses` beside them.
    enum Table: Sendable {
        case dense(cores: [Int32], synapses: [Int32])
        case sparse(offsets: [Int], cores: [Int32], synapses: [Int32])
    }
    let tables: [Table]

    /// Builds the tables of `mapping`.
    public init(_ mapping: Mapping) {
        let pops = mapping.connectivity.populations
        tables = mapping.connectivity.connections.map { c in
            let targetCores = mapping.coresOf[c.target], k = targetCores.count, nT = pops[c.target].neurons
            guard let offsets = c.offsets, let targets = c.targets else {
                return .dense(cores: targetCores.map(Int32.init),
                              synapses: targetCores.map { Int32(mapping.cores[$0].neurons.count) })
            }
            var outOffsets = [0], cores: [Int32] = [], synapses: [Int32] = []
            for s in 0..<c.sources {
                let start = cores.count
                for e in offsets[s]..<offsets[s + 1] {
                    let t = Int32(targetCores.lowerBound + Mapping.coreIndex(Int(targets[e]), neurons: nT, cores: k))
                    if let i = cores[start...].lastIndex(of: t) { synapses[i] += 1 } else { cores.append(t); synapses.append(1) }
                }
                outOffsets.append(cores.count)
            }
            return .sparse(offsets: outOffsets, cores: cores, synapses: synapses)
        }
    }
}

/// The counts of one step (or, summed, of a run).
public struct TrafficCounts: Equatable, Sendable {
    /// Spikes emitted by the mapped populations.
    public var spikes = 0
    /// Nonzero input values arriving from the host.
    public var inputEvents = 0
    /// Accumulates: a spike (or binary input event) meeting a synapse.
    public var synapticOps = 0
    /// Multiply-accumulates: a non-binary input value (e.g. the direct encoder's) meeting a synapse.
    public var multiplyAccumulates = 0
    /// Packets on the mesh: one per spike per destination core.
    public var packets = 0
    /// Links crossed by all packets, east-west and north-south.
    public var hopsEastWest = 0, hopsNorthSouth = 0
    /// Neuron updates in cores that received input this step, and in the others.
    public var activeNeuronUpdates = 0, idleNeuronUpdates = 0
    /// Links crossed in all.
    public var hops: Int { hopsEastWest + hopsNorthSouth }
    /// All zero.
    public init() {}

    /// Adds another count.
    public static func += (a: inout TrafficCounts, b: TrafficCounts) {
        a.spikes += b.spikes; a.inputEvents += b.inputEvents; a.synapticOps += b.synapticOps
        a.multiplyAccumulates += b.multiplyAccumulates; a.packets += b.packets
        a.hopsEastWest += b.hopsEastWest; a.hopsNorthSouth += b.hopsNorthSouth
        a.activeNeuronUpdates += b.activeNeuronUpdates; a.idleNeuronUpdates += b.idleNeuronUpdates
    }

    /// Energy in pJ from `costs`: synaptic ops (accumulates and MACs alike) × their cost, packets,
    /// hops by direction, neuron updates; terms whose cost is unknown are left out and named.
    public func energy(_ costs: EnergyCosts) -> (picojoules: Double, unknown: [String]) {
        var total = 0.0, unknown: [String] = []
        func term(_ name: String, _ count: Int, _ cost: Double?) {
            guard count > 0 else { return }
            if let cost { total += Double(count) * cost } else { unknown.append(name) }
        }
        term("synaptic ops", synapticOps + multiplyAccumulates, costs.synapticOp)
        term("packets", packets, costs.packet)
        term("east-west hops", hopsEastWest, costs.hopEastWest)
        term("north-south hops", hopsNorthSouth, costs.hopNorthSouth)
        term("active neuron updates", activeNeuronUpdates, costs.neuronActive)
        term("idle neuron updates", idleNeuronUpdates, costs.neuronIdle)
        return (total, unknown)
    }
}

/// One step's traffic: the totals, per logical core, and per mesh link.
public struct StepTraffic: Equatable, Sendable {
    /// Totals.
    public var counts = TrafficCounts()
    /// Spikes emitted by each logical core.
    public var coreSpikes: [Int]
    /// Synaptic operations (accumulates + MACs) received by each logical core.
    public var coreSynapticOps: [Int]
    /// Packets over each mesh link (see `Placement.linkIndex`).
    public var links: [Int]
}

extension Mapping {
    /// The traffic of step `t` of `recorder` (recorded for this mapping's network) with cores
    /// at `placement`; nil when the step is outside the history. `pairs`, when given, collects
    /// packets per (source core, destination core) for the traffic-aware placement.
    public func traffic(step t: Int, recorder: Recorder, routes: Routes, placement: Placement,
                        pairs: UnsafeMutablePointer<[Int: Int]>? = nil) -> StepTraffic? {
        guard let steps = recorder.steps, steps.contains(t) else { return nil }
        let pops = connectivity.populations
        var step = StepTraffic(coreSpikes: Array(repeating: 0, count: cores.count),
                               coreSynapticOps: Array(repeating: 0, count: cores.count),
                               links: Array(repeating: 0, count: placement.linkCount))
        var spikesPerCore = [Int](repeating: 0, count: cores.count)
        for (ci, c) in connectivity.connections.enumerated() {
            // The source's active neurons this step: recorded spikes, or the input's nonzero values.
            var active: [Int] = []
            var binary = true
            if let s = c.source {
                guard pops[s].spiking, let r = pops[s].recorded, let words = recorder.spikeBits(layer: r, step: t) else { continue }
                for (w, word) in words.enumerated() {
                    var bits = word
                    while bits != 0 { active.append(w * 64 + bits.trailingZeroBitCount); bits &= bits - 1 }
                }
            } else {
                guard let input = recorder.inputActivity(step: t) else { continue }
                active = input.active; binary = input.binary
                step.counts.inputEvents += active.count
            }
            guard !active.isEmpty else { continue }
            let sourceCores = c.source.map { coresOf[$0] }
            // Per source core: how many of its neurons fired (dense tables only need the count).
            func addPackets(from src: Int, to dst: Int, count m: Int) {
                step.counts.packets += m
                let (ew, ns) = placement.route(from: src, to: dst, links: &step.links, count: m)
                step.counts.hopsEastWest += ew * m; step.counts.hopsNorthSouth += ns * m
                if let pairs { pairs.pointee[src * cores.count + dst, default: 0] += m }
            }
            func addSynapses(_ dst: Int, _ n: Int) {
                step.coreSynapticOps[dst] += n
                if binary { step.counts.synapticOps += n } else { step.counts.multiplyAccumulates += n }
            }
            switch routes.tables[ci] {
            case let .dense(dcores, synapses):
                if let sc = sourceCores {
                    var perCore: [Int: Int] = [:]
                    for s in active {
                        perCore[sc.lowerBound + Mapping.coreIndex(s, neurons: pops[c.source!].neurons, cores: sc.count), default: 0] += 1
                    }
                    for (src, m) in perCore { for d in dcores { addPackets(from: src, to: Int(d), count: m) } }
                }
                for (d, n) in zip(dcores, synapses) { addSynapses(Int(d), active.count * Int(n)) }
            case let .sparse(offsets, dcores, synapses):
                for s in active {
                    let src = sourceCores.map { $0.lowerBound + Mapping.coreIndex(s, neurons: pops[c.source!].neurons, cores: $0.count) }
                    for e in offsets[s]..<offsets[s + 1] {
                        if let src { addPackets(from: src, to: Int(dcores[e]), count: 1) }
                        addSynapses(Int(dcores[e]), Int(synapses[e]))
                    }
                }
            }
        }
        // Spikes per core, from every spiking population (also those whose spikes reach no one).
        for (p, pop) in pops.enumerated() where pop.spiking {
            guard let r = pop.recorded, let words = recorder.spikeBits(layer: r, step: t) else { continue }
            let range = coresOf[p]
            for (w, word) in words.enumerated() {
                var bits = word
                while bits != 0 {
                    let n = w * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    spikesPerCore[range.lowerBound + Mapping.coreIndex(n, neurons: pop.neurons, cores: range.count)] += 1
                }
            }
        }
        step.coreSpikes = spikesPerCore
        step.counts.spikes = spikesPerCore.reduce(0, +)
        for (i, core) in cores.enumerated() {
            if step.coreSynapticOps[i] > 0 { step.counts.activeNeuronUpdates += core.neurons.count }
            else { step.counts.idleNeuronUpdates += core.neurons.count }
        }
        return step
    }
}
