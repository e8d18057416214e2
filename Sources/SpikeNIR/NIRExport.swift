import Foundation
import SpikeCore

extension NIRFile {
    /// The fields NIR stores as integers (written as int64; every other number as float32).
    static let integerFields: Set<String> = ["shape", "stride", "padding", "dilation", "groups", "kernel_size", "start_dim", "end_dim",
                                             "input_shape", "input_type", "delay"]

    /// An engine model as a NIR graph at step `dt` (`Discretisation.node(for:)`): Input, per layer
    /// a weight node (Affine, or Linear without bias; Conv2d; SumPool2d, AvgPool2d, Flatten) and a
    /// neuron node named LAYER_NEURON, Output. Throws naming the layer when NIR has no form for it.
    public static func export(spec: ModelSpec, tensors: [String: Tensor], dt: Double, file: String) throws -> NIRFile {
        func fail(_ layer: String, _ reason: String) -> NIRError { NIRError(file: file, node: layer, reason: reason) }
        guard dt.isFinite, dt > 0 else { throw fail("", "--dt must be a positive number of seconds, found \(dt)") }
        let shapes: [(input: FeatureShape, output: FeatureShape)]
        do { shapes = try spec.shapes() } catch { throw fail("", "the model does not chain: \(error)") }
        // A model with 1-D convolutions carries signals [C, 1, L], which NIR writes [C, L].
        let signals = spec.layers.contains { if case .conv1d = $0.kind { true } else { false } }
        func dims(_ s: FeatureShape) -> [Int] {
            s.isFlat ? [s.count] : signals && s.height == 1 ? [s.channels, s.width] : [s.channels, s.height, s.width]
        }
        func ints(_ v: [Int]) -> HDF5Value { .numbers(v.map(Double.init), shape: [v.count]) }
        func tensor(_ name: String) throws -> HDF5Value {
            guard let t = tensors[name] else { throw fail(name, "the weights have no tensor '\(name)'") }
            return .numbers(t.data.map(Double.init), shape: t.shape)
        }
        var nodes: [String: NIRNode] = [:]
        var order: [String] = ["input"]
        var loops: [(source: String, target: String)] = []
        nodes["input"] = NIRNode(name: "input", type: .input, fields: ["shape": ints(dims(spec.inputShape))])
        if spec.encoder != .direct && spec.encoder != .frames {
            throw fail("", "the \(spec.encoder.name) encoder has no NIR node (NIR graphs take the input as it is); use encoder = \"direct\"")
        }
        /// The layer's neurons as the node LAYER_NEURON after the layer's nodes.
        func addNeuron(_ layer: LayerSpec, _ shape: FeatureShape) throws {
            guard let neuron = layer.neuron else { return }
            guard let (type, fields, meta) = Discretisation.node(for: neuron, shape: dims(shape), dt: dt) else {
                throw fail(layer.name, "the \(neuron.name) neuron has no NIR node (NIR has LIF, IF, LI, I, CubaLIF, CubaLI; no refractory period, no reset 'none')")
            }
            let name = layer.name + "_" + neuron.name.replacingOccurrences(of: "-", with: "_")
            nodes[name] = NIRNode(name: name, type: type, fields: fields, metadata: meta)
            order.append(name)
        }
        for (index, (layer, shape)) in zip(spec.layers, shapes).enumerated() {
            guard !layer.name.contains("/") else { throw fail(layer.name, "a node name with '/' becomes nested groups nir.read cannot open") }
            let n = layer.name
            switch layer.kind {
            case .batchNorm(let epsilon):
                // NIR has no batch norm: inference's y = γ·(x − μ)/√(σ² + ε) + β is folded into the
                // weight layer before it, as snnTorch and sinabs fold it.
                let previous = index > 0 ? spec.layers[index - 1] : nil
                guard let previous, previous.neuron == nil, var node = nodes[previous.name],
                      case .numbers(var w, let ws)? = node.fields["weight"] else {
                    throw fail(n, "batch norm folds into a Conv2d or Affine layer right before it without neurons; there is none")
                }
                let gamma = try tensor(n + ".weight"), beta = try tensor(n + ".bias"), mean = try tensor(n + ".running_mean"),
                    variance = try tensor(n + ".running_var")
                guard case .numbers(let g, _) = gamma, case .numbers(let bt, _) = beta, case .numbers(let mu, _) = mean,
                      case .numbers(let v, _) = variance else { throw fail(n, "batch norm tensors are not numbers") }
                let outputs = ws[0], row = w.count / max(outputs, 1)
                var b: [Double] = Array(repeating: 0, count: outputs)
                if case .numbers(let old, _)? = node.fields["bias"] { b = old }
                for o in 0..<outputs {
                    let scale = g[o] / (v[o] + Double(epsilon)).squareRoot()
                    for k in 0..<row { w[o * row + k] *= scale }
                    b[o] = (b[o] - mu[o]) * scale + bt[o]
                }
                node.fields["weight"] = .numbers(w, shape: ws)
                node.fields["bias"] = .numbers(b, shape: [outputs])
                if node.type == .linear { node.type = .affine }
                nodes[previous.name] = node
                try addNeuron(layer, shape.output)
                continue
            case .dense, .recurrentDense:
                var fields = ["weight": try tensor(n + ".weight")]
                if layer.bias { fields["bias"] = try tensor(n + ".bias") }
                nodes[n] = NIRNode(name: n, type: layer.bias ? .affine : .linear, fields: fields)
                if case .recurrentDense = layer.kind {
                    // The loop as snnTorch's RLeaky writes it: neurons -> LAYER_rec -> neurons.
                    guard let neuron = layer.neuron else { throw fail(n, "a recurrent layer without neurons has no NIR form") }
                    let rec = n + "_rec", cell = n + "_" + neuron.name.replacingOccurrences(of: "-", with: "_")
                    nodes[rec] = NIRNode(name: rec, type: .linear, fields: ["weight": try tensor(n + ".recurrent_weight")])
                    loops += [(cell, rec), (rec, cell)]
                }
            case let .conv2d(outC, _, stride, padding):
                nodes[n] = NIRNode(name: n, type: .conv2d, fields: [
                    "weight": try tensor(n + ".weight"),
                    "bias": layer.bias ? try tensor(n + ".bias") : .numbers([Double](repeating: 0, count: outC), shape: [outC]),
                    "stride": ints([stride, stride]), "padding": ints([padding, padding]), "dilation": ints([1, 1]),
                    "groups": .numbers([1], shape: []), "input_shape": ints([shape.input.height, shape.input.width])])
            case let .conv1d(outC, _, stride, padding):
                nodes[n] = NIRNode(name: n, type: .conv1d, fields: [
                    "weight": try tensor(n + ".weight"),
                    "bias": layer.bias ? try tensor(n + ".bias") : .numbers([Double](repeating: 0, count: outC), shape: [outC]),
                    // Conv1d's stride, padding, dilation and input_shape are scalars in nir (its type check computes with them).
                    "stride": .numbers([Double(stride)], shape: []), "padding": .numbers([Double(padding)], shape: []),
                    "dilation": .numbers([1], shape: []), "groups": .numbers([1], shape: []),
                    "input_shape": .numbers([Double(shape.input.width)], shape: [])])
            case .sumPool2d(let k), .avgPool2d(let k):
                nodes[n] = NIRNode(name: n, type: layer.kind == .sumPool2d(kernel: k) ? .sumPool2d : .avgPool2d,
                                   fields: ["kernel_size": ints([k, k]), "stride": ints([k, k]), "padding": ints([0, 0])])
            case .flatten:
                nodes[n] = NIRNode(name: n, type: .flatten, fields: ["start_dim": .numbers([0], shape: []), "end_dim": .numbers([-1], shape: []),
                                                                     "input_type": ints(dims(shape.input))])
            case .delay(let d):
                let count = shape.input.count
                nodes[n] = NIRNode(name: n, type: .delay, fields: ["delay": .numbers([Double](repeating: Double(d) * dt, count: count),
                                                                                       shape: dims(shape.input))])
            case .maxPool2d:
                throw fail(n, "\(layer.kind.name) layers have no NIR form spikescope writes yet")
            }
            order.append(n)
            try addNeuron(layer, shape.output)
        }
        nodes["output"] = NIRNode(name: "output", type: .output, fields: ["shape": ints(dims(shapes.last?.output ?? spec.inputShape))])
        order.append("output")
        let edges = zip(order, order.dropFirst()).map { (source: $0, target: $1) } + loops
        return NIRFile(version: "1.0.8", graph: NIRGraph(nodes: nodes, edges: edges))
    }

