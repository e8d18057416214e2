// Spike traffic of a mapped model, step by step, from the recorder's history: per core the
// spikes emitted and the synaptic operations received, per link the packets, and per step the
// totals and the energy from the target's constants. One packet travels per spike per
// destination core (multicast), routed X then Y; input values come from the host and cost no
// mesh hops.
import SpikeCore

/// Where each source's events go: destination cores and the synapses they reach there, as
/// flat tables (one allocation each, read without copying while stepping).
public struct Routes: Sendable {
    /// Per connection: true when every source reaches the same cores (dense).
    let dense: [Bool]
    /// Dense: the connection's destination cores are `cores[start[c]..<start[c] + count[c]]`.
    /// Sparse: source s's are `cores[offsets[start[c] + s]..<offsets[start[c] + s + 1]]`.
    let start: [Int], count: [Int], offsets: [Int]
    /// Destination cores and the synapses reached in each.
    let cores: [Int32], synapses: [Int32]
    /// Per connection: the source's recorder layer (-1: the model's input; -2: a population that
    /// does not spike), its first core, its cores and neurons (0 for the input).
    let sourceLayer: [Int], sourceFirstCore: [Int], sourceCores: [Int], sourceNeurons: [Int]
    /// Per population that spikes: recorder layer, first core, cores, neurons.
    let spiking: [(layer: Int, first: Int, cores: Int, neurons: Int)]
    /// Neurons of each logical core.
    let coreNeurons: [Int]

    /// Builds the tables of `mapping`.
    public init(_ mapping: Mapping) {
        let pops = mapping.connectivity.populations
        let conns = mapping.connectivity.connections
        sourceLayer = conns.map { c in c.source.map { pops[$0].spiking ? (pops[$0].recorded ?? -2) : -2 } ?? -1 }
        sourceFirstCore = conns.map { c in c.source.map { mapping.coresOf[$0].lowerBound } ?? 0 }
        sourceCores = conns.map { c in c.source.map { mapping.coresOf[$0].count } ?? 0 }
        sourceNeurons = conns.map { c in c.source.map { pops[$0].neurons } ?? 0 }
        spiking = pops.indices.compactMap { p in
            guard pops[p].spiking, let r = pops[p].recorded else { return nil }
            return (r, mapping.coresOf[p].lowerBound, mapping.coresOf[p].count, pops[p].neurons)
        }
        coreNeurons = mapping.cores.map(\.neurons.count)
        var dense: [Bool] = [], start: [Int] = [], count: [Int] = [], offsets: [Int] = []
        var cores: [Int32] = [], synapses: [Int32] = []
        for c in conns {
            let targetCores = mapping.coresOf[c.target], k = targetCores.count, nT = pops[c.target].neurons
            guard let sourceOffsets = c.offsets, let targets = c.targets else {
                dense.append(true); start.append(cores.count); count.append(k)
                for t in targetCores { cores.append(Int32(t)); synapses.append(Int32(mapping.cores[t].neurons.count)) }
                continue
            }
            dense.append(false); start.append(offsets.count); count.append(c.sources)
            offsets.append(cores.count)
            for s in 0..<c.sources {
                let first = cores.count
                for e in sourceOffsets[s]..<sourceOffsets[s + 1] {
                    let t = Int32(targetCores.lowerBound + Mapping.coreIndex(Int(targets[e]), neurons: nT, cores: k))
                    if let i = cores[first...].lastIndex(of: t) { synapses[i] += 1 } else { cores.append(t); synapses.append(1) }
                }
                offsets.append(cores.count)
            }
        }
        (self.dense, self.start, self.count, self.offsets, self.cores, self.synapses) = (dense, start, count, offsets, cores, synapses)
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
    /// Bundles a step's figures.
    public init(counts: TrafficCounts, coreSpikes: [Int], coreSynapticOps: [Int], links: [Int]) {
        (self.counts, self.coreSpikes, self.coreSynapticOps, self.links) = (counts, coreSpikes, coreSynapticOps, links)
    }
}

/// Buffers one step's accounting writes into, allocated once and reused every step.
public struct StepBuffers {
    /// Spikes emitted by each logical core (cores values).
    public var coreSpikes: UnsafeMutableBufferPointer<Int32>
    /// Synaptic operations received by each logical core (cores values).
    public var coreSynapticOps: UnsafeMutableBufferPointer<Int32>
    /// Packets over each mesh link (`Placement.linkCount` values).
    public var links: UnsafeMutableBufferPointer<Int32>
    /// Creates the view on three buffers.
    public init(coreSpikes: UnsafeMutableBufferPointer<Int32>, coreSynapticOps: UnsafeMutableBufferPointer<Int32>,
                links: UnsafeMutableBufferPointer<Int32>) {
        (self.coreSpikes, self.coreSynapticOps, self.links) = (coreSpikes, coreSynapticOps, links)
    }
}

extension Mapping {
    /// The traffic of step `t` of `recorder` (recorded for this mapping's network) with cores
    /// at `placement`; nil when the step is outside the history. `pairs`, when given, collects
    /// packets per (source core · cores + destination core) for the traffic-aware placement.
    public func traffic(step t: Int, recorder: Recorder, routes: Routes, placement: Placement,
                        pairs: UnsafeMutablePointer<[Int: Int]>? = nil) -> StepTraffic? {
        var spikes = [Int32](repeating: 0, count: cores.count), ops = spikes
        var links = [Int32](repeating: 0, count: placement.linkCount)
        var scratch = [Int32](repeating: 0, count: cores.count)
        let counts = spikes.withUnsafeMutableBufferPointer { s in
            ops.withUnsafeMutableBufferPointer { o in
                links.withUnsafeMutableBufferPointer { l in
                    account(step: t, recorder: recorder, routes: routes, placement: placement,
                            into: StepBuffers(coreSpikes: s, coreSynapticOps: o, links: l), scratch: &scratch, pairs: pairs)
                }
            }
        }
        guard let counts else { return nil }
        return StepTraffic(counts: counts, coreSpikes: spikes.map(Int.init), coreSynapticOps: ops.map(Int.init),
                           links: links.map(Int.init))
    }

