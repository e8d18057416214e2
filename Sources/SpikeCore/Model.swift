// The model description as plain values: what a session file parses into and what the
// engine and trainer build from. Dimension letters: C channels, H height, W width.

/// The shape of one sample's activations: (C, H, W); a flat vector is (N, 1, 1).
public struct FeatureShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Channels C.
    public var channels: Int
    /// Height H.
    public var height: Int
    /// Width W.
    public var width: Int
    /// Creates a (C, H, W) shape.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels; self.height = height; self.width = width
    }
    /// A flat vector of `count` features.
    public static func flat(_ count: Int) -> FeatureShape { FeatureShape(channels: count, height: 1, width: 1) }
    /// Parses [N] or [C, H, W]; nil for any other rank or a non-positive size.
    public init?(_ dims: [Int]) {
        guard dims.allSatisfy({ $0 > 0 }) else { return nil }
        switch dims.count {
        case 1: self = .flat(dims[0])
        case 3: self.init(channels: dims[0], height: dims[1], width: dims[2])
        default: return nil
        }
    }
    /// Number of features, C·H·W.
    public var count: Int { channels * height * width }
    /// True for (N, 1, 1).
    public var isFlat: Bool { height == 1 && width == 1 }
    /// "[N]" or "[C, H, W]".
    public var description: String { isFlat ? "[\(channels)]" : "[\(channels), \(height), \(width)]" }
}

/// The synaptic transform of a layer (what turns its input into a current).
public enum LayerKind: Equatable, Sendable {
    /// Fully connected: I = W·x + b; W is (out, in) as PyTorch's nn.Linear. Input is flattened.
    case dense(outputs: Int)
    /// Fully connected with the layer's own spikes fed back: I[t] = W·x[t] + b + R·s[t−1], R (out, out).
    case recurrentDense(outputs: Int)
    /// 2-D convolution, W (out, in, k, k), square kernel, zero padding.
    case conv2d(outChannels: Int, kernel: Int, stride: Int, padding: Int)
    /// 1-D convolution over (C, 1, L) (a 1-D signal: the input shape [C, 1, L]), W (out, in, k), zero padding.
    case conv1d(outChannels: Int, kernel: Int, stride: Int, padding: Int)
    /// Average pooling over k×k windows, stride k.
    case avgPool2d(kernel: Int)
    /// Sum pooling over k×k windows, stride k.
    case sumPool2d(kernel: Int)
    /// Max pooling over k×k windows, stride k.
    case maxPool2d(kernel: Int)
    /// Reshape (C, H, W) to (C·H·W); no copy.
    case flatten
    /// Batch normalisation in inference form: y = γ·(x − μ)/√(σ² + ε) + β per channel.
    case batchNorm(epsilon: Float)
    /// A delay line: y[t] = x[t − d] (0 for the first d steps), every feature delayed d steps (NIR's Delay).
    case delay(steps: Int)

    /// The short name used in session files.
    public var name: String {
        switch self {
        case .dense: "dense"
        case .recurrentDense: "recurrent-dense"
        case .conv2d: "conv2d"
        case .conv1d: "conv1d"
        case .avgPool2d: "avgpool2d"
        case .sumPool2d: "sumpool2d"
        case .maxPool2d: "maxpool2d"
        case .flatten: "flatten"
        case .batchNorm: "batchnorm"
        case .delay: "delay"
        }
    }

    /// The outputs of a dense or recurrent-dense layer (whose `weight` is (outputs, inputs)), else nil.
    public var denseOutputs: Int? {
        switch self {
        case .dense(let o), .recurrentDense(let o): o
        default: nil
        }
    }

    /// True for the layers that carry a weight matrix.
    public var hasWeights: Bool {
        switch self {
        case .dense, .recurrentDense, .conv2d, .conv1d, .batchNorm: true
        default: false
        }
    }

