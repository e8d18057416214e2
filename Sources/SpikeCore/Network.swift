// A model description with its parameters. Dimension letters: O outputs, I inputs, C channels,
// K kernel size.

/// A dense float tensor: shape and row-major values.
public struct Tensor: Equatable, Sendable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Values, row-major; count = product of `shape`.
    public var data: [Float]
    /// Creates a tensor; `data.count` must equal the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not hold \(data.count) values")
        self.shape = shape; self.data = data
    }
}

/// The learnable and running values of one layer (empty arrays where a layer has none).
public struct LayerParameters: Equatable, Sendable {
    /// dense: (O, I); recurrent-dense: (O, I); conv2d: (O, C, K, K); batchnorm: γ (C).
    public var weight: [Float] = []
    /// dense/conv: (O); batchnorm: β (C).
    public var bias: [Float] = []
    /// recurrent-dense: R (O, O), the feedback from the layer's own spikes.
    public var recurrent: [Float] = []
    /// batchnorm: running mean μ (C).
    public var runningMean: [Float] = []
    /// batchnorm: running variance σ² (C).
    public var runningVar: [Float] = []
    /// Empty parameters.
    public init() {}
}

/// A model and its parameters, validated against each other.
public struct Network: Sendable {
    /// The description.
    public internal(set) var spec: ModelSpec
    /// Input and output shape of every layer.
    public let shapes: [(input: FeatureShape, output: FeatureShape)]
    /// Parameters of every layer, in layer order.
    public var parameters: [LayerParameters]

    /// Builds a network with freshly initialised weights (seeded, see `WeightInit`).
    public init(spec: ModelSpec, seed: UInt64) throws {
        self.spec = spec
        self.shapes = try spec.shapes()
        var rng = Rng(seed: seed)
        parameters = []
        for (i, layer) in spec.layers.enumerated() {
            parameters.append(Network.initialParameters(layer, shapes[i].input, shapes[i].output, &rng))
        }
    }

    /// Builds a network from named tensors (as read from a safetensors file named `file`).
    /// Layers with a `constant` or `identity` initialisation may be absent from `tensors`.
    public init(spec: ModelSpec, tensors: [String: Tensor], file: String, seed: UInt64 = 0) throws {
        var net = try Network(spec: spec, seed: seed)
        for (i, layer) in spec.layers.enumerated() where layer.kind.hasWeights {
            let expected = net.expectedShapes(layer: i)
            let optional = layer.initialisation != .kaimingUniform
            if optional && expected.allSatisfy({ tensors[$0.name] == nil }) { continue }
            for (name, shape, keyPath) in expected {
                guard let t = tensors[name] else {
                    throw ModelError.missingTensor(file: file, name: name, expectedShape: shape)
                }
                guard t.shape == shape else {
                    throw ModelError.tensorShape(file: file, name: name, expected: shape, found: t.shape)
                }
                net.parameters[i][keyPath: keyPath] = t.data
            }
        }
        self = net
    }

    /// The tensors a layer needs: name, shape and where it lives in `LayerParameters`.
    public func expectedShapes(layer i: Int) -> [(name: String, shape: [Int], keyPath: WritableKeyPath<LayerParameters, [Float]>)] {
        let layer = spec.layers[i], (input, output) = shapes[i]
        let n = layer.name
        switch layer.kind {
        case .dense(let o):
            var r: [(String, [Int], WritableKeyPath<LayerParameters, [Float]>)] = [("\(n).weight", [o, input.count], \.weight)]
            if layer.bias { r.append(("\(n).bias", [o], \.bias)) }
            return r
        case .recurrentDense(let o):
            var r: [(String, [Int], WritableKeyPath<LayerParameters, [Float]>)] =
                [("\(n).weight", [o, input.count], \.weight), ("\(n).recurrent_weight", [o, o], \.recurrent)]
            if layer.bias { r.append(("\(n).bias", [o], \.bias)) }
            return r
        case let .conv2d(o, k, _, _):
            var r: [(String, [Int], WritableKeyPath<LayerParameters, [Float]>)] =
                [("\(n).weight", [o, input.channels, k, k], \.weight)]
            if layer.bias { r.append(("\(n).bias", [o], \.bias)) }
            return r
        case let .conv1d(o, k, _, _):
            var r: [(String, [Int], WritableKeyPath<LayerParameters, [Float]>)] =
                [("\(n).weight", [o, input.channels, k], \.weight)]
            if layer.bias { r.append(("\(n).bias", [o], \.bias)) }
            return r
        case .batchNorm:
            let c = output.channels
            return [("\(n).weight", [c], \.weight), ("\(n).bias", [c], \.bias),
                    ("\(n).running_mean", [c], \.runningMean), ("\(n).running_var", [c], \.runningVar)]
        default:
            return []
        }
    }

