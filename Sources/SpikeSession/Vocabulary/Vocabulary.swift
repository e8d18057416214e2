// The model vocabulary: how each layer kind and neuron model is spelled in session files, its
// fields, their defaults, and how `info` shows them. One entry per kind (Layers.swift) and per
// model (Neurons.swift); the session reader, the session writer and `info` all go through them.
import SpikeCore

/// One field of an entry as written: TOML key, the symbol `info` shows, and the value.
public struct VocabularyField: Equatable, Sendable {
    /// Key in session files, e.g. "beta".
    public let key: String
    /// Short symbol for one-line summaries, e.g. "β".
    public let symbol: String
    /// The value as TOML text (strings quoted).
    public let toml: String
    /// The value as shown to a person.
    public let shown: String

    /// A number field.
    static func number(_ key: String, _ symbol: String, _ value: Float) -> VocabularyField {
        VocabularyField(key: key, symbol: symbol, toml: "\(value)", shown: "\(value)")
    }
    /// An integer field.
    static func integer(_ key: String, _ symbol: String, _ value: Int) -> VocabularyField {
        VocabularyField(key: key, symbol: symbol, toml: "\(value)", shown: "\(value)")
    }
    /// A word field (a choice), quoted in TOML.
    static func word(_ key: String, _ symbol: String, _ value: String) -> VocabularyField {
        VocabularyField(key: key, symbol: symbol, toml: Session.quoted(value), shown: value)
    }
}

extension TOMLFields {
    /// A per-step decay in (0, 1]: given directly as `direct`, or as a time constant `tau` with
    /// the step `dt` (default 1, same unit): exp(−dt/τ).
    func decay(_ direct: String, _ tau: String, default d: Float) throws -> Float {
        if has(direct) { return try float(direct, { $0 > 0 && $0 <= 1 }, expected: "a number in (0, 1]") }
        if has(tau) {
            let t = try float(tau, { $0 > 0 }, expected: "a positive number")
            let dt = try float("dt", default: 1, { $0 > 0 }, expected: "a positive number")
            return LIFParameters.beta(tau: Double(t), dt: Double(dt))
        }
        return d
    }

    /// A firing threshold θ > 0 (default 1).
    func threshold() throws -> Float { try float("threshold", default: 1, { $0 > 0 }, expected: "a positive number") }

    /// A reset mode by name.
    func reset(default d: ResetMode) throws -> ResetMode {
        try choice("reset", ResetMode.allCases.map { ($0.rawValue, $0) }, default: d)
    }
}
