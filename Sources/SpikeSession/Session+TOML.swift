import Foundation
import SpikeCore
import TOMLKit

extension Session {
    /// Reads and validates a session file.
    public static func load(path: String) throws -> Session {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionError.unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SessionError.unreadable(file: path, reason: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses session text; `file` names it in errors and anchors the relative weights path.
    public static func parse(_ text: String, file: String) throws -> Session {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SessionError.syntax(file: file, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        }
        let top = TOMLFields(table: root, file: file, prefix: "")
        try top.onlyKeys(["name", "seed", "timesteps", "input", "data", "model", "layers", "view", "notes"])
        let name = try top.string("name") ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let seed = try top.int("seed", default: 0, in: 0...Int.max)
        let timesteps = try top.int("timesteps", in: 1...100_000)

        // [input]
        guard let input = try top.subtable("input") else {
            throw SessionError.missing(file: file, field: "input", expected: "an [input] table with shape and encoder")
        }
        try input.onlyKeys(["shape", "encoder", "gain", "threshold"])
        guard let dims = try input.ints("shape") else {
            throw SessionError.missing(file: file, field: "input.shape", expected: "[N] or [C, H, W]")
        }
        guard let shape = FeatureShape(dims) else {
            throw SessionError.badValue(file: file, field: "input.shape", expected: "[N] or [C, H, W] of positive sizes", found: "\(dims)")
        }
        let encoderName = try input.choice("encoder", [("direct", "direct"), ("rate", "rate"), ("latency", "latency"), ("frames", "frames")], default: "direct")
        let encoder: Encoder
        switch encoderName {
        case "rate": encoder = .rate(gain: try input.float("gain", default: 1, { $0 > 0 }, expected: "a positive number"))
        case "latency": encoder = .latency(threshold: try input.float("threshold", default: 0.1, { $0 >= 0 && $0 <= 1 }, expected: "a number from 0 to 1"))
        case "frames": encoder = .frames
        default: encoder = .direct
        }

        // [[layers]]
        let layerTables = try top.tables("layers")
        guard !layerTables.isEmpty else {
            throw SessionError.missing(file: file, field: "layers", expected: "at least one [[layers]] table")
        }
        let layers = try layerTables.enumerated().map { try parseLayer($0.element, index: $0.offset) }
        let model = ModelSpec(inputShape: shape, encoder: encoder, layers: layers)
        do { _ = try model.shapes() } catch let e as ModelError { throw SessionError.model(file: file, e) }

        // [model]
        var weights: String?
        if let m = try top.subtable("model") {
            try m.onlyKeys(["weights"])
            weights = try m.string("weights")
        }

        // [data]
        var data = DataSettings()
        if let d = try top.subtable("data") {
            try d.onlyKeys(["source", "split", "sample", "amplitude", "onset", "offset"])
            data.source = try d.string("source") ?? "digits"
            data.split = try d.choice("split", [("train", "train"), ("test", "test")], default: "test")
            data.sample = try d.int("sample", default: 0, in: 0...Int.max)
            if data.source == "stimulus" {
                data.stimulus = Stimulus(amplitude: try d.float("amplitude", default: 1),
                                         onset: try d.int("onset", default: 1, in: 1...Int.max),
                                         offset: try d.int("offset", default: timesteps, in: 1...Int.max))
            }
        }

        // [view]
        var view = ViewSettings()
        if let v = try top.subtable("view") {
            try v.onlyKeys(["layer", "neurons", "compare", "theme"])
            view.layer = try v.string("layer")
            if let l = view.layer, !layers.contains(where: { $0.name == l }) {
                throw SessionError.badValue(file: file, field: "view.layer", expected: "a layer name (" + layers.map(\.name).joined(separator: ", ") + ")", found: "\"\(l)\"")
            }
            view.neurons = try v.ints("neurons") ?? [0]
            guard view.neurons.count <= 4, view.neurons.allSatisfy({ $0 >= 0 }) else {
                throw SessionError.badValue(file: file, field: "view.neurons", expected: "up to 4 neuron indices >= 0", found: "\(view.neurons)")
            }
            view.compare = try v.bool("compare", default: false)
            view.theme = try v.string("theme") ?? "dark"
        }

        // [[notes]]
        let notes = try top.tables("notes").map { n -> Note in
            try n.onlyKeys(["step", "text"])
            return Note(step: try n.int("step", in: 1...Int.max), text: try n.requiredString("text", expected: "the note's text"))
        }
        return Session(path: file, name: name, seed: UInt64(seed), timesteps: timesteps, model: model, weights: weights,
                       data: data, view: view, notes: notes.sorted { $0.step < $1.step })
    }

    private static let layerKeys = ["name", "type", "outputs", "out_channels", "kernel", "stride", "padding", "epsilon",
                                    "bias", "init", "neuron", "beta", "tau_mem", "dt", "threshold", "reset", "refractory",
                                    "alpha", "tau_syn", "rho", "tau_adapt", "kappa", "tau_rc", "tau_ref", "gamma"]

    private static func parseLayer(_ f: TOMLFields, index: Int) throws -> LayerSpec {
        try f.onlyKeys(layerKeys)
        let name = try f.string("name") ?? "layer\(index + 1)"
        let kinds = ["dense", "recurrent-dense", "conv2d", "avgpool2d", "sumpool2d", "maxpool2d", "flatten", "batchnorm"]
        let type = try f.choice("type", kinds.map { ($0, $0) })
        let kind: LayerKind
        switch type {
        case "dense": kind = .dense(outputs: try f.int("outputs", in: 1...10_000_000))
        case "recurrent-dense": kind = .recurrentDense(outputs: try f.int("outputs", in: 1...10_000_000))
        case "conv2d":
            kind = .conv2d(outChannels: try f.int("out_channels", in: 1...100_000), kernel: try f.int("kernel", in: 1...1000),
                           stride: try f.int("stride", default: 1, in: 1...1000), padding: try f.int("padding", default: 0, in: 0...1000))
        case "avgpool2d": kind = .avgPool2d(kernel: try f.int("kernel", in: 1...1000))
        case "sumpool2d": kind = .sumPool2d(kernel: try f.int("kernel", in: 1...1000))
        case "maxpool2d": kind = .maxPool2d(kernel: try f.int("kernel", in: 1...1000))
        case "batchnorm": kind = .batchNorm(epsilon: try f.float("epsilon", default: 1e-5, { $0 > 0 }, expected: "a positive number"))
        default: kind = .flatten
        }
        let bias = try f.bool("bias", default: true)
        var initialisation = WeightInit.kaimingUniform
        if let value = f.table["init"] {
            initialisation = value.type == .string
                ? try f.choice("init", [("kaiming", WeightInit.kaimingUniform), ("identity", .identity)])
                : .constant(try f.float("init", expected: "\"kaiming\", \"identity\" or a number"))
        }
        var neuron: NeuronModel?
        if f.has("neuron") {
            neuron = try parseNeuron(f)
        }
        return LayerSpec(name: name, kind: kind, neuron: neuron, bias: bias, initialisation: initialisation)
    }

    private static func parseNeuron(_ f: TOMLFields) throws -> NeuronModel {
        let model = try f.choice("neuron", [("if", "if"), ("lif", "lif"), ("cuba-lif", "cuba-lif"),
                                            ("adaptive-lif", "adaptive-lif"), ("soft-lif", "soft-lif")])
        let unit = { (x: Float) in x > 0 && x <= 1 }
        let unitText = "a number in (0, 1]"
        func decay(_ direct: String, _ tau: String, default d: Float) throws -> Float {
            if f.has(direct) { return try f.float(direct, unit, expected: unitText) }
            if f.has(tau) {
                let t = try f.float(tau, { $0 > 0 }, expected: "a positive number")
                let dt = try f.float("dt", default: 1, { $0 > 0 }, expected: "a positive number")
                return LIFParameters.beta(tau: Double(t), dt: Double(dt))
            }
            return d
        }
        let threshold = try f.float("threshold", default: 1, { $0 > 0 }, expected: "a positive number")
        let reset = try f.choice("reset", ResetMode.allCases.map { ($0.rawValue, $0) }, default: .subtract)
        switch model {
        case "if":
            return .integrateAndFire(IFParameters(threshold: threshold, reset: reset))
        case "lif":
            return .lif(LIFParameters(beta: try decay("beta", "tau_mem", default: 0.9), threshold: threshold, reset: reset,
                                      refractorySteps: try f.int("refractory", default: 0, in: 0...100_000)))
        case "cuba-lif":
            return .cubaLIF(CubaLIFParameters(alpha: try decay("alpha", "tau_syn", default: 0.8),
                                              beta: try decay("beta", "tau_mem", default: 0.9), threshold: threshold, reset: reset))
        case "adaptive-lif":
            return .adaptiveLIF(AdaptiveLIFParameters(
                beta: try decay("beta", "tau_mem", default: 0.9), threshold: threshold,
                reset: try f.choice("reset", ResetMode.allCases.map { ($0.rawValue, $0) }, default: .zero),
                rho: try decay("rho", "tau_adapt", default: 0.98),
                kappa: try f.float("kappa", default: 0.2, { $0 >= 0 }, expected: "a number >= 0")))
        default:
            return .softLIF(SoftLIFParameters(
                tauRC: try f.float("tau_rc", default: 0.02, { $0 > 0 }, expected: "a positive number (seconds)"),
                tauRef: try f.float("tau_ref", default: 0.002, { $0 >= 0 }, expected: "a number >= 0 (seconds)"),
                gamma: try f.float("gamma", default: 0.02, { $0 > 0 }, expected: "a positive number"),
                dt: try f.float("dt", default: 0.001, { $0 > 0 }, expected: "a positive number (seconds)")))
        }
    }
}
