import Foundation
import SpikeCore

/// A NIR graph as an engine model: the spec, its tensors (Network.tensors() names) and notes
/// on what was assumed or tolerated.
public struct ImportedModel: Sendable {
    public var spec: ModelSpec
    public var tensors: [String: Tensor]
    public var dt: Double
    public var notes: [String]
}

extension NIRFile {
    /// Reads the graph as an engine model at step `dt` (nil: the τ/r ratio every leaky node
    /// shares, as snnTorch exports write r = τ/dt; else an error asks for --dt). The engine runs
    /// chains: Input, then weight layers (Affine, Linear, Conv2d; Scale folded into them) each
    /// optionally followed by neurons, Flatten and pools, then Output. Every other shape of graph
    /// or node class is refused with the node named, never dropped.
    public func model(dt given: Double?, file: String) throws -> ImportedModel {
        func fail(_ node: String, _ reason: String) -> NIRError { NIRError(file: file, node: node, reason: reason) }
        var (nodes, edges) = try NIRFile.inlined(graph, file: file)
        // Recurrent loops: neurons N and a weight node R with exactly N -> R -> N (snnTorch's RLeaky,
        // RSynaptic) become a recurrent layer: R's weights are the recurrent weights.
        var recurrent: [String: NIRNode] = [:]
        for (s, t) in edges {
            guard let a = nodes[s], let b = nodes[t], [.affine, .linear].contains(b.type),
                  [.lif, .integrateAndFire, .cubaLIF, .cubaLI, .leakyIntegrator, .integrator].contains(a.type),
                  edges.contains(where: { $0 == (t, s) }), edges.filter({ $0.source == t || $0.target == t }).count == 2 else { continue }
            guard recurrent[s] == nil else { throw fail(s, "more than one recurrent loop on the same neurons") }
            recurrent[s] = b
        }
        for (neuron, loop) in recurrent {
            edges.removeAll { ($0.source == neuron && $0.target == loop.name) || ($0.source == loop.name && $0.target == neuron) }
            nodes[loop.name] = nil
        }
        let g = NIRGraph(nodes: nodes, edges: edges, metadata: graph.metadata)
        let inputs = g.nodes.values.filter { $0.type == .input }, outputs = g.nodes.values.filter { $0.type == .output }
        guard inputs.count == 1, let input = inputs.first else { throw fail("", "expected one Input node, found \(inputs.count)") }
        guard outputs.count == 1, let output = outputs.first else { throw fail("", "expected one Output node, found \(outputs.count)") }
        var next: [String: String] = [:], incoming: [String: Int] = [:]
        for (s, t) in g.edges {
            if let other = next[s], other != t { throw fail(s, "it feeds both '\(other)' and '\(t)'; the engine runs chains of layers (no branches)") }
            next[s] = t
            incoming[t, default: 0] += 1
        }
        for (name, k) in incoming where k > 1 { throw fail(name, "\(k) edges come into it; the engine runs chains of layers (no merges)") }
        var chain: [NIRNode] = []
        var at = input.name
        while let n = next[at] {
            guard chain.count <= g.nodes.count, let node = g.nodes[n] else { throw fail(n, "the edges make a cycle") }
            if node.type == .output { break }
            chain.append(node)
            at = n
        }
        guard next[at] == output.name else { throw fail(at, "the chain from '\(input.name)' ends here, not at the Output '\(output.name)'") }
        for node in g.nodes.values where node.type != .input && node.type != .output && !chain.contains(where: { $0.name == node.name }) {
            throw fail(node.name, "not on the chain from Input to Output")
        }

        // dt: given, or the τ/r ratio all leaky nodes share.
        var notes: [String] = []
        let dt: Double
        if let given {
            guard given.isFinite, given > 0 else { throw fail("", "--dt must be a positive number of seconds, found \(given)") }
            dt = given
        } else {
            var ratios: [Double] = [], leaky = false, unitGain = true
            for node in chain {
                if [.lif, .leakyIntegrator, .cubaLIF, .cubaLI].contains(node.type), let (r, _) = node.numbers("r") {
                    leaky = true
                    unitGain = unitGain && r.allSatisfy { $0 == 1 }
                }
                let tauField = node.type == .cubaLIF || node.type == .cubaLI ? "tau_mem" : "tau"
                if let (tau, _) = node.numbers(tauField), let (r, _) = node.numbers("r") {
                    for (t, rr) in zip(tau, r) where rr != 0 { ratios.append(t / rr) }
                }
                if node.type == .integrateAndFire || node.type == .integrator, let (r, _) = node.numbers("r") {
                    for rr in r where rr != 0 { ratios.append(1 / rr) }
                }
            }
            if leaky && unitGain {
                // r = 1 everywhere: τ/r is τ itself, and reading it as dt would make every β zero.
                throw fail("", "every leaky node has r = 1, as Norse and SpikingJelly write them, so the graph does not carry its dt: "
                    + "give --dt, the step it was made for (the NIR paper's files: 1e-4; SpikingJelly: 1e-4 by default; "
                    + "Norse's current to_nir writes τ as dt/τ_inv: then the square of its dt, 1e-6 for its default 0.001)")
            }
            if let first = ratios.first, first > 0, ratios.allSatisfy({ abs($0 - first) <= 1e-4 * first }) {
                // Files store float32: 1e-4 comes back as 9.9999998e-05; six significant digits recover it.
                dt = Double(String(format: "%.6g", first)) ?? first
                notes.append("dt = \(dt) s, read from the graph (τ/r of every leaky node; an exporter's dt); give --dt to choose another")
            } else if ratios.isEmpty {
                dt = 1e-3
            } else {
                throw fail("", "the nodes' τ/r ratios differ, so the exporter's dt cannot be read from them: give --dt")
            }
        }

        // Shapes: [N] or [C, H, W]; a leading batch dimension of 1 is tolerated.
        // A 1-D signal [C, L] (the input of a Conv1d) is [C, 1, L] in the engine.
        let signal = chain.first { [.conv1d, .conv2d, .affine, .linear].contains($0.type) }?.type == .conv1d
        func featureShape(_ dims: [Int], node: String, field: String) throws -> FeatureShape {
            if signal && dims.count == 2 { return FeatureShape(channels: dims[0], height: 1, width: dims[1]) }
            var d = dims
            if d.count == 2 || d.count == 4, d.first == 1 { d.removeFirst(); notes.append("\(node): \(field) \(dims) read as \(d) (a batch dimension of 1)") }
            guard let s = FeatureShape(d) else { throw fail(node, "\(field) \(dims): expected [N] or [C, H, W] of positive sizes") }
            return s
        }
        let inDims: [Int]
        if let (d, _) = input.numbers("shape") {
            // Sizes are whole numbers a model can have; anything else (1e300, NaN, 2.5) is refused.
            inDims = try d.map { x in
                guard let i = Int(exactly: x), (1...100_000_000).contains(i) else { throw fail(input.name, "shape \(d): expected positive whole numbers") }
                return i
            }
        } else if input.fields["shape"] == nil, let first = chain.first, [.affine, .linear].contains(first.type),
                  let (_, ws) = first.numbers("weight"), ws.count == 2 {
            // Some exporters leave the Input's type out: the first layer's weights tell its size.
            inDims = [ws[1]]
            notes.append("\(input.name): no shape; read as [\(ws[1])] from the weights of '\(first.name)'")
        } else {
            throw fail(input.name, "shape: expected integers (and the first layer does not tell the input size)")
        }
        var shape = try featureShape(inDims, node: input.name, field: "shape")
        let inputShape = shape

        var layers: [LayerSpec] = []
        var tensors: [String: Tensor] = [:]
        var used = Set<String>()
        func layerName(_ node: String) -> String {
            var base = node.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".", with: "_")
            if base.first?.isNumber ?? true { base = "n" + base }
            var name = base, k = 2
            while used.contains(name) { name = "\(base)_\(k)"; k += 1 }
            used.insert(name)
            return name
        }
        // A weight layer waiting for the neurons that may follow it.
        struct Pending {
            var name: String; var kind: LayerKind; var weight: [Float]; var bias: [Float]?; var outShape: FeatureShape; var rowSize: Int
            var recurrent: [Float]? = nil
        }
        var pending: Pending?
        func flush(_ neuron: NeuronModel?) throws {
            guard let p = pending else { return }
            var spec = LayerSpec(name: p.name, kind: p.kind, neuron: neuron, bias: p.bias != nil)
            spec.initialisation = .kaimingUniform
            layers.append(spec)
            let outputs = p.weight.count / p.rowSize
            switch p.kind {
            case .conv2d(let o, let k, _, _): tensors[p.name + ".weight"] = Tensor(shape: [o, p.rowSize / (k * k), k, k], data: p.weight)
            case .conv1d(let o, let k, _, _): tensors[p.name + ".weight"] = Tensor(shape: [o, p.rowSize / k, k], data: p.weight)
            default: tensors[p.name + ".weight"] = Tensor(shape: [outputs, p.rowSize], data: p.weight)
            }
            if let b = p.bias { tensors[p.name + ".bias"] = Tensor(shape: [b.count], data: b) }
            if let r = p.recurrent { tensors[p.name + ".recurrent_weight"] = Tensor(shape: [outputs, outputs], data: r) }
            shape = p.outShape
            pending = nil
        }
        func ints(_ node: NIRNode, _ field: String, count: Int) throws -> [Int] {
            if case .strings(let s, _)? = node.fields[field] { throw fail(node.name, "\(field) '\(s.first ?? "")': expected \(count) integers") }
            guard let (v, _) = node.numbers(field), v.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) else {
                throw fail(node.name, "\(field): expected integers")
            }
            if v.count == count { return v.map { Int($0) } }
            if v.count == 1 { return Array(repeating: Int(v[0]), count: count) }
            throw fail(node.name, "\(field): expected \(count) integers, found \(v.count)")
        }

        /// Padding written as "valid" or "same" (nil when it is written as integers).
        func namedPadding(_ node: NIRNode, kernel: Int, stride: Int) throws -> Int? {
            guard case .strings(let s, _)? = node.fields["padding"] else { return nil }
            switch s.first {
            case "valid": return 0
            case "same" where stride == 1 && kernel % 2 == 1: return kernel / 2
            default: throw fail(node.name, "padding '\(s.first ?? "")': expected \"valid\", \"same\" (odd kernel, stride 1) or integers")
            }
        }
        /// A convolution of `kind` with weights `w` of shape `ws` (out channels first) waits for its neurons.
        func convolution(_ node: NIRNode, _ kind: LayerKind, _ w: [Double], _ ws: [Int]) throws {
            guard let (b, _) = node.numbers("bias"), b.count == ws[0] || b.count == 1 else { throw fail(node.name, "bias: expected \(ws[0]) values") }
            let out: FeatureShape
            switch kind.outputShape(for: shape) {
            case .success(let s): out = s
            case .failure(let p): throw fail(node.name, p.reason)
            }
            pending = Pending(name: layerName(node.name), kind: kind, weight: w.map { Float($0) },
                              bias: (b.count == 1 ? Array(repeating: b[0], count: ws[0]) : b).map { Float($0) }, outShape: out,
                              rowSize: ws.dropFirst().reduce(1, *))
        }

        for node in chain {
            switch node.type {
            case .affine, .linear:
                try flush(nil)
                guard let (w, ws) = node.numbers("weight"), ws.count == 2 else { throw fail(node.name, "weight: expected a 2-D array") }
                guard ws[1] == shape.count else {
                    throw fail(node.name, "weight \(ws) takes \(ws[1]) inputs, the layer before gives \(shape.count) (shape \(shape))")
                }
                var bias: [Float]?
                if node.type == .affine {
                    guard let (b, _) = node.numbers("bias"), b.count == ws[0] else { throw fail(node.name, "bias: expected \(ws[0]) values") }
                    bias = b.map { Float($0) }
                }
                pending = Pending(name: layerName(node.name), kind: .dense(outputs: ws[0]), weight: w.map { Float($0) }, bias: bias,
                                  outShape: .flat(ws[0]), rowSize: ws[1])
            case .conv1d:
                try flush(nil)
                guard let (w, ws) = node.numbers("weight"), ws.count == 3 else { throw fail(node.name, "weight: expected [out, in, k]") }
                guard ws[1] == shape.channels, shape.height == 1 else {
                    throw fail(node.name, "weight \(ws) takes \(ws[1]) channels of a 1-D signal, the layer before gives shape \(shape)")
                }
                let stride = try ints(node, "stride", count: 1)[0], dilation = try ints(node, "dilation", count: 1), groups = try ints(node, "groups", count: 1)
                guard dilation == [1] else { throw fail(node.name, "dilation \(dilation): the engine has no dilated convolutions") }
                guard groups == [1] else { throw fail(node.name, "groups \(groups[0]): the engine has no grouped convolutions") }
                let padding: Int
                if let named = try namedPadding(node, kernel: ws[2], stride: stride) {
                    padding = named
                } else {
                    padding = try ints(node, "padding", count: 1)[0]
                }
                try convolution(node, .conv1d(outChannels: ws[0], kernel: ws[2], stride: stride, padding: padding), w, ws)
            case .conv2d:
                try flush(nil)
                guard let (w, ws) = node.numbers("weight"), ws.count == 4 else { throw fail(node.name, "weight: expected [out, in, kh, kw]") }
                guard ws[1] == shape.channels, !shape.isFlat || shape.count == ws[1] else {
                    throw fail(node.name, "weight \(ws) takes \(ws[1]) channels, the layer before gives shape \(shape)")
                }
                guard ws[2] == ws[3] else { throw fail(node.name, "weight: kernel \(ws[2])x\(ws[3]); the engine's kernels are square") }
                let stride = try ints(node, "stride", count: 2), dilation = try ints(node, "dilation", count: 2), groups = try ints(node, "groups", count: 1)
                guard stride[0] == stride[1] else { throw fail(node.name, "stride \(stride): the engine's strides are equal in both directions") }
                guard dilation == [1, 1] else { throw fail(node.name, "dilation \(dilation): the engine has no dilated convolutions") }
                guard groups == [1] else { throw fail(node.name, "groups \(groups[0]): the engine has no grouped convolutions") }
                let padding: Int
                if let named = try namedPadding(node, kernel: ws[2], stride: stride[0]) {
                    padding = named
                } else {
                    let p = try ints(node, "padding", count: 2)
                    guard p[0] == p[1] else { throw fail(node.name, "padding \(p): the engine pads equally in both directions") }
                    padding = p[0]
                }
                try convolution(node, .conv2d(outChannels: ws[0], kernel: ws[2], stride: stride[0], padding: padding), w, ws)
            case .scale:
                guard var p = pending else { throw fail(node.name, "Scale needs a weight layer before it to fold into") }
                guard let (s, _) = node.numbers("scale") else { throw fail(node.name, "scale: expected numbers") }
                let outputs = p.weight.count / p.rowSize
                guard s.count == outputs || s.count == 1 else { throw fail(node.name, "scale: \(s.count) values for \(outputs) outputs") }
                for o in 0..<outputs {
                    let f = Float(s.count == 1 ? s[0] : s[o])
                    for k in 0..<p.rowSize { p.weight[o * p.rowSize + k] *= f }
                    p.bias?[o] *= f
                }
                pending = p
            case .lif, .leakyIntegrator, .integrateAndFire, .integrator, .cubaLIF, .cubaLI, .threshold:
                if pending == nil {
                    // Neurons straight after the input or a pool: an identity layer carries the current.
                    guard shape.isFlat else { throw fail(node.name, "neurons on a [C, H, W] shape need a Conv2d before them") }
                    pending = Pending(name: layerName(node.name + "_in"), kind: .dense(outputs: shape.count),
                                      weight: (0..<(shape.count * shape.count)).map { $0 % (shape.count + 1) == 0 ? 1 : 0 }, bias: nil,
                                      outShape: shape, rowSize: shape.count)
                    notes.append("\(node.name): an identity layer carries the input to the neurons")
                }
                guard var p = pending else { break }
                let n = p.outShape.count
                if let loop = recurrent[node.name] {
                    // I[t] = W·x[t] + b + R·s[t−1] (+ R's bias): the engine's recurrent dense layer.
                    guard case .dense(let outputs) = p.kind else {
                        throw fail(node.name, "a recurrent loop needs an Affine or Linear layer before the neurons")
                    }
                    guard let (r, rs) = loop.numbers("weight"), rs == [outputs, outputs] else {
                        throw fail(loop.name, "weight: expected [\(outputs), \(outputs)] for the recurrent loop on '\(node.name)'")
                    }
                    p.kind = .recurrentDense(outputs: outputs)
                    p.recurrent = r.map { Float($0) }
                    if let (rb, _) = loop.numbers("bias"), rb.count == outputs, rb.contains(where: { $0 != 0 }) {
                        var b = p.bias ?? Array(repeating: 0, count: outputs)
                        for o in 0..<outputs { b[o] += Float(rb[o]) }
                        p.bias = b
                    }
                }
                let m = try Discretisation.neuron(node, count: n, dt: dt, file: file)
                notes += m.notes
                let outputs = p.weight.count / p.rowSize
                var bias = p.bias   // gain times bias, plus the leak drive (a bias appears when there is a drive)
                if p.kind.convGeometry != nil {
                    // One filter per channel: gain and drive must be the same over each channel's positions.
                    let plane = n / outputs
                    for o in 0..<outputs {
                        let g = m.gain[o * plane], d = m.drive[o * plane]
                        guard (0..<plane).allSatisfy({ m.gain[o * plane + $0] == g && m.drive[o * plane + $0] == d }) else {
                            throw fail(node.name, "parameters differ within channel \(o); after a Conv2d they must be per channel")
                        }
                        for k in 0..<p.rowSize { p.weight[o * p.rowSize + k] *= g }
                        if bias != nil || d != 0 { bias = bias ?? Array(repeating: 0, count: outputs); bias![o] = bias![o] * g + d }
                    }
                } else {
                    for o in 0..<outputs {
                        for k in 0..<p.rowSize { p.weight[o * p.rowSize + k] *= m.gain[o] }
                        if p.recurrent != nil { for k in 0..<outputs { p.recurrent![o * outputs + k] *= m.gain[o] } }
                        if bias != nil || m.drive[o] != 0 {
                            bias = bias ?? Array(repeating: 0, count: outputs)
                            bias![o] = bias![o] * m.gain[o] + m.drive[o]
                        }
                    }
                }
                p.bias = bias
                pending = p
                try flush(m.neuron)
            case .flatten:
                try flush(nil)
                if !shape.isFlat {
                    layers.append(LayerSpec(name: layerName(node.name), kind: .flatten))
                    shape = .flat(shape.count)
                }
            case .sumPool2d, .avgPool2d:
                try flush(nil)
                let k = try ints(node, "kernel_size", count: 2), s = try ints(node, "stride", count: 2), p = try ints(node, "padding", count: 2)
                guard k[0] == k[1], s == k, p == [0, 0] else {
                    throw fail(node.name, "kernel \(k), stride \(s), padding \(p): the engine pools square windows with stride = kernel, no padding")
                }
                let kind: LayerKind = node.type == .sumPool2d ? .sumPool2d(kernel: k[0]) : .avgPool2d(kernel: k[0])
                switch kind.outputShape(for: shape) {
                case .success(let out): shape = out
                case .failure(let problem): throw fail(node.name, problem.reason)
                }
                layers.append(LayerSpec(name: layerName(node.name), kind: kind))
            case .delay:
                // y(t) = x(t − τ): a delay line of round(τ/dt) steps; one delay for the whole layer.
                try flush(nil)
                guard let (v, _) = node.numbers("delay"), let first = v.first, v.allSatisfy({ $0 == first }) else {
                    throw fail(node.name, "delay: the engine delays a whole layer by one amount; these differ")
                }
                let steps = first / dt
                guard first >= 0, steps.isFinite, abs(steps - steps.rounded()) <= 1e-3 * max(1, steps), steps.rounded() <= 10_000 else {
                    throw fail(node.name, "delay \(first) s is not a whole number of steps of dt = \(dt) s (at most 10,000)")
                }
                layers.append(LayerSpec(name: layerName(node.name), kind: .delay(steps: Int(steps.rounded()))))
            case .input, .output, .graph:
                throw fail(node.name, "unexpected \(node.type.rawValue) inside the chain")
            }
        }
        try flush(nil)
        guard !layers.isEmpty else { throw fail("", "no layers between Input and Output") }
        if let (o, _) = output.numbers("shape"), o.reduce(1, *) != Double(shape.count) {
            notes.append("\(output.name): shape \(o) disagrees with the last layer's \(shape); the layer's is used")
        }
        let spec = ModelSpec(inputShape: inputShape, encoder: .direct, layers: layers)
        do { _ = try spec.shapes() } catch { throw fail("", "the model does not chain: \(error)") }
        return ImportedModel(spec: spec, tensors: tensors, dt: dt, notes: notes)
    }
}

