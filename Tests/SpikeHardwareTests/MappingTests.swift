// Mapping, routing and traffic on small networks whose numbers are counted by hand.
import Testing
@testable import SpikeCore
@testable import SpikeHardware

/// A generic target: `cores` cores in one row (one per router), `neurons` per core.
private func row(_ cores: Int, neurons: Int, inputAxons: Int? = nil, chips: Int = 1) -> Target {
    Target(name: "row", chips: chips, coresPerChip: cores, meshWidth: cores, meshHeight: 1, coresPerTile: 1,
           limits: CoreLimits(neurons: neurons, inputAxons: inputAxons),
           energy: EnergyCosts(synapticOp: 2, packet: 1, hopEastWest: 10, hopNorthSouth: 100))
}

/// input 4 (direct) -> A: dense 4, IF θ = 1, identity weights -> B: dense 2 readout.
private func twoLayer() throws -> Network {
    try Network(spec: ModelSpec(inputShape: .flat(4), encoder: .direct, layers: [
        LayerSpec(name: "A", kind: .dense(outputs: 4), neuron: .integrateAndFire(IFParameters(threshold: 1, reset: .zero)),
                  bias: false, initialisation: .identity),
        LayerSpec(name: "B", kind: .dense(outputs: 2), bias: false, initialisation: .constant(0.5)),
    ]), seed: 0)
}

@Test func aKnownSpikePatternGivesExactPacketsHopsAndSynapticOps() throws {
    let net = try twoLayer()
    let mapping = try Mapping(network: net, target: row(3, neurons: 2))
    // A takes cores 0 (neurons 0-1) and 1 (2-3), B core 2.
    #expect(mapping.cores.map(\.neurons) == [0..<2, 2..<4, 0..<2])
    #expect(mapping.coresOf == [0..<2, 2..<3])
    let sim = Simulation(network: net, timesteps: 1, seed: 0)
    try sim.setInput([1, 1, 0, 0])
    sim.step()                                  // A's neurons 0 and 1 reach u = 1 and spike
    let placement = Placement.sequential(mapping)
    let step = try #require(mapping.traffic(step: 1, recorder: sim.recorder!, routes: Routes(mapping), placement: placement))
    // Input: 2 events of value 1 (binary) into dense A: each meets 2 + 2 synapses (both A cores) → 8 ACs.
    // A → B: 2 spikes from core 0, one packet each to core 2 (2 hops east), 2 synapses each → 4 ACs.
    #expect(step.counts.inputEvents == 2)
    #expect(step.counts.spikes == 2)
    #expect(step.counts.synapticOps == 12 && step.counts.multiplyAccumulates == 0)
    #expect(step.counts.packets == 2)
    #expect(step.counts.hopsEastWest == 4 && step.counts.hopsNorthSouth == 0)
    #expect(step.coreSpikes == [2, 0, 0])
    #expect(step.coreSynapticOps == [4, 4, 4])
    #expect(step.links[placement.linkIndex(x: 0, y: 0, south: false)] == 2)
    #expect(step.links[placement.linkIndex(x: 1, y: 0, south: false)] == 2)
    // Every core got input: 6 active neuron updates. Energy: 12·2 + 2·1 + 4·10 + nothing unknown
    // but the neuron updates.
    #expect(step.counts.activeNeuronUpdates == 6 && step.counts.idleNeuronUpdates == 0)
    let e = step.counts.energy(mapping.target.energy)
    #expect(e.picojoules == 66 && e.unknown == ["active neuron updates"])
}

@Test func nonBinaryInputCountsMultiplyAccumulates() throws {
    let net = try twoLayer()
    let mapping = try Mapping(network: net, target: row(3, neurons: 2))
    let sim = Simulation(network: net, timesteps: 1, seed: 0)
    try sim.setInput([0.5, 0, 0, 0.25])
    sim.step()
    let step = try #require(mapping.traffic(step: 1, recorder: sim.recorder!, routes: Routes(mapping),
                                            placement: .sequential(mapping)))
    #expect(step.counts.multiplyAccumulates == 8 && step.counts.synapticOps == 0 && step.counts.spikes == 0)
}

