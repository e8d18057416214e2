// The model as a chip sees it: populations of neurons (every layer with a neuron model, and the
// readout) and the connections between them, each the chain of transforms (conv, pool, flatten,
// batch norm, dense) from one population's spikes to the next population's neurons.
import SpikeCore

/// A layer whose neurons sit on cores.
public struct Population: Equatable, Sendable {
    /// Index of the layer in the network.
    public let layer: Int
    /// The layer's name.
    public let name: String
    /// Neurons, in the layer's (C, H, W) order.
    public let neurons: Int
    /// True when it emits spikes that travel to other cores (IF, LIF, CubaLIF, adaptive LIF).
    public let spiking: Bool
    /// Index into the recorder's layers (nil for the readout without neurons).
    public let recorded: Int?
}

/// How one source's events reach a population: every source to every target neuron once
/// (dense), or each source to its own list of target neurons (sparse, from conv and pool chains).
public struct Connection: Sendable {
    /// Source population, or nil for the model's input.
    public let source: Int?
    /// Target population.
    public let target: Int
    /// Source neurons.
    public let sources: Int
    /// Sparse reach: target neurons of source s are `targets[offsets[s]..<offsets[s+1]]`; nil when dense.
    public let offsets: [Int]?, targets: [Int32]?
    /// Synapses onto each target neuron from this connection.
    public let inDegree: [Int32]
    /// Synapses in all: Σ in-degree.
    public var synapses: Int { inDegree.reduce(0) { $0 + Int($1) } }
    /// True when every source reaches every target neuron.
    public var isDense: Bool { offsets == nil }
}

/// Populations and connections of a network.
public struct Connectivity: Sendable {
    /// The populations in layer order.
    public let populations: [Population]
    /// The connections, input first.
    public let connections: [Connection]
    /// Values of one encoded input step, F.
    public let inputs: Int

    /// Builds the populations and connections of `network`.
    public init(network: Network) {
        let spec = network.spec
        var pops: [Population] = []
        var recorded = 0
        for (i, layer) in spec.layers.enumerated() {
            let isReadout = spec.hasReadout && i == spec.layers.count - 1
            guard layer.neuron != nil || isReadout else { continue }
            pops.append(Population(layer: i, name: layer.name, neurons: network.shapes[i].output.count,
                                   spiking: layer.neuron?.isSpiking ?? false, recorded: layer.neuron != nil ? recorded : nil))
            if layer.neuron != nil { recorded += 1 }
        }
        populations = pops
        inputs = spec.inputShape.count
        var conns: [Connection] = []
        // From the input (layer -1) and from every population, follow the chain to the next population.
        let starts: [(source: Int?, afterLayer: Int, shape: FeatureShape)] =
            [(nil, -1, spec.inputShape)] + pops.enumerated().map { ($0.offset, $0.element.layer, network.shapes[$0.element.layer].output) }
        for (source, after, shape) in starts {
            var chain: [Int] = []
            var j = after + 1
            while j < spec.layers.count {
                chain.append(j)
                if let t = pops.firstIndex(where: { $0.layer == j }) {
                    conns.append(Connectivity.connect(network, source: source, shape: shape, chain: chain, target: t,
                                                      targetCount: pops[t].neurons))
                    break
                }
                j += 1
            }
        }
        // Recurrent layers feed their own spikes back, all to all.
        for (t, p) in pops.enumerated() {
            if case .recurrentDense = spec.layers[p.layer].kind {
                conns.append(Connection(source: t, target: t, sources: p.neurons, offsets: nil, targets: nil,
                                        inDegree: Array(repeating: Int32(p.neurons), count: p.neurons)))
            }
        }
        connections = conns
    }

    /// The connection through the layers of `chain` (the last one is the target's).
    static func connect(_ network: Network, source: Int?, shape: FeatureShape, chain: [Int], target: Int,
                        targetCount: Int) -> Connection {
        let n = shape.count
        let hasDense = chain.contains { j in
            switch network.spec.layers[j].kind {
            case .dense, .recurrentDense: return true
            default: return false
            }
        }
        if hasDense {
            return Connection(source: source, target: target, sources: n, offsets: nil, targets: nil,
                              inDegree: Array(repeating: Int32(n), count: targetCount))
        }
        // Sparse: propagate each source neuron's index set through the chain.
        var offsets = [0], targets: [Int32] = []
        var inDegree = [Int32](repeating: 0, count: targetCount)
        var seen = [Int](repeating: -1, count: chain.map { network.shapes[$0].output.count }.max() ?? 1)
        var current: [Int] = [], next: [Int] = []
        targets.reserveCapacity(n * 9)
        for s in 0..<n {
            current.removeAll(keepingCapacity: true); current.append(s)
            for (depth, j) in chain.enumerated() {
                let (inS, outS) = network.shapes[j]
                next.removeAll(keepingCapacity: true)
                let stamp = s * chain.count + depth
                func add(_ k: Int) { if seen[k] != stamp { seen[k] = stamp; next.append(k) } }
                for e in current {
                    let c = e / (inS.height * inS.width), y = (e / inS.width) % inS.height, x = e % inS.width
                    switch network.spec.layers[j].kind {
                    case .conv2d, .conv1d:
                        guard let g = network.spec.layers[j].kind.convGeometry else { continue }   // every conv kind has one
                        let (p0, p1) = window(y, g.kernelY, g.strideY, g.padY, outS.height)
                        let (q0, q1) = window(x, g.kernelX, g.strideX, g.padX, outS.width)
                        guard p0 <= p1, q0 <= q1 else { continue }
                        for oc in 0..<g.outChannels { for p in p0...p1 { for q in q0...q1 { add((oc * outS.height + p) * outS.width + q) } } }
                    case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
                        if y / k < outS.height && x / k < outS.width { add((c * outS.height + y / k) * outS.width + x / k) }
                    default:
                        add(e)
                    }
                }
                swap(&current, &next)
            }
            for d in current { targets.append(Int32(d)); inDegree[d] += 1 }
            offsets.append(targets.count)
        }
        return Connection(source: source, target: target, sources: n, offsets: offsets, targets: targets, inDegree: inDegree)
    }

    /// Output rows p (or columns) whose window of size k, stride, padding covers input row y.
    private static func window(_ y: Int, _ k: Int, _ stride: Int, _ pad: Int, _ size: Int) -> (Int, Int) {
        // p·stride − pad ≤ y < p·stride − pad + k
        let a = y + pad - k + 1
        let lo = a <= 0 ? 0 : (a + stride - 1) / stride
        return (lo, min(size - 1, (y + pad) / stride))
    }
}
