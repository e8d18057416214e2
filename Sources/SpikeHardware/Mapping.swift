// Partitioning a model into cores within a target's limits. Each population is cut into
// contiguous ranges of its neurons, as evenly as the limits allow: neurons per core, synapse
// memory (fan-in × weight bits per neuron), synapses per core, input axons (distinct sources
// reaching the core), output axons (one per source neuron and destination core) and fan-in.
import SpikeCore

/// One logical core: a contiguous range of one population's neurons and what it uses.
public struct Core: Equatable, Sendable {
    /// Index of the population.
    public let population: Int
    /// The population's neurons held.
    public let neurons: Range<Int>
    /// Distinct presynaptic sources reaching the core.
    public internal(set) var inputAxons = 0
    /// Outgoing axons: (source neuron, destination core) pairs.
    public internal(set) var outputAxons = 0
    /// Synapses onto the core's neurons.
    public internal(set) var synapses = 0
}

/// Why a model does not fit a target, in the words a user needs: which layer, which limit,
/// needed against available, and what would make it fit.
public struct DoesNotFit: UserInputError, Equatable {
    /// The layer (nil when the whole model is concerned).
    public let layer: String?
    /// The limit, e.g. "input axons per core".
    public let limit: String
    /// What the model needs and what the target has.
    public let needed: Int, available: Int
    /// The target's name.
    public let target: String
    /// What would make it fit.
    public let advice: String
    /// The message printed.
    public var description: String {
        "does not fit \(target): " + (layer.map { "layer '\($0)': " } ?? "") + "\(limit): needs \(needed), \(target) has \(available). \(advice)"
    }
}

/// A model partitioned into cores of a target (placement and traffic come after).
public struct Mapping: Sendable {
    /// The target.
    public let target: Target
    /// The model's populations and connections.
    public let connectivity: Connectivity
    /// The logical cores, population by population.
    public internal(set) var cores: [Core] = []
    /// The cores of each population: indices into `cores`.
    public internal(set) var coresOf: [Range<Int>] = []
    /// Neurons per core of each population (the last core may hold fewer).
    public internal(set) var perCore: [Int] = []
    /// Physical cores fixed by the target's rules (Speck's matching, Xylo's single core); nil
    /// when any placement is allowed.
    public internal(set) var fixedSlots: [Int]?

    /// The network mapped.
    public let network: Network

    /// Partitions `network` for `target` (with its connectivity when already built); throws
    /// `DoesNotFit` with the first limit it breaks.
    public init(network: Network, target: Target, connectivity: Connectivity? = nil) throws {
        self.network = network
        self.target = target
        let connectivity = connectivity ?? Connectivity(network: network)
        self.connectivity = connectivity
        let pops = connectivity.populations
        switch target.style {
        case .speck: try mapSpeck(); return
        case .xylo: try mapXylo(); return
        case .cores: break
        }
        var per = [Int](repeating: 1, count: pops.count)
        for (p, pop) in pops.enumerated() { per[p] = try Mapping.neuronsPerCore(pop, p, connectivity, target) }
        // Shrink cores until every core's input and output axons fit (each pass halves the offenders).
        for _ in 0..<64 {
            let layout = Mapping.layout(pops, per)
            var cores = layout.cores
            Mapping.countAxons(&cores, layout.coresOf, per, connectivity)
            var changed = false
            // Each axon limit: the count it bounds, and what to say when one neuron alone exceeds it.
            let axonLimits: [(name: String, limit: Int?, used: (Core) -> Int, advice: String)] = [
                ("input axons per core", target.limits.inputAxons, \.inputAxons,
                 "One neuron already receives from more sources than a core takes: give the layer fewer inputs (a smaller layer before it, or pooling) or choose another target."),
                ("output axons per core", target.limits.outputAxons, \.outputAxons,
                 "One neuron already reaches more cores than a core can address: make the next layer smaller or choose another target."),
            ]
            for (p, pop) in pops.enumerated() {
                search: for c in layout.coresOf[p] {
                    for axons in axonLimits {
                        guard let limit = axons.limit, axons.used(cores[c]) > limit else { continue }
                        guard per[p] > 1 else {
                            throw DoesNotFit(layer: pop.name, limit: axons.name, needed: axons.used(cores[c]), available: limit,
                                             target: target.name, advice: axons.advice)
                        }
                        per[p] = max(1, per[p] / 2); changed = true
                        break search
                    }
                }
            }
            if !changed {
                self.cores = cores; coresOf = layout.coresOf; perCore = per
                break
            }
        }
        guard !self.cores.isEmpty || pops.isEmpty else {
            throw DoesNotFit(layer: nil, limit: "axons per core", needed: 0, available: 0, target: target.name,
                             advice: "The partition did not settle; choose another target.")
        }
        let neurons = pops.reduce(0) { $0 + $1.neurons }
        if let perChip = target.neuronsPerChip, neurons > perChip * target.chips {
            throw DoesNotFit(layer: nil, limit: "neurons per chip", needed: neurons, available: perChip * target.chips,
                             target: target.name, advice: "Use \((neurons + perChip - 1) / perChip) chips (--chips), or smaller layers.")
        }
        let synapses = connectivity.connections.reduce(0) { $0 + $1.synapses }
        if let perChip = target.synapsesPerChip, synapses > perChip * target.chips {
            throw DoesNotFit(layer: nil, limit: "synapses per chip", needed: synapses, available: perChip * target.chips,
                             target: target.name, advice: "Use \((synapses + perChip - 1) / perChip) chips (--chips), or fewer connections.")
        }
        if self.cores.count > target.totalCores {
            let chips = (self.cores.count + target.coresPerChip - 1) / target.coresPerChip
            throw DoesNotFit(layer: nil, limit: "cores", needed: self.cores.count, available: target.totalCores,
                             target: target.name + (target.chips > 1 ? " (\(target.chips) chips)" : ""),
                             advice: "It fits on \(chips) chips (--chips \(chips)), or make the largest layers smaller: "
                                + Mapping.largest(self, 2))
        }
    }

