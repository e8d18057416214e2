// The vocabulary entry of each layer kind: its `type` in session files, the keys it takes, how
// they are read and written. Shapes and the transform itself: SpikeCore/Model.swift, Kernels.swift.
import SpikeCore

/// A layer kind as session files spell it.
public struct LayerEntry: Sendable {
    /// The value of `type = "..."`.
    public let name: String
    /// The keys this kind reads from a layer table.
    public let keys: [String]
    let read: @Sendable (TOMLFields) throws -> LayerKind
    let fields: @Sendable (LayerKind) -> [VocabularyField]?
}

/// Every layer kind.
public enum LayerVocabulary {
    /// Keys every layer table may have besides its kind's and its neuron's.
    public static let commonKeys = ["name", "type", "bias", "init", "init_max", "neuron"]

    private static let size = 1...10_000_000, small = 1...1000

    private static func pool(_ name: String, _ make: @escaping @Sendable (Int) -> LayerKind,
                             _ match: @escaping @Sendable (LayerKind) -> Int?) -> LayerEntry {
        LayerEntry(name: name, keys: ["kernel"], read: { f in make(try f.int("kernel", in: small)) },
                   fields: { kind in match(kind).map { [.integer("kernel", "k", $0)] } })
    }

    /// A convolution's entry (conv2d, conv1d): out_channels, kernel, stride = 1, padding = 0.
    private static func conv(_ name: String, _ make: @escaping @Sendable (Int, Int, Int, Int) -> LayerKind,
                             _ match: @escaping @Sendable (LayerKind) -> (Int, Int, Int, Int)?) -> LayerEntry {
        LayerEntry(name: name, keys: ["out_channels", "kernel", "stride", "padding"],
                   read: { f in
                       make(try f.int("out_channels", in: 1...100_000), try f.int("kernel", in: small),
                            try f.int("stride", default: 1, in: small), try f.int("padding", default: 0, in: 0...1000))
                   },
                   fields: { kind in
                       match(kind).map { o, k, s, p in
                           [.integer("out_channels", "out", o), .integer("kernel", "k", k), .integer("stride", "stride", s),
                            .integer("padding", "pad", p)]
                       }
                   })
    }

    /// The entries.
    public static let entries: [LayerEntry] = [
        LayerEntry(name: "dense", keys: ["outputs"], read: { f in .dense(outputs: try f.int("outputs", in: size)) },
                   fields: { k in if case .dense(let o) = k { [.integer("outputs", "out", o)] } else { nil } }),
        LayerEntry(name: "recurrent-dense", keys: ["outputs"],
                   read: { f in .recurrentDense(outputs: try f.int("outputs", in: size)) },
                   fields: { k in if case .recurrentDense(let o) = k { [.integer("outputs", "out", o)] } else { nil } }),
        conv("conv2d", { .conv2d(outChannels: $0, kernel: $1, stride: $2, padding: $3) },
             { if case let .conv2d(o, k, s, p) = $0 { (o, k, s, p) } else { nil } }),
        conv("conv1d", { .conv1d(outChannels: $0, kernel: $1, stride: $2, padding: $3) },
             { if case let .conv1d(o, k, s, p) = $0 { (o, k, s, p) } else { nil } }),
        pool("avgpool2d", { .avgPool2d(kernel: $0) }, { if case .avgPool2d(let k) = $0 { k } else { nil } }),
        pool("sumpool2d", { .sumPool2d(kernel: $0) }, { if case .sumPool2d(let k) = $0 { k } else { nil } }),
        pool("maxpool2d", { .maxPool2d(kernel: $0) }, { if case .maxPool2d(let k) = $0 { k } else { nil } }),
        LayerEntry(name: "flatten", keys: [], read: { _ in .flatten },
                   fields: { k in if case .flatten = k { [] } else { nil } }),
        LayerEntry(name: "delay", keys: ["steps"], read: { f in .delay(steps: try f.int("steps", in: 0...10_000)) },
                   fields: { k in if case .delay(let d) = k { [.integer("steps", "d", d)] } else { nil } }),
        LayerEntry(name: "batchnorm", keys: ["epsilon"],
                   read: { f in .batchNorm(epsilon: try f.float("epsilon", default: 1e-5, { $0 > 0 }, expected: "a positive number")) },
                   fields: { k in if case .batchNorm(let e) = k { [.number("epsilon", "ε", e)] } else { nil } }),
    ]