    /// The output shape for `input`, or a reason why the input does not fit.
    public func outputShape(for input: FeatureShape) -> Result<FeatureShape, ShapeProblem> {
        switch self {
        case .dense(let n), .recurrentDense(let n):
            return n > 0 ? .success(.flat(n)) : .failure(ShapeProblem("outputs must be positive, found \(n)"))
        case let .conv2d(outC, k, stride, pad):
            guard outC > 0, k > 0, stride > 0, pad >= 0 else {
                return .failure(ShapeProblem("conv2d needs positive out_channels, kernel, stride and padding >= 0"))
            }
            let h = (input.height + 2 * pad - k) / stride + 1, w = (input.width + 2 * pad - k) / stride + 1
            guard input.height + 2 * pad >= k, input.width + 2 * pad >= k, h > 0, w > 0 else {
                return .failure(ShapeProblem("kernel \(k) with padding \(pad) does not fit input \(input)"))
            }
            return .success(FeatureShape(channels: outC, height: h, width: w))
        case let .conv1d(outC, k, stride, pad):
            guard outC > 0, k > 0, stride > 0, pad >= 0 else {
                return .failure(ShapeProblem("conv1d needs positive out_channels, kernel, stride and padding >= 0"))
            }
            guard input.height == 1 else { return .failure(ShapeProblem("conv1d takes [C, 1, L], found \(input)")) }
            let l = (input.width + 2 * pad - k) / stride + 1
            guard input.width + 2 * pad >= k, l > 0 else {
                return .failure(ShapeProblem("kernel \(k) with padding \(pad) does not fit input \(input)"))
            }
            return .success(FeatureShape(channels: outC, height: 1, width: l))
        case .avgPool2d(let k), .sumPool2d(let k), .maxPool2d(let k):
            guard k > 0, input.height >= k, input.width >= k else {
                return .failure(ShapeProblem("pool kernel \(k) does not fit input \(input)"))
            }
            return .success(FeatureShape(channels: input.channels, height: input.height / k, width: input.width / k))
        case .flatten:
            return .success(.flat(input.count))
        case .batchNorm:
            return .success(input)
        case .delay(let d):
            return d >= 0 ? .success(input) : .failure(ShapeProblem("delay steps must be >= 0, found \(d)"))
        }
    }
}

/// A convolution's window: kernel, stride and padding along y (rows) and x (columns).
public struct ConvGeometry: Equatable, Sendable {
    public var outChannels: Int
    public var kernelY: Int, kernelX: Int, strideY: Int, strideX: Int, padY: Int, padX: Int
    public init(outChannels: Int, kernelY: Int, kernelX: Int, strideY: Int, strideX: Int, padY: Int, padX: Int) {
        self.outChannels = outChannels; self.kernelY = kernelY; self.kernelX = kernelX
        self.strideY = strideY; self.strideX = strideX; self.padY = padY; self.padX = padX
    }
    /// Weights per output channel and input channel.
    public var taps: Int { kernelY * kernelX }
}

extension LayerKind {
    /// The window of a convolution (conv2d: k×k; conv1d: 1×k along x); nil for other kinds.
    public var convGeometry: ConvGeometry? {
        switch self {
        case let .conv2d(o, k, s, p): ConvGeometry(outChannels: o, kernelY: k, kernelX: k, strideY: s, strideX: s, padY: p, padX: p)
        case let .conv1d(o, k, s, p): ConvGeometry(outChannels: o, kernelY: 1, kernelX: k, strideY: 1, strideX: s, padY: 0, padX: p)
        default: nil
        }
    }
}

/// Why a layer does not fit its input (carried into a `ModelError`).
public struct ShapeProblem: Error, Equatable, Sendable {
    /// The reason in words.
    public var reason: String
    /// Wraps a reason.
    public init(_ reason: String) { self.reason = reason }
}

/// One layer: a synaptic transform, then optionally a neuron population driven by it.
public struct LayerSpec: Equatable, Sendable {
    /// Unique name; weights are stored as "NAME.weight", "NAME.bias", ...
    public var name: String
    /// The transform.
    public var kind: LayerKind
    /// The neurons driven by the transform's output; nil = the output passes on as it is.
    public var neuron: NeuronModel?
    /// Whether dense/conv layers carry a bias.
    public var bias: Bool
    /// How weights are made when the weights file does not hold them.
    public var initialisation: WeightInit
    /// The bias every neuron starts with under a `constant` or `identity` initialisation (0 by
    /// default; e.g. a constant inhibitory drive in teaching models).
    public var biasValue: Float = 0
    /// Recurrent-dense layers: when above 0, the recurrent weights start as lateral inhibition,
    /// −k from every neuron onto every other and 0 onto itself (a winner-take-all competition),
    /// whatever the feed-forward initialisation.
    public var lateralInhibition: Float = 0
    /// Creates a layer description.
    public init(name: String, kind: LayerKind, neuron: NeuronModel? = nil, bias: Bool = true,
                initialisation: WeightInit = .kaimingUniform, biasValue: Float = 0, lateralInhibition: Float = 0) {
        self.name = name; self.kind = kind; self.neuron = neuron; self.bias = bias
        self.initialisation = initialisation; self.biasValue = biasValue; self.lateralInhibition = lateralInhibition
    }
}