    /// The file as an HDF5 tree, laid out as nir.write lays it out.
    public var tree: HDF5Tree {
        func graphTree(_ g: NIRGraph) -> HDF5Tree {
            var members: [String: HDF5Tree] = ["type": .dataset(.strings(["NIRGraph"], shape: []))]
            var nodes: [String: HDF5Tree] = [:]
            for (name, node) in g.nodes {
                if let sub = node.subgraph { nodes[name] = graphTree(sub); continue }
                var m: [String: HDF5Tree] = ["type": .dataset(.strings([node.type.rawValue], shape: []))]
                for (k, v) in node.fields { m[k] = .dataset(v) }
                if !node.metadata.isEmpty { m["metadata"] = .group(node.metadata.mapValues { .dataset($0) }) }
                nodes[name] = .group(m)
            }
            members["nodes"] = .group(nodes)
            members["edges"] = .dataset(.strings(g.edges.flatMap { [$0.source, $0.target] }, shape: [g.edges.count, 2]))
            if !g.metadata.isEmpty { members["metadata"] = .group(g.metadata.mapValues { .dataset($0) }) }
            return .group(members)
        }
        return .group(["version": .dataset(.strings([version], shape: [])), "node": graphTree(graph)])
    }

    /// Writes the file (nothing is left at `path` if writing fails).
    public func write(to path: String) throws {
        try HDF5.write(tree, to: path) { NIRFile.integerFields.contains(String($0.split(separator: "/").last ?? "")) }
    }
}

extension NIRFile {
    /// The reset of a spiking neuron (nil for the others).
    public static func resetMode(of neuron: NeuronModel) -> ResetMode? {
        switch neuron {
        case .lif(let p): p.reset
        case .integrateAndFire(let p): p.reset
        case .cubaLIF(let p): p.reset
        case .adaptiveLIF(let p): p.reset
        case .adaptiveThresholdLIF(let p): p.reset
        default: nil
        }
    }
}