    /// The entry of `kind`.
    public static func entry(of kind: LayerKind) -> LayerEntry {
        guard let e = entries.first(where: { $0.name == kind.name }) else {
            preconditionFailure("layer kind '\(kind.name)' has no vocabulary entry")
        }
        return e
    }

    /// The fields of `kind` as written in a session file.
    public static func fields(of kind: LayerKind) -> [VocabularyField] { entry(of: kind).fields(kind) ?? [] }

    /// Reads one [[layers]] table (index from 0), checking that it has only the keys of its
    /// kind and neuron model.
    static func read(_ f: TOMLFields, index: Int) throws -> LayerSpec {
        let entry = try f.choice("type", entries.map { ($0.name, $0) })
        let neuronEntry: NeuronEntry? = f.has("neuron")
            ? try f.choice("neuron", NeuronVocabulary.entries.map { ($0.name, $0) }) : nil
        var allowed = commonKeys + entry.keys + (entry.name == "recurrent-dense" ? ["lateral_inhibition"] : [])
        for key in neuronEntry?.keys ?? [] where !allowed.contains(key) { allowed.append(key) }
        try f.onlyKeys(allowed)
        let name = try f.string("name") ?? "layer\(index + 1)"
        let kind = try entry.read(f)
        // bias: true / false, or a number: a bias starting at that value (with a constant or identity init)
        var bias = true, biasValue: Float = 0
        if let v = f.table["bias"], v.bool == nil {
            biasValue = try f.float("bias", expected: "true, false or a number (the starting bias, with init a number or \"identity\")")
        } else {
            bias = try f.bool("bias", default: true)
        }
        var initialisation = WeightInit.kaimingUniform
        if let value = f.table["init"] {
            initialisation = value.type == .string
                ? try f.choice("init", [("kaiming", WeightInit.kaimingUniform), ("identity", .identity), ("uniform", .uniform(max: 1))])
                : .constant(try f.float("init", expected: "\"kaiming\", \"identity\", \"uniform\" or a number"))
        }
        if case .uniform = initialisation {
            initialisation = .uniform(max: try f.float("init_max", default: 1, { $0 > 0 && $0.isFinite }, expected: "a number above 0 (weights start in [0, init_max))"))
        } else if f.has("init_max") {
            throw SessionError.badValue(file: f.file, field: f.prefix + "init_max", expected: "no init_max without init = \"uniform\"", found: "a value")
        }
        if biasValue != 0 && initialisation == .kaimingUniform {
            throw SessionError.badValue(file: f.file, field: f.prefix + "bias", expected: "true or false with init = \"kaiming\" (a starting bias needs init a number or \"identity\")",
                                        found: "\(biasValue)")
        }
        let neuron = try neuronEntry.map { try $0.read(f) }
        let lateral = try f.float("lateral_inhibition", default: 0, { $0 >= 0 }, expected: "a number >= 0 (inhibition from each neuron onto every other)")
        return LayerSpec(name: name, kind: kind, neuron: neuron, bias: bias, initialisation: initialisation, biasValue: biasValue,
                         lateralInhibition: lateral)
    }

    /// One layer as the body of a [[layers]] table.
    static func write(_ layer: LayerSpec) -> String {
        var out = "name = \(Session.quoted(layer.name))\ntype = \(Session.quoted(layer.kind.name))\n"
        for field in fields(of: layer.kind) { out += "\(field.key) = \(field.toml)\n" }
        if !layer.bias && layer.kind.hasWeights { out += "bias = false\n" } else if layer.biasValue != 0 { out += "bias = \(layer.biasValue)\n" }
        if layer.lateralInhibition > 0 { out += "lateral_inhibition = \(layer.lateralInhibition)\n" }
        switch layer.initialisation {
        case .kaimingUniform: break
        case .identity: out += "init = \"identity\"\n"
        case .constant(let v): out += "init = \(v)\n"
        case .uniform(let m): out += "init = \"uniform\"\ninit_max = \(m)\n"
        }
        guard let neuron = layer.neuron else { return out }
        out += "neuron = \(Session.quoted(neuron.name))\n"
        for field in NeuronVocabulary.fields(of: neuron) { out += "\(field.key) = \(field.toml)\n" }
        return out
    }
}