@Test func aLayerOneNeuronOverTheLimitTakesTwoCores() throws {
    let spec = ModelSpec(inputShape: .flat(3), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 5), neuron: .lif(LIFParameters())),
    ])
    let m = try Mapping(network: try Network(spec: spec, seed: 0), target: row(4, neurons: 4))
    #expect(m.cores.map(\.neurons.count) == [2, 3])
    let fits = try Mapping(network: try Network(spec: ModelSpec(inputShape: .flat(3), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 4), neuron: .lif(LIFParameters()))]), seed: 0), target: row(4, neurons: 4))
    #expect(fits.cores.count == 1)
}

@Test func aModelTooBigGetsAReportNamingLimitNeedAndRemedy() throws {
    let spec = ModelSpec(inputShape: .flat(3), layers: [
        LayerSpec(name: "h", kind: .dense(outputs: 10), neuron: .lif(LIFParameters())),
    ])
    #expect(throws: DoesNotFit(layer: nil, limit: "cores", needed: 3, available: 2, target: "row",
                               advice: "It fits on 2 chips (--chips 2), or make the largest layers smaller: h 3 cores.")) {
        try Mapping(network: try Network(spec: spec, seed: 0), target: row(2, neurons: 4))
    }
    // Input axons: a dense layer with 10 inputs on cores that take 8 sources cannot be split to fit.
    let wide = ModelSpec(inputShape: .flat(10), layers: [LayerSpec(name: "w", kind: .dense(outputs: 2), neuron: .lif(LIFParameters()))])
    do {
        _ = try Mapping(network: try Network(spec: wide, seed: 0), target: row(4, neurons: 4, inputAxons: 8))
        Issue.record("10 inputs fit 8 input axons")
    } catch let e as DoesNotFit {
        #expect(e.layer == "w" && e.limit == "input axons per core" && e.needed == 10 && e.available == 8)
        #expect(e.description.hasPrefix("does not fit row: layer 'w': input axons per core: needs 10, row has 8."))
    }
}

@Test func convConnectivityHasTheKernelsInDegree() throws {
    // 1 channel 4x4 → conv 3x3 padding 1 → LIF: a corner neuron sees 4 inputs, an edge one 6, an inner one 9.
    let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 4, width: 4), layers: [
        LayerSpec(name: "c", kind: .conv2d(outChannels: 1, kernel: 3, stride: 1, padding: 1)),
        LayerSpec(name: "n", kind: .batchNorm(epsilon: 1e-5), neuron: .lif(LIFParameters())),
        LayerSpec(name: "p", kind: .sumPool2d(kernel: 2)),
        LayerSpec(name: "f", kind: .flatten),
        LayerSpec(name: "out", kind: .dense(outputs: 3)),
    ])
    let conn = Connectivity(network: try Network(spec: spec, seed: 0))
    #expect(conn.populations.map(\.name) == ["n", "out"])
    let first = conn.connections[0]
    #expect(!first.isDense)
    #expect(first.inDegree.map(Int.init) == [4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4])
    #expect(first.synapses == 100)
    // pool then dense: every neuron of n reaches every readout unit.
    #expect(conn.connections[1].isDense && conn.connections[1].sources == 16)
}

@Test func trafficAwarePlacementNeverLosesToSequentialAndIsSeeded() throws {
    // Four cores in a row: 0 and 3 exchange much traffic, so moving them together pays.
    let spec = ModelSpec(inputShape: .flat(2), layers: [
        LayerSpec(name: "a", kind: .dense(outputs: 4), neuron: .lif(LIFParameters())),
    ])
    let m = try Mapping(network: try Network(spec: spec, seed: 0), target: row(8, neurons: 1))
    let pairs = [0 * 4 + 3: 100, 1 * 4 + 2: 5, 0 * 4 + 1: 1]
    let seq = Placement.sequential(m), smart = Placement.trafficAware(m, pairs: pairs, seed: 7)
    #expect(seq.hopPackets(pairs, cores: 4) == 300 + 5 + 1)
    #expect(smart.hopPackets(pairs, cores: 4) <= seq.hopPackets(pairs, cores: 4))
    #expect(smart.hopPackets(pairs, cores: 4) < 200)
    #expect(Placement.trafficAware(m, pairs: pairs, seed: 7) == smart)
    #expect(Set(smart.slots).count == 4)       // a permutation onto distinct cores
}

@Test func chipsTileIntoOneMesh() {
    let t = row(3, neurons: 1, chips: 2)
    #expect(t.position(ofSlot: 4) == (1 + 3, 0))
    #expect(t.hops(from: 0, to: 5) == (5, 0))
}