    /// Accounts step `t` into `buffers` (zeroed first) without allocating; `scratch` holds at
    /// least one value per core. Returns the step's totals, or nil outside the history.
    public func account(step t: Int, recorder: Recorder, routes: Routes, placement: Placement, into buffers: StepBuffers,
                        scratch: inout [Int32], pairs: UnsafeMutablePointer<[Int: Int]>? = nil) -> TrafficCounts? {
        guard let steps = recorder.steps, steps.contains(t) else { return nil }
        var counts = TrafficCounts()
        let coreSpikes = buffers.coreSpikes, coreOps = buffers.coreSynapticOps, links = buffers.links
        coreSpikes.update(repeating: 0); coreOps.update(repeating: 0); links.update(repeating: 0)
        let nCores = cores.count
        for ci in routes.dense.indices {
            let layer = routes.sourceLayer[ci]
            if layer == -2 { continue }
            let first = routes.sourceFirstCore[ci], nSource = routes.sourceCores[ci], sourceNeurons = routes.sourceNeurons[ci]
            let fromInput = layer == -1
            // The source's active neurons this step, visited without building a list.
            var binary = true, activeCount = 0
            let words: ArraySlice<UInt64>
            if !fromInput {
                guard let w = recorder.spikeBits(layer: layer, step: t) else { continue }
                words = w
            } else {
                guard let w = recorder.inputBits(step: t) else { continue }
                words = w.words; binary = w.binary
            }
            for word in words { activeCount += word.nonzeroBitCount }
            if fromInput { counts.inputEvents += activeCount }
            guard activeCount > 0 else { continue }
            @inline(__always) func addPackets(from src: Int, to dst: Int, count m: Int) {
                counts.packets += m
                let (ew, ns) = placement.route(from: src, to: dst, links: links, count: Int32(m))
                counts.hopsEastWest += ew * m; counts.hopsNorthSouth += ns * m
                if let pairs { pairs.pointee[src * nCores + dst, default: 0] += m }
            }
            @inline(__always) func addSynapses(_ dst: Int, _ n: Int) {
                coreOps[dst] += Int32(n)
                if binary { counts.synapticOps += n } else { counts.multiplyAccumulates += n }
            }
            let base = routes.start[ci]
            if routes.dense[ci] {
                let destinations = base..<(base + routes.count[ci])
                if !fromInput {
                    if nSource == 1 {
                        scratch[first] = Int32(activeCount)
                    } else {
                        for k in first..<(first + nSource) { scratch[k] = 0 }
                        forEachBit(words) { s in scratch[first + Mapping.coreIndex(s, neurons: sourceNeurons, cores: nSource)] += 1 }
                    }
                    for src in first..<(first + nSource) where scratch[src] > 0 {
                        for e in destinations { addPackets(from: src, to: Int(routes.cores[e]), count: Int(scratch[src])) }
                    }
                }
                for e in destinations { addSynapses(Int(routes.cores[e]), activeCount * Int(routes.synapses[e])) }
            } else {
                forEachBit(words) { s in
                    let src = fromInput ? -1 : first + Mapping.coreIndex(s, neurons: sourceNeurons, cores: nSource)
                    for e in routes.offsets[base + s]..<routes.offsets[base + s + 1] {
                        if src >= 0 { addPackets(from: src, to: Int(routes.cores[e]), count: 1) }
                        addSynapses(Int(routes.cores[e]), Int(routes.synapses[e]))
                    }
                }
            }
        }
        // Spikes per core, from every spiking population (also those whose spikes reach no one).
        for pop in routes.spiking {
            guard let words = recorder.spikeBits(layer: pop.layer, step: t) else { continue }
            if pop.cores == 1 {
                var n = 0
                for word in words { n += word.nonzeroBitCount }
                coreSpikes[pop.first] += Int32(n)
            } else {
                forEachBit(words) { n in coreSpikes[pop.first + Mapping.coreIndex(n, neurons: pop.neurons, cores: pop.cores)] += 1 }
            }
        }
        for i in 0..<nCores {
            counts.spikes += Int(coreSpikes[i])
            if coreOps[i] > 0 { counts.activeNeuronUpdates += routes.coreNeurons[i] }
            else { counts.idleNeuronUpdates += routes.coreNeurons[i] }
        }
        return counts
    }
}

/// Calls `body` with the index of every set bit of `words` (bit n%64 of word n/64), in order.
@inline(__always)
func forEachBit(_ words: ArraySlice<UInt64>, _ body: (Int) -> Void) {
    var w = 0
    for word in words {
        var bits = word
        while bits != 0 { body(w * 64 + bits.trailingZeroBitCount); bits &= bits - 1 }
        w += 1
    }
}