/// How a layer's weights are initialised when no weights file provides them.
public enum WeightInit: Equatable, Sendable {
    /// PyTorch's default for Linear/Conv: U(−1/√fan_in, 1/√fan_in) for weights and bias (seeded).
    case kaimingUniform
    /// Every weight equal to `value`, bias `LayerSpec.biasValue` (teaching models: one neuron fed by its input).
    case constant(Float)
    /// Identity matrix (requires as many outputs as inputs), bias `LayerSpec.biasValue`.
    case identity
    /// Every weight drawn from U[0, max) (seeded; Diehl & Cook start their input weights in
    /// [0, 0.3]), bias `LayerSpec.biasValue`.
    case uniform(max: Float)
}

/// How the input sample becomes the first layer's input at each step.
public enum Encoder: Equatable, Sendable {
    /// The sample itself as a constant current every step.
    case direct
    /// Bernoulli spikes with p = clamp(gain·x, 0, 1) per step (Poisson-like rate code).
    case rate(gain: Float)
    /// One spike per feature at step round((1 − x)·(T − 1)) for x ≥ threshold (time to first spike).
    case latency(threshold: Float)
    /// Pre-binned frames: the sample holds T frames and frame t is the input at step t.
    case frames

    /// The short name used in session files.
    public var name: String {
        switch self {
        case .direct: "direct"
        case .rate: "rate"
        case .latency: "latency"
        case .frames: "frames"
        }
    }
}

/// A whole model: input shape, encoder and layers. The readout is the last layer when it has
/// no neuron or integrating neurons (LI, I): its per-step output is the logits.
public struct ModelSpec: Equatable, Sendable {
    /// Shape of one input sample (one frame for the `frames` encoder).
    public var inputShape: FeatureShape
    /// Input encoding.
    public var encoder: Encoder
    /// Layers in order.
    public var layers: [LayerSpec]
    /// Creates a model description.
    public init(inputShape: FeatureShape, encoder: Encoder = .direct, layers: [LayerSpec]) {
        self.inputShape = inputShape; self.encoder = encoder; self.layers = layers
    }

    /// True when the last layer is a readout whose output is the logits: a weighted layer with
    /// no neuron, or one driving leaky integrators or integrators (whose output is the membrane).
    public var hasReadout: Bool {
        guard let last = layers.last, last.kind.hasWeights else { return false }
        switch last.neuron {
        case nil, .leakyIntegrator?, .cubaLI?, .integrator?: return true
        default: return false
        }
    }

    /// Input and output shape of every layer, or the first layer that does not fit.
    public func shapes() throws -> [(input: FeatureShape, output: FeatureShape)] {
        var result: [(FeatureShape, FeatureShape)] = []
        var current = inputShape
        var names = Set<String>()
        guard !layers.isEmpty else { throw ModelError.noLayers }
        for (i, layer) in layers.enumerated() {
            guard names.insert(layer.name).inserted else { throw ModelError.duplicateLayerName(layer.name) }
            switch layer.kind.outputShape(for: current) {
            case .success(let out):
                if case .recurrentDense = layer.kind, layer.neuron == nil {
                    throw ModelError.badLayer(index: i, name: layer.name, reason: "recurrent-dense needs a neuron model")
                }
                if case .identity = layer.initialisation, out.count != current.count {
                    throw ModelError.badLayer(index: i, name: layer.name,
                                              reason: "identity init needs outputs = inputs (\(current.count)), found \(out.count)")
                }
                result.append((current, out))
                current = out
            case .failure(let p):
                throw ModelError.badLayer(index: i, name: layer.name, reason: p.reason)
            }
        }
        return result
    }
}

/// Errors in a model description or its weights; `description` is the message printed.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case noLayers
    case duplicateLayerName(String)
    case badLayer(index: Int, name: String, reason: String)
    case missingTensor(file: String, name: String, expectedShape: [Int])
    case tensorShape(file: String, name: String, expected: [Int], found: [Int])
    case inputSize(expected: Int, found: Int)

    /// The message printed to the user.
    public var description: String {
        switch self {
        case .noLayers: "the model has no layers"
        case .duplicateLayerName(let n): "two layers are named '\(n)': layer names must be unique"
        case let .badLayer(i, name, reason): "layer \(i + 1) ('\(name)'): \(reason)"
        case let .missingTensor(file, name, shape): "\(file): no tensor '\(name)' (expected shape \(shape))"
        case let .tensorShape(file, name, exp, found): "\(file): tensor '\(name)' has shape \(found), expected \(exp)"
        case let .inputSize(exp, found): "input has \(found) values per sample, the model expects \(exp)"
        }
    }
}