    /// Every parameter as a named tensor, PyTorch-style names ("fc1.weight", "bn1.running_var").
    public func tensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for i in spec.layers.indices {
            for (name, shape, keyPath) in expectedShapes(layer: i) {
                out[name] = Tensor(shape: shape, data: parameters[i][keyPath: keyPath])
            }
        }
        return out
    }

    private static func initialParameters(_ layer: LayerSpec, _ input: FeatureShape, _ output: FeatureShape,
                                          _ rng: inout Rng) -> LayerParameters {
        var p = LayerParameters()
        func fill(_ count: Int, fanIn: Int) -> [Float] {
            let bound = 1 / Float(fanIn).squareRoot()
            return (0..<count).map { _ in (rng.nextFloat() * 2 - 1) * bound }
        }
        func weights(_ o: Int, _ fanIn: Int, _ count: Int) -> [Float] {
            switch layer.initialisation {
            case .kaimingUniform: return fill(count, fanIn: fanIn)
            case .constant(let v): return Array(repeating: v, count: count)
            case .uniform(let m): return (0..<count).map { _ in rng.nextFloat() * m }
            case .identity:
                var w = Array(repeating: Float(0), count: count)
                for k in 0..<min(o, fanIn) { w[k * fanIn + k] = 1 }
                return w
            }
        }
        func bias(_ o: Int, fanIn: Int) -> [Float] {
            guard layer.bias else { return [] }
            return layer.initialisation == .kaimingUniform ? fill(o, fanIn: fanIn) : Array(repeating: layer.biasValue, count: o)
        }
        switch layer.kind {
        case .dense(let o):
            p.weight = weights(o, input.count, o * input.count)
            p.bias = bias(o, fanIn: input.count)
        case .recurrentDense(let o):
            p.weight = weights(o, input.count, o * input.count)
            if layer.lateralInhibition > 0 {
                p.recurrent = (0..<(o * o)).map { $0 / o == $0 % o ? 0 : -layer.lateralInhibition }
            } else {
                p.recurrent = layer.initialisation == .kaimingUniform ? fill(o * o, fanIn: o) : Array(repeating: 0, count: o * o)
            }
            p.bias = bias(o, fanIn: input.count)
        case .conv2d, .conv1d:
            guard let g = layer.kind.convGeometry else { break }   // every conv kind has one
            let o = g.outChannels, fanIn = input.channels * g.taps
            p.weight = weights(o, fanIn, o * fanIn)
            p.bias = bias(o, fanIn: fanIn)
        case .batchNorm:
            let c = output.channels
            p.weight = Array(repeating: 1, count: c); p.bias = Array(repeating: 0, count: c)
            p.runningMean = Array(repeating: 0, count: c); p.runningVar = Array(repeating: 1, count: c)
        default: break
        }
        return p
    }
}

extension Network {
    /// Number of neurons: the outputs of every layer with a neuron model, plus the readout.
    public var neuronCount: Int {
        var n = 0
        for (i, layer) in spec.layers.enumerated()
        where layer.neuron != nil || (spec.hasReadout && i == spec.layers.count - 1) {
            n += shapes[i].output.count
        }
        return n
    }

    /// Number of synapses (connections with a weight; conv weights counted once per use).
    public var synapseCount: Int {
        zip(spec.layers, shapes).reduce(0) { total, pair in
            let (layer, (input, output)) = pair
            switch layer.kind {
            case .dense: return total + input.count * output.count
            case .recurrentDense: return total + input.count * output.count + output.count * output.count
            case .conv2d, .conv1d: return total + output.count * input.channels * (layer.kind.convGeometry?.taps ?? 0)
            default: return total
            }
        }
    }

    /// Number of stored parameter values (weights, biases, batch-norm values).
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + $1.weight.count + $1.bias.count + $1.recurrent.count + $1.runningMean.count + $1.runningVar.count }
    }

    /// The classes of the readout (its output count), or nil when the model has none.
    public var classCount: Int? { spec.hasReadout ? shapes.last?.output.count : nil }

    /// A copy with every batch-norm layer that directly follows a dense or conv layer folded
    /// into that layer's weights and removed:
    ///     s = γ/√(σ² + ε);  W' = s·W (per output channel);  b' = s·(b − μ) + β
    /// The folded layer takes the batch-norm layer's neuron. Outputs are unchanged up to rounding.
    public func foldingBatchNorm() throws -> Network {
        var layers: [LayerSpec] = [], params: [LayerParameters] = []
        for (i, layer) in spec.layers.enumerated() {
            if case .batchNorm(let eps) = layer.kind, let prev = layers.last, prev.neuron == nil,
               (prev.kind.isDenseOrConv) {
                var p = params[params.count - 1]
                let bn = parameters[i], c = bn.weight.count
                let perChannel = p.weight.count / c
                if p.bias.isEmpty { p.bias = Array(repeating: 0, count: c) }
                for ch in 0..<c {
                    let s = bn.weight[ch] / (bn.runningVar[ch] + eps).squareRoot()
                    for k in 0..<perChannel { p.weight[ch * perChannel + k] *= s }
                    p.bias[ch] = s * (p.bias[ch] - bn.runningMean[ch]) + bn.bias[ch]
                }
                params[params.count - 1] = p
                layers[layers.count - 1].neuron = layer.neuron
                layers[layers.count - 1].bias = true
                continue
            }
            layers.append(layer); params.append(parameters[i])
        }
        var folded = try Network(spec: ModelSpec(inputShape: spec.inputShape, encoder: spec.encoder, layers: layers), seed: 0)
        folded.parameters = params
        return folded
    }
}

extension LayerKind {
    /// True for dense and conv2d (the layers a batch norm can fold into).
    public var isDenseOrConv: Bool {
        switch self {
        case .dense, .conv2d: true
        default: false
        }
    }
}
