import Foundation
import SpikeCore
import SpikeHardware
import SpikeData
import TOMLKit

extension Session {
    /// Reads and validates a session file.
    public static func load(path: String) throws -> Session {
        try parse(try TOMLFields.text(path: path), file: path)
    }

    /// Parses session text; `file` names it in errors and anchors the relative weights path.
    public static func parse(_ text: String, file: String) throws -> Session {
        let top = try TOMLFields.root(text, file: file)
        try top.onlyKeys(["name", "seed", "timesteps", "input", "data", "events", "model", "layers", "view", "hardware", "notes", "plasticity"])
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
        let layers = try layerTables.enumerated().map { try LayerVocabulary.read($0.element, index: $0.offset) }
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
            try d.onlyKeys(["source", "split", "sample", "amplitude", "onset", "offset", "every"])
            data.source = InputSource(name: try d.string("source") ?? "digits")
            data.split = try d.choice("split", Split.allCases.map { ($0.rawValue, $0) }, default: .test)
            data.sample = try d.int("sample", default: 0, in: 0...Int.max)
            if data.source == .stimulus {
                data.stimulus = Stimulus(amplitude: try d.float("amplitude", default: 1),
                                         onset: try d.int("onset", default: 1, in: 1...Int.max),
                                         offset: try d.int("offset", default: timesteps, in: 1...Int.max),
                                         every: try d.int("every", default: 1, in: 1...1_000_000))
            }
        }

        // [events]
        if let e = try top.subtable("events") {
            data.events = try EventsVocabulary.read(e, seed: UInt64(seed))
            guard encoder == .frames else {
                throw SessionError.badValue(file: file, field: "input.encoder", expected: "\"frames\" with an [events] table (step t sees frame t)",
                                            found: "\"\(encoder.name)\"")
            }
            guard data.source != .stimulus else {
                throw SessionError.badValue(file: file, field: "data.source", expected: "a dataset with an [events] table", found: "\"stimulus\"")
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

        // [hardware]
        var hardware = HardwareSettings()
        if let h = try top.subtable("hardware") {
            try h.onlyKeys(["target", "placement"])
            hardware.target = try h.string("target") ?? "loihi"
            hardware.placement = try h.choice("placement", PlacementKind.allCases.map { ($0.rawValue, $0) }, default: .sequential)
        }

        // [[notes]]
        let notes = try top.tables("notes").map { n -> Note in
            try n.onlyKeys(["step", "text"])
            return Note(step: try n.int("step", in: 1...Int.max), text: try n.requiredString("text", expected: "the note's text"))
        }
        var session = Session(path: file, name: name, seed: UInt64(seed), timesteps: timesteps, model: model, weights: weights,
                       data: data, view: view, notes: notes.sorted { $0.step < $1.step })
        session.hardware = hardware
        if let t = try top.subtable("plasticity") {
            session.plasticity = try PlasticityVocabulary.read(t, layers: layers.map { l in
                (l.name, l.kind.denseOutputs != nil)
            })
        }
        return session
    }
}
