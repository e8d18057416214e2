// The `[plasticity]` table of session files: a local learning rule on one dense layer, run by the
// workbench after every step (SpikeLearn's LayerPlasticity through the engine's learning hook).
import SpikeCore
import SpikeLearn

/// A learning rule on one layer, as a session file names it:
///
///     [plasticity]
///     layer = "post"            # a dense or recurrent-dense layer
///     rule = "stdp"             # stdp, r-stdp or vdsp
///     dt = 0.001                # seconds per step (the rules' time constants are in seconds)
///     # stdp and r-stdp: a_plus, a_minus, tau_plus, tau_minus, w_min, w_max
///     # stdp: bound ("additive" | "multiplicative"), trace_decay ("exponential" | "euler"),
///     #       trace_mark ("additive" | "nearest"), traces_first, normalise (each neuron's incoming
///     #       weights scaled to this sum before each sample, as Diehl & Cook)
///     # r-stdp: form ("izhikevich" | "mstdp" | "mstdpet"), tau_c, tau_d, tau_z, gamma,
///     #         reward (amount), reward_at (steps of each presentation at which it is given)
///     # vdsp: lr
///     # stp (short-term plasticity of each input's synapse, Tsodyks-Markram): synapse
///     #       ("depressing" | "facilitating": TPM 1998 Fig. 1), or tau_in, tau_rec, utilisation, tau_facil
public struct PlasticitySettings: Equatable, Sendable {
    /// The rule and its parameters.
    public enum Rule: Equatable, Sendable {
        case stdp(PairSTDP.Parameters)
        case rewardSTDP(RewardSTDP.Parameters)
        case vdsp(lr: Float)
        case shortTerm(ShortTermPlasticity.Parameters)
    }
    /// The layer's name.
    public var layer: String
    public var rule: Rule
    /// Seconds per step.
    public var dt: Float = 0.001
    /// Reward given at these steps (1-based) of each presentation (r-stdp).
    public var rewardAt: [Int] = []
    public var reward: Float = 1
    /// stdp: each neuron's incoming weights scaled to sum to this before each sample (nil: never).
    public var normalise: Float?
    public init(layer: String, rule: Rule) { self.layer = layer; self.rule = rule }

    /// The rule word as written.
    public var ruleName: String {
        switch rule { case .stdp: "stdp"; case .rewardSTDP: "r-stdp"; case .vdsp: "vdsp"; case .shortTerm: "stp" }
    }
}

enum PlasticityVocabulary {
    static let pairKeys: [(String, WritableKeyPath<PairSTDP.Parameters, Float>)] = [
        ("a_plus", \.aPlus), ("a_minus", \.aMinus), ("tau_plus", \.tauPlus), ("tau_minus", \.tauMinus), ("w_min", \.wMin), ("w_max", \.wMax),
    ]
    static let rewardKeys: [(String, WritableKeyPath<RewardSTDP.Parameters, Float>)] = [
        ("a_plus", \.aPlus), ("a_minus", \.aMinus), ("tau_plus", \.tauPlus), ("tau_minus", \.tauMinus), ("w_min", \.wMin), ("w_max", \.wMax),
        ("tau_c", \.tauC), ("tau_d", \.tauD), ("tau_z", \.tauZ), ("gamma", \.gamma),
    ]

