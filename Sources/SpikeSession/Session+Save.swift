import Foundation
import SpikeCore

extension Session {
    /// Saves the session to `path` atomically (temporary file, then rename). When the session
    /// came from a file, that file's text is kept (comments, order, layout) and only the values
    /// the workbench owns are replaced: timesteps, data source/split/sample, weights, view.
    public func save(to path: String) throws {
        let source: String
        if let file = self.path, let data = FileManager.default.contents(atPath: file),
           let text = String(data: data, encoding: .utf8) {
            source = text
        } else {
            source = tomlText()
        }
        let text = editedText(from: source, savingAt: path)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SessionError.unwritable(file: path, reason: error.localizedDescription)
        }
    }

    /// `source` (a session file's text) with the values the workbench owns replaced by this
    /// session's, everything else kept; `path` is where it will be saved (for the weights path).
    public func editedText(from source: String, savingAt path: String = "") -> String {
        var editor = TOMLEditor(source)
        editor.set(table: nil, key: "timesteps", value: "\(timesteps)")
        editor.set(table: "data", key: "source", value: Self.quoted(data.source.name))
        editor.set(table: "data", key: "split", value: Self.quoted(data.split.rawValue))
        editor.set(table: "data", key: "sample", value: "\(data.sample)")
        if !path.isEmpty, let weights = weightsPath(relativeTo: path) {
            editor.set(table: "model", key: "weights", value: Self.quoted(weights))
        }
        if let layer = view.layer { editor.set(table: "view", key: "layer", value: Self.quoted(layer)) }
        editor.set(table: "view", key: "neurons", value: "[" + view.neurons.map(String.init).joined(separator: ", ") + "]")
        editor.set(table: "view", key: "compare", value: view.compare ? "true" : "false")
        editor.set(table: "view", key: "theme", value: Self.quoted(view.theme))
        editor.set(table: "hardware", key: "target", value: Self.quoted(hardware.target))
        editor.set(table: "hardware", key: "placement", value: Self.quoted(hardware.placement.rawValue))
        return editor.text
    }

    /// The weights path as it should be written in a session saved at `target`: the bare file
    /// name when the weights sit beside the target, the path as written when the target is in
    /// the session's own folder, else the absolute path.
    func weightsPath(relativeTo target: String) -> String? {
        guard let resolved = resolvedWeightsPath else { return nil }
        let dir = { (p: String) in URL(fileURLWithPath: p).deletingLastPathComponent().standardizedFileURL.path }
        let absolute = URL(fileURLWithPath: resolved).standardizedFileURL
        if absolute.deletingLastPathComponent().path == dir(target) { return absolute.lastPathComponent }
        if let weights, !weights.hasPrefix("/"), let path, dir(path) == dir(target) { return weights }
        return absolute.path
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The whole session as TOML text (for sessions built in code, e.g. a trainer's checkpoint).
    public func tomlText() -> String {
        var out = "# spikescope session\nname = \(Self.quoted(name))\nseed = \(seed)\ntimesteps = \(timesteps)\n\n[input]\n"
        let s = model.inputShape
        out += "shape = " + (s.isFlat ? "[\(s.count)]" : "[\(s.channels), \(s.height), \(s.width)]") + "\n"
        out += "encoder = \(Self.quoted(model.encoder.name))\n"
        switch model.encoder {
        case .rate(let gain): out += "gain = \(gain)\n"
        case .latency(let threshold): out += "threshold = \(threshold)\n"
        default: break
        }
        out += "\n[data]\nsource = \(Self.quoted(data.source.name))\nsplit = \(Self.quoted(data.split.rawValue))\nsample = \(data.sample)\n"
        if data.source == .stimulus {
            out += "amplitude = \(data.stimulus.amplitude)\nonset = \(data.stimulus.onset)\noffset = \(data.stimulus.offset)\n"
            if data.stimulus.every > 1 { out += "every = \(data.stimulus.every)\n" }
        }
        if let events = data.events { out += "\n[events]\n" + EventsVocabulary.write(events) }
        if let weights { out += "\n[model]\nweights = \(Self.quoted(weights))\n" }
        for layer in model.layers { out += "\n[[layers]]\n" + LayerVocabulary.write(layer) }
        if let plasticity { out += "\n[plasticity]\n" + PlasticityVocabulary.write(plasticity) }
        out += "\n[view]\n"
        if let layer = view.layer { out += "layer = \(Self.quoted(layer))\n" }
        out += "neurons = [" + view.neurons.map(String.init).joined(separator: ", ") + "]\ncompare = \(view.compare)\ntheme = \(Self.quoted(view.theme))\n"
        out += "\n[hardware]\ntarget = \(Self.quoted(hardware.target))\nplacement = \(Self.quoted(hardware.placement.rawValue))\n"
        for note in notes { out += "\n[[notes]]\nstep = \(note.step)\ntext = \(Self.quoted(note.text))\n" }
        return out
    }
}
