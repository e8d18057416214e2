// The two targets with rules of their own: Speck (DYNAP-CNN) puts one layer on one core whose
// kernel and neuron memories must hold it; Xylo holds every neuron in one core under design
// rules (inputs, hidden and output neurons, fan-in).
import SpikeCore

extension Mapping {
    /// Kernel and neuron memory a population needs on Speck (sinabs's formulas):
    ///     kernel = c · 2^(⌈log2(kx·ky)⌉ + ⌈log2 f⌉),  neuron = f · 2^(⌈log2 h_out⌉ + ⌈log2 w_out⌉)
    /// for the last weighted layer into it (c input channels, f output channels, kx·ky kernel);
    /// a dense layer counts as a conv whose kernel covers its whole input map.
    public static func speckMemory(network: Network, layer: Int) -> (kernel: Int, neuron: Int)? {
        var j = layer
        while j >= 0 {
            let (input, output) = network.shapes[j]
            switch network.spec.layers[j].kind {
            case .conv2d, .conv1d:
                guard let g = network.spec.layers[j].kind.convGeometry else { return nil }   // every conv kind has one
                let f = g.outChannels
                return (input.channels * pow2(log2ceil(g.taps) + log2ceil(f)),
                        f * pow2(log2ceil(output.height) + log2ceil(output.width)))
            case .dense(let f):
                // after a flatten the map is the shape before it
                let map = j > 0 && network.spec.layers[j - 1].kind == .flatten ? network.shapes[j - 1].input : input
                return (map.channels * pow2(log2ceil(map.height * map.width) + log2ceil(f)), f)
            case .recurrentDense:
                return nil
            default:
                j -= 1
            }
        }
        return nil
    }

    static func log2ceil(_ x: Int) -> Int { x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount }
    static func pow2(_ e: Int) -> Int { 1 << e }

    /// One population per core, matched to cores by memory (augmenting paths).
    mutating func mapSpeck() throws {
        let pops = connectivity.populations, t = target
        var needs: [(kernel: Int, neuron: Int)] = []
        for pop in pops {
            guard let m = Mapping.speckMemory(network: network, layer: pop.layer) else {
                throw DoesNotFit(layer: pop.name, limit: "layer kind", needed: 1, available: 0, target: t.name,
                                 advice: "Speck runs convolutional (and dense-as-conv) layers only; recurrent layers have no place on it.")
            }
            needs.append(m)
        }
        if pops.count > t.coresPerChip {
            throw DoesNotFit(layer: nil, limit: "layers (one per core)", needed: pops.count, available: t.coresPerChip,
                             target: t.name, advice: "Merge or remove layers: Speck holds one layer per core.")
        }
        func fits(_ p: Int, _ c: Int) -> Bool { needs[p].kernel <= t.kernelMemory[c] && needs[p].neuron <= t.neuronMemory[c] }
        var coreOwner = [Int](repeating: -1, count: t.coresPerChip)
        func augment(_ p: Int, _ seen: inout [Bool]) -> Bool {
            for c in 0..<t.coresPerChip where fits(p, c) && !seen[c] {
                seen[c] = true
                if coreOwner[c] < 0 || augment(coreOwner[c], &seen) { coreOwner[c] = p; return true }
            }
            return false
        }
        for p in pops.indices {
            var seen = [Bool](repeating: false, count: t.coresPerChip)
            guard augment(p, &seen) else {
                let kMax = t.kernelMemory.max() ?? 0, nMax = t.neuronMemory.max() ?? 0
                let (limit, need, have) = needs[p].kernel > kMax ? ("kernel memory (entries)", needs[p].kernel, kMax)
                    : needs[p].neuron > nMax ? ("neuron memory (entries)", needs[p].neuron, nMax)
                    : ("a core whose kernel and neuron memories both hold it", needs[p].kernel, kMax)
                throw DoesNotFit(layer: pops[p].name, limit: limit, needed: need, available: have, target: t.name,
                                 advice: "Fewer channels or a smaller map (pool earlier) for this layer; every other layer already took the cores that fit.")
            }
        }
        var slots = [Int](repeating: 0, count: pops.count)
        for (c, p) in coreOwner.enumerated() where p >= 0 { slots[p] = c }
        cores = pops.enumerated().map { Core(population: $0.offset, neurons: 0..<$0.element.neurons) }
        coresOf = pops.indices.map { $0..<($0 + 1) }
        perCore = pops.map(\.neurons)
        Mapping.countAxons(&cores, coresOf, perCore, connectivity)
        fixedSlots = slots
    }

    /// Every population in the one core, after Xylo's design-rule checks.
    mutating func mapXylo() throws {
        let pops = connectivity.populations, t = target
        func check(_ name: String?, _ limit: String, _ needed: Int, _ available: Int?, _ advice: String) throws {
            if let available, needed > available {
                throw DoesNotFit(layer: name, limit: limit, needed: needed, available: available, target: t.name, advice: advice)
            }
        }
        try check(nil, "input channels", connectivity.inputs, t.inputChannels,
                  "Xylo takes at most \(t.inputChannels ?? 0) input channels: reduce the input (fewer features or channels).")
        guard let last = pops.last else { return }
        let hidden = pops.dropLast().reduce(0) { $0 + $1.neurons }
        try check(nil, "hidden neurons", hidden, t.hiddenNeurons, "Make the hidden layers smaller.")
        try check(last.name, "output neurons", last.neurons, t.outputNeurons, "Xylo has \(t.outputNeurons ?? 0) output neurons: fewer classes.")
        for (p, pop) in pops.enumerated() { _ = try Mapping.neuronsPerCore(pop, p, connectivity, t) }   // fan-in rule
        cores = pops.enumerated().map { Core(population: $0.offset, neurons: 0..<$0.element.neurons) }
        coresOf = pops.indices.map { $0..<($0 + 1) }
        perCore = pops.map(\.neurons)
        Mapping.countAxons(&cores, coresOf, perCore, connectivity)
        fixedSlots = Array(repeating: 0, count: pops.count)
    }
}