    /// Reads a `[plasticity]` table; `layers` are the model's (the layer must be a dense one).
    static func read(_ f: TOMLFields, layers: [(name: String, dense: Bool)]) throws -> PlasticitySettings {
        let rule = try f.choice("rule", [("stdp", "stdp"), ("r-stdp", "r-stdp"), ("vdsp", "vdsp"), ("stp", "stp")])
        let common = ["layer", "rule", "dt"]
        let layer = try f.requiredString("layer", expected: "the name of a dense or recurrent-dense layer")
        guard let hit = layers.first(where: { $0.name == layer }), hit.dense else {
            let dense = layers.filter(\.dense).map(\.name)
            throw SessionError.badValue(file: f.file, field: f.prefix + "layer",
                                        expected: dense.isEmpty ? "a dense or recurrent-dense layer (the model has none)"
                                            : "a dense or recurrent-dense layer (" + dense.joined(separator: ", ") + ")",
                                        found: "\"\(layer)\"")
        }
        let positive: (Float) -> Bool = { $0 > 0 && $0.isFinite }
        func times(_ keys: [String]) throws {
            for k in keys where k.hasPrefix("tau") && f.has(k) { _ = try f.float(k, positive, expected: "a time constant in seconds, above 0") }
        }
        var s: PlasticitySettings
        switch rule {
        case "stdp":
            try f.onlyKeys(common + pairKeys.map(\.0) + ["bound", "trace_decay", "trace_mark", "traces_first", "normalise"])
            try times(pairKeys.map(\.0))
            var p = PairSTDP.Parameters()
            for (k, path) in pairKeys where f.has(k) { p[keyPath: path] = try f.float(k) }
            p.bound = try f.choice("bound", PairSTDP.Parameters.Bound.allCases.map { ($0.rawValue, $0) }, default: .additive)
            p.trace = TraceKind(decay: try f.choice("trace_decay", TraceKind.Decay.allCases.map { ($0.rawValue, $0) }, default: .exponential),
                                mark: try f.choice("trace_mark", TraceKind.Mark.allCases.map { ($0.rawValue, $0) }, default: .additive))
            p.tracesFirst = try f.bool("traces_first", default: true)
            guard p.wMin < p.wMax else {
                throw SessionError.badValue(file: f.file, field: f.prefix + "w_max", expected: "above w_min (\(p.wMin))", found: "\(p.wMax)")
            }
            s = PlasticitySettings(layer: layer, rule: .stdp(p))
            if f.has("normalise") { s.normalise = try f.float("normalise", positive, expected: "a sum above 0 (each neuron's incoming weights, before each sample)") }
        case "r-stdp":
            try f.onlyKeys(common + rewardKeys.map(\.0) + ["form", "reward", "reward_at"])
            try times(rewardKeys.map(\.0))
            var p = RewardSTDP.Parameters()
            for (k, path) in rewardKeys where f.has(k) { p[keyPath: path] = try f.float(k) }
            p.form = try f.choice("form", RewardSTDP.Form.allCases.map { ($0.rawValue, $0) }, default: .izhikevich)
            guard p.wMin < p.wMax else {
                throw SessionError.badValue(file: f.file, field: f.prefix + "w_max", expected: "above w_min (\(p.wMin))", found: "\(p.wMax)")
            }
            s = PlasticitySettings(layer: layer, rule: .rewardSTDP(p))
            s.reward = try f.float("reward", default: 1)
            s.rewardAt = try f.ints("reward_at") ?? []
            guard s.rewardAt.allSatisfy({ $0 >= 1 }) else {
                throw SessionError.badValue(file: f.file, field: f.prefix + "reward_at", expected: "steps from 1 on", found: "\(s.rewardAt)")
            }
        case "stp":
            try f.onlyKeys(common + ["synapse", "tau_in", "tau_rec", "utilisation", "tau_facil"])
            var p = try f.choice("synapse", [("depressing", ShortTermPlasticity.Parameters.depressing),
                                             ("facilitating", ShortTermPlasticity.Parameters.facilitating)], default: .depressing)
            if f.has("tau_in") { p.tauIn = try f.float("tau_in", positive, expected: "a time constant in seconds, above 0") }
            if f.has("tau_rec") { p.tauRec = try f.float("tau_rec", positive, expected: "a time constant in seconds, above 0") }
            if f.has("tau_facil") { p.tauFacil = try f.float("tau_facil", positive, expected: "a time constant in seconds, above 0") }
            if f.has("utilisation") { p.utilisation = try f.float("utilisation", { $0 > 0 && $0 <= 1 }, expected: "a fraction in (0, 1]") }
            s = PlasticitySettings(layer: layer, rule: .shortTerm(p))
        default:
            try f.onlyKeys(common + ["lr"])
            s = PlasticitySettings(layer: layer, rule: .vdsp(lr: try f.float("lr", default: 0.001, { $0 >= 0 && $0.isFinite }, expected: "0 or more")))
        }
        s.dt = try f.float("dt", default: 0.001, positive, expected: "seconds per step, above 0")
        return s
    }
}

extension PlasticityVocabulary {
    /// The `[plasticity]` table's lines for `s`, every value written out (`read` gives `s` back).
    static func write(_ s: PlasticitySettings) -> String {
        var out = "layer = \(Session.quoted(s.layer))\nrule = \"\(s.ruleName)\"\ndt = \(s.dt)\n"
        switch s.rule {
        case .stdp(let p):
            for (k, path) in pairKeys { out += "\(k) = \(p[keyPath: path])\n" }
            out += "bound = \"\(p.bound.rawValue)\"\ntrace_decay = \"\(p.trace.decay.rawValue)\"\ntrace_mark = \"\(p.trace.mark.rawValue)\"\n"
            out += "traces_first = \(p.tracesFirst)\n"
            if let n = s.normalise { out += "normalise = \(n)\n" }
        case .rewardSTDP(let p):
            for (k, path) in rewardKeys { out += "\(k) = \(p[keyPath: path])\n" }
            out += "form = \"\(p.form.rawValue)\"\nreward = \(s.reward)\n"
            if !s.rewardAt.isEmpty { out += "reward_at = [" + s.rewardAt.map(String.init).joined(separator: ", ") + "]\n" }
        case .vdsp(let lr):
            out += "lr = \(lr)\n"
        case .shortTerm(let p):
            out += "tau_in = \(p.tauIn)\ntau_rec = \(p.tauRec)\nutilisation = \(p.utilisation)\n"
            if let f = p.tauFacil { out += "tau_facil = \(f)\n" }
        }
        return out
    }
}

extension PlasticitySettings {
    /// The rule set to run on `simulation` (its layer looked up by name), traces at 0.
    public func rule(for simulation: Simulation) throws -> LayerPlasticity {
        let spec = simulation.network.spec
        guard let index = spec.layers.firstIndex(where: { $0.name == layer }), let outputs = spec.layers[index].kind.denseOutputs else {
            throw ModelError.badLayer(index: 0, name: layer, reason: "plasticity needs a dense or recurrent-dense layer")
        }
        let inputs = simulation.network.parameters[index].weight.count / max(outputs, 1)
        let made: LayerPlasticity.Rule
        switch rule {
        case .stdp(let p): made = .pair(PairSTDP(p, inputs: inputs, outputs: outputs))
        case .rewardSTDP(let p): made = .reward(RewardSTDP(p, inputs: inputs, outputs: outputs))
        case .vdsp(let lr): made = .vdsp(VDSP(lr: lr))
        case .shortTerm(let p): made = .shortTerm(ShortTermPlasticity(p, count: inputs))
        }
        let plasticity = try LayerPlasticity(simulation: simulation, layer: index, rule: made, dt: dt)
        for t in rewardAt { plasticity.schedule[t, default: 0] += reward }
        if let normalise {
            plasticity.normaliseTo = normalise
            plasticity.restart(simulation)
        }
        return plasticity
    }
}