    /// "fc1 120 cores, conv2 40 cores": the populations that take the most cores.
    static func largest(_ m: Mapping, _ k: Int) -> String {
        let order = m.coresOf.indices.sorted { m.coresOf[$0].count > m.coresOf[$1].count }.prefix(k)
        return order.map { "\(m.connectivity.populations[$0].name) \(m.coresOf[$0].count) cores" }.joined(separator: ", ") + "."
    }

    /// The largest number of neurons one core of population p can hold by neurons, fan-in and
    /// synapse memory (axons are checked on the laid-out cores).
    static func neuronsPerCore(_ pop: Population, _ p: Int, _ conn: Connectivity, _ target: Target) throws -> Int {
        let limits = target.limits
        var fanIn = [Int](repeating: 0, count: pop.neurons)
        for c in conn.connections where c.target == p {
            for n in 0..<pop.neurons { fanIn[n] += Int(c.inDegree[n]) }
        }
        let maxFanIn = max(1, fanIn.max() ?? 1)
        var n = min(pop.neurons, limits.neurons ?? pop.neurons)
        if let f = limits.fanIn, maxFanIn > f {
            throw DoesNotFit(layer: pop.name, limit: "fan-in (synapses onto one neuron)", needed: maxFanIn, available: f,
                             target: target.name, advice: "Give the layer fewer inputs: a smaller layer before it, or a sparser connection.")
        }
        if let bits = limits.synapseBits, let w = limits.weightBits {
            let fit = bits / (maxFanIn * w)
            guard fit >= 1 else {
                throw DoesNotFit(layer: pop.name, limit: "synapse memory per core (bits)", needed: maxFanIn * w, available: bits,
                                 target: target.name, advice: "One neuron's \(maxFanIn) synapses of \(w) bits exceed a core's memory: fewer inputs per neuron, or another target.")
            }
            n = min(n, fit)
        }
        if let s = limits.synapses {
            let fit = s / maxFanIn
            guard fit >= 1 else {
                throw DoesNotFit(layer: pop.name, limit: "synapses per core", needed: maxFanIn, available: s,
                                 target: target.name, advice: "One neuron has more synapses than a core holds: fewer inputs per neuron, or another target.")
            }
            n = min(n, fit)
        }
        return max(1, n)
    }

    /// Cores of `per[p]` neurons each (the last ones one fewer when the split is uneven, so no
    /// core holds more than `per[p]`).
    static func layout(_ pops: [Population], _ per: [Int]) -> (cores: [Core], coresOf: [Range<Int>]) {
        var cores: [Core] = [], coresOf: [Range<Int>] = []
        for (p, pop) in pops.enumerated() {
            let k = (pop.neurons + per[p] - 1) / per[p]
            let first = cores.count
            for i in 0..<k {
                let lo = i * pop.neurons / k, hi = (i + 1) * pop.neurons / k
                cores.append(Core(population: p, neurons: lo..<hi))
            }
            coresOf.append(first..<cores.count)
        }
        return (cores, coresOf)
    }

    /// The core holding neuron n of a population laid out in k even cores (see `layout`).
    @inline(__always)
    static func coreIndex(_ n: Int, neurons: Int, cores k: Int) -> Int {
        // core i holds [i·N/k, (i+1)·N/k); invert with the first i whose upper bound exceeds n
        var i = (n * k) / neurons
        while (i + 1) * neurons / k <= n { i += 1 }
        while i > 0 && i * neurons / k > n { i -= 1 }
        return i
    }

    /// Fills input axons, output axons and synapses of every core.
    static func countAxons(_ cores: inout [Core], _ coresOf: [Range<Int>], _ per: [Int], _ conn: Connectivity) {
        let pops = conn.populations
        var lastSource = [Int](repeating: -1, count: cores.count)
        for (ci, c) in conn.connections.enumerated() {
            let targetCores = coresOf[c.target], k = targetCores.count, nT = pops[c.target].neurons
            for t in targetCores {
                cores[t].synapses += cores[t].neurons.reduce(0) { $0 + Int(c.inDegree[$1]) }
            }
            if c.isDense {
                for t in targetCores { cores[t].inputAxons += c.sources }
                if let s = c.source { for sc in coresOf[s] { cores[sc].outputAxons += cores[sc].neurons.count * k } }
                continue
            }
            let offsets = c.offsets!, targets = c.targets!
            let sourceCores = c.source.map { coresOf[$0] }
            for s in 0..<c.sources {
                var reached = 0
                for e in offsets[s]..<offsets[s + 1] {
                    let t = targetCores.lowerBound + coreIndex(Int(targets[e]), neurons: nT, cores: k)
                    let stamp = ci * (1 << 40) + s
                    if lastSource[t] != stamp { lastSource[t] = stamp; cores[t].inputAxons += 1; reached += 1 }
                }
                if let sc = sourceCores {
                    let src = sc.lowerBound + coreIndex(s, neurons: pops[c.source!].neurons, cores: sc.count)
                    cores[src].outputAxons += reached
                }
            }
        }
    }
}