extension NIRFile {
    /// The graph with every nested graph inlined: its nodes named PARENT.CHILD, edges into it led
    /// to what its Input feeds, edges out of it from what feeds its Output.
    static func inlined(_ g: NIRGraph, file: String, prefix: String = "", depth: Int = 0)
        throws -> (nodes: [String: NIRNode], edges: [(source: String, target: String)]) {
        guard depth <= 16 else { throw NIRError(file: file, node: prefix, reason: "graphs nest deeper than 16") }
        var nodes: [String: NIRNode] = [:], edges: [(source: String, target: String)] = []
        var entry: [String: [String]] = [:], exit: [String: [String]] = [:]   // a subgraph's name -> inner ends
        for (name, node) in g.nodes {
            guard let sub = node.subgraph else { nodes[name] = node; continue }
            let full = name
            let (inner, innerEdges) = try inlined(sub, file: file, prefix: prefix + full + ".", depth: depth + 1)
            let subInputs = sub.nodes.values.filter { $0.type == .input }.map(\.name)
            let subOutputs = sub.nodes.values.filter { $0.type == .output }.map(\.name)
            for (k, v) in inner where !subInputs.contains(k) && !subOutputs.contains(k) {
                var renamed = v
                renamed.name = full + "." + k
                nodes[renamed.name] = renamed
            }
            for (s, t) in innerEdges {
                if subInputs.contains(s) { entry[full, default: []].append(full + "." + t); continue }
                if subOutputs.contains(t) { exit[full, default: []].append(full + "." + s); continue }
                edges.append((full + "." + s, full + "." + t))
            }
        }
        for (s, t) in g.edges {
            for source in exit[s] ?? [s] { for target in entry[t] ?? [t] { edges.append((source, target)) } }
        }
        return (nodes, edges)
    }
}
