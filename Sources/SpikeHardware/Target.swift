// A neuromorphic target as data: how many cores, how they sit on the mesh, what one core holds,
// and what events cost. Every figure comes from a profile file (Profiles/*.toml) with its
// published source; a figure nobody published is nil ("unknown") and is then neither checked
// nor charged, and reports say so.

/// The limits of one core; nil = unknown (not checked).
public struct CoreLimits: Equatable, Sendable {
    /// Neurons (compartments) per core.
    public var neurons: Int?
    /// Distinct presynaptic sources (input axons) per core.
    public var inputAxons: Int?
    /// Outgoing axons per core: one per (source neuron, destination core) pair.
    public var outputAxons: Int?
    /// Synapse memory per core, bits.
    public var synapseBits: Int?
    /// Bits one synapse takes in that memory (the weight alone: a lower bound of the real format).
    public var weightBits: Int?
    /// Synapses onto one neuron (fan-in).
    public var fanIn: Int?
    /// Synapses per core (for targets that publish a count rather than bits).
    public var synapses: Int?
    /// Creates limits; everything unknown by default.
    public init(neurons: Int? = nil, inputAxons: Int? = nil, outputAxons: Int? = nil, synapseBits: Int? = nil,
                weightBits: Int? = nil, fanIn: Int? = nil, synapses: Int? = nil) {
        self.neurons = neurons; self.inputAxons = inputAxons; self.outputAxons = outputAxons
        self.synapseBits = synapseBits; self.weightBits = weightBits; self.fanIn = fanIn; self.synapses = synapses
    }
}

/// Energy per event in picojoules; nil = unknown (not charged).
public struct EnergyCosts: Equatable, Sendable {
    /// One synaptic operation.
    public var synapticOp: Double?
    /// One packet delivered within its tile (router), before any hop.
    public var packet: Double?
    /// One packet crossing one east-west link.
    public var hopEastWest: Double?
    /// One packet crossing one north-south link.
    public var hopNorthSouth: Double?
    /// One neuron update in a step with input to its core, and without.
    public var neuronActive: Double?, neuronIdle: Double?
    /// Creates costs; everything unknown by default.
    public init(synapticOp: Double? = nil, packet: Double? = nil, hopEastWest: Double? = nil, hopNorthSouth: Double? = nil,
                neuronActive: Double? = nil, neuronIdle: Double? = nil) {
        self.synapticOp = synapticOp; self.packet = packet; self.hopEastWest = hopEastWest
        self.hopNorthSouth = hopNorthSouth; self.neuronActive = neuronActive; self.neuronIdle = neuronIdle
    }
}

/// How a target maps layers to cores.
public enum MappingStyle: String, Equatable, Sendable, CaseIterable {
    /// Any layer split over as many cores as its limits need (Loihi, TrueNorth, SpiNNaker, generic).
    case cores
    /// One conv layer per core, cores matched to layers by kernel and neuron memory (Speck / DYNAP-CNN).
    case speck
    /// One flat pool of hidden and output neurons with design rules (Xylo).
    case xylo
}

/// A neuromorphic target.
public struct Target: Equatable, Sendable {
    /// Short name ("loihi").
    public var name: String
    /// One line: what it is and where its figures come from.
    public var summary: String
    /// How layers become cores.
    public var style: MappingStyle
    /// Chips used (chips tile side by side into one larger mesh).
    public var chips: Int
    /// Cores per chip.
    public var coresPerChip: Int
    /// Routers (tiles) per chip on the mesh: width × height; `coresPerTile` cores share one.
    public var meshWidth: Int, meshHeight: Int, coresPerTile: Int
    /// What one core holds.
    public var limits: CoreLimits
    /// What events cost.
    public var energy: EnergyCosts
    /// Speck: kernel and neuron memory of each core, entries (style `.speck` only).
    public var kernelMemory: [Int] = [], neuronMemory: [Int] = []
    /// Speck: destination layers one core can send to.
    public var destinationsPerCore: Int?
    /// Xylo: input channels, hidden and output neurons (style `.xylo` only).
    public var inputChannels: Int?, hiddenNeurons: Int?, outputNeurons: Int?
    /// Chip-wide totals where published (neurons, synapses); nil = unknown.
    public var neuronsPerChip: Int?, synapsesPerChip: Int?

    /// Creates a target.
    public init(name: String, summary: String = "", style: MappingStyle = .cores, chips: Int = 1, coresPerChip: Int,
                meshWidth: Int, meshHeight: Int, coresPerTile: Int = 1, limits: CoreLimits = CoreLimits(),
                energy: EnergyCosts = EnergyCosts()) {
        self.name = name; self.summary = summary; self.style = style; self.chips = chips
        self.coresPerChip = coresPerChip; self.meshWidth = meshWidth; self.meshHeight = meshHeight
        self.coresPerTile = coresPerTile; self.limits = limits; self.energy = energy
    }

    /// Cores on all chips.
    public var totalCores: Int { chips * coresPerChip }

    /// The mesh position (global x, y) of physical core `slot`: chip by chip left to right,
    /// within a chip tile by tile in rows, `coresPerTile` cores per tile.
    public func position(ofSlot slot: Int) -> (x: Int, y: Int) {
        let chip = slot / coresPerChip, local = slot % coresPerChip
        let tile = local / max(1, coresPerTile)
        return (chip * meshWidth + tile % meshWidth, tile / meshWidth)
    }

    /// Links a packet crosses from slot a to slot b with X-then-Y routing: east-west, north-south.
    public func hops(from a: Int, to b: Int) -> (eastWest: Int, northSouth: Int) {
        let p = position(ofSlot: a), q = position(ofSlot: b)
        return (abs(p.x - q.x), abs(p.y - q.y))
    }
}