@Test func speckMemoryFollowsSinabsFormulas() throws {
    // conv 2 → 8 channels, 3x3, on 16x16 (padding 1): kernel 2·2^(⌈log2 9⌉ + ⌈log2 8⌉) = 2·2^7 = 256,
    // neurons 8·2^(4 + 4) = 2048. conv 1 → 6, 5x5, on 28x28: output 24x24, kernel 1·2^(5 + 3) = 256,
    // neurons 6·2^(5 + 5) = 6144.
    let a = try Network(spec: ModelSpec(inputShape: FeatureShape(channels: 2, height: 16, width: 16), layers: [
        LayerSpec(name: "c", kind: .conv2d(outChannels: 8, kernel: 3, stride: 1, padding: 1), neuron: .lif(LIFParameters()))]), seed: 0)
    #expect(Mapping.speckMemory(network: a, layer: 0)! == (256, 2048))
    let b = try Network(spec: ModelSpec(inputShape: FeatureShape(channels: 1, height: 28, width: 28), layers: [
        LayerSpec(name: "c", kind: .conv2d(outChannels: 6, kernel: 5, stride: 1, padding: 0), neuron: .lif(LIFParameters()))]), seed: 0)
    #expect(Mapping.speckMemory(network: b, layer: 0)! == (256, 6144))
    // A speck-like target: two cores, the big layer only fits the second.
    var t = Target(name: "speckish", style: .speck, coresPerChip: 2, meshWidth: 2, meshHeight: 1)
    t.kernelMemory = [1024, 1024]; t.neuronMemory = [4096, 8192]
    let m = try Mapping(network: b, target: t)
    #expect(m.fixedSlots == [1])
    t.neuronMemory = [4096, 4096]
    #expect(throws: DoesNotFit(layer: "c", limit: "neuron memory (entries)", needed: 6144, available: 4096, target: "speckish",
                               advice: "Fewer channels or a smaller map (pool earlier) for this layer; every other layer already took the cores that fit.")) {
        try Mapping(network: b, target: t)
    }
}

@Test func xyloChecksInputsAndFanIn() throws {
    var t = Target(name: "xylo", style: .xylo, coresPerChip: 1, meshWidth: 1, meshHeight: 1,
                   limits: CoreLimits(neurons: 1008, fanIn: 63))
    t.inputChannels = 16; t.hiddenNeurons = 1000; t.outputNeurons = 8
    func net(_ inputs: Int, _ hidden: Int, _ out: Int) throws -> Network {
        try Network(spec: ModelSpec(inputShape: .flat(inputs), layers: [
            LayerSpec(name: "h", kind: .dense(outputs: hidden), neuron: .lif(LIFParameters())),
            LayerSpec(name: "o", kind: .dense(outputs: out), neuron: .lif(LIFParameters())),
        ]), seed: 0)
    }
    let ok = try Mapping(network: try net(16, 63, 8), target: t)
    #expect(ok.fixedSlots == [0, 0] && ok.cores.count == 2)
    do {
        _ = try Mapping(network: try net(16, 64, 8), target: t)
        Issue.record("fan-in 64 passed Xylo's limit of 63")
    } catch let e as DoesNotFit {
        #expect(e.layer == "o" && e.limit == "fan-in (synapses onto one neuron)" && e.needed == 64 && e.available == 63)
    }
    #expect(throws: DoesNotFit.self) { try Mapping(network: try net(17, 8, 8), target: t) }
}

@Test func chipWideTotalsAreChecked() throws {
    // Loihi 2 publishes per-chip totals only: a layer with more synapses than a chip holds does not fit one chip.
    var t = Target(name: "two", coresPerChip: 4, meshWidth: 2, meshHeight: 2)
    t.synapsesPerChip = 100
    let spec = ModelSpec(inputShape: .flat(20), layers: [LayerSpec(name: "h", kind: .dense(outputs: 6), neuron: .lif(LIFParameters()))])
    #expect(throws: DoesNotFit(layer: nil, limit: "synapses per chip", needed: 120, available: 100, target: "two",
                               advice: "Use 2 chips (--chips), or fewer connections.")) {
        try Mapping(network: try Network(spec: spec, seed: 0), target: t)
    }
    t.chips = 2
    #expect(try Mapping(network: try Network(spec: spec, seed: 0), target: t).cores.count == 1)
}
