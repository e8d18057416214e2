// The vocabulary entry of each neuron model: its name in session files, the keys it takes,
// how they are read (with defaults and checks) and written. Equations: SpikeCore/Neurons.
import SpikeCore

/// A neuron model as session files spell it.
public struct NeuronEntry: Sendable {
    /// The value of `neuron = "..."`.
    public let name: String
    /// The name `info` shows, e.g. "LIF".
    public let title: String
    /// The keys this model reads from a layer table.
    public let keys: [String]
    let read: @Sendable (TOMLFields) throws -> NeuronModel
    let fields: @Sendable (NeuronModel) -> [VocabularyField]?
}

/// Every neuron model, in the order error messages list them.
public enum NeuronVocabulary {
    /// The entries.
    public static let entries: [NeuronEntry] = [
        NeuronEntry(name: "if", title: "IF", keys: ["threshold", "reset"],
            read: { f in .integrateAndFire(IFParameters(threshold: try f.threshold(), reset: try f.reset(default: .subtract))) },
            fields: { m in
                guard case .integrateAndFire(let p) = m else { return nil }
                return [.number("threshold", "θ", p.threshold), .word("reset", "reset", p.reset.rawValue)]
            }),
        NeuronEntry(name: "lif", title: "LIF", keys: ["beta", "tau_mem", "dt", "threshold", "reset", "refractory"],
            read: { f in
                .lif(LIFParameters(beta: try f.decay("beta", "tau_mem", default: 0.9), threshold: try f.threshold(),
                                   reset: try f.reset(default: .subtract),
                                   refractorySteps: try f.int("refractory", default: 0, in: 0...100_000)))
            },
            fields: { m in
                guard case .lif(let p) = m else { return nil }
                return [.number("beta", "β", p.beta), .number("threshold", "θ", p.threshold), .word("reset", "reset", p.reset.rawValue)]
                    + (p.refractorySteps > 0 ? [.integer("refractory", "refr", p.refractorySteps)] : [])
            }),
        NeuronEntry(name: "cuba-lif", title: "CubaLIF", keys: ["alpha", "tau_syn", "beta", "tau_mem", "dt", "threshold", "reset"],
            read: { f in
                .cubaLIF(CubaLIFParameters(alpha: try f.decay("alpha", "tau_syn", default: 0.8),
                                           beta: try f.decay("beta", "tau_mem", default: 0.9),
                                           threshold: try f.threshold(), reset: try f.reset(default: .subtract)))
            },
            fields: { m in
                guard case .cubaLIF(let p) = m else { return nil }
                return [.number("alpha", "α", p.alpha), .number("beta", "β", p.beta), .number("threshold", "θ", p.threshold),
                        .word("reset", "reset", p.reset.rawValue)]
            }),
        NeuronEntry(name: "adaptive-lif", title: "AdLIF",
                    keys: ["beta", "tau_mem", "dt", "threshold", "reset", "rho", "tau_adapt", "kappa"],
            read: { f in
                .adaptiveLIF(AdaptiveLIFParameters(
                    beta: try f.decay("beta", "tau_mem", default: 0.9), threshold: try f.threshold(),
                    reset: try f.reset(default: .zero), rho: try f.decay("rho", "tau_adapt", default: 0.98),
                    kappa: try f.float("kappa", default: 0.2, { $0 >= 0 }, expected: "a number >= 0")))
            },
            fields: { m in
                guard case .adaptiveLIF(let p) = m else { return nil }
                return [.number("beta", "β", p.beta), .number("threshold", "θ", p.threshold), .word("reset", "reset", p.reset.rawValue),
                        .number("rho", "ρ", p.rho), .number("kappa", "κ", p.kappa)]
            }),
        NeuronEntry(name: "adaptive-threshold-lif", title: "AdThLIF",
                    keys: ["beta", "tau_mem", "dt", "threshold", "reset", "rho", "tau_theta", "theta_plus"],
            read: { f in
                .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters(
                    beta: try f.decay("beta", "tau_mem", default: 0.9), threshold: try f.threshold(),
                    reset: try f.reset(default: .zero), rho: try f.decay("rho", "tau_theta", default: 0.999),
                    plus: try f.float("theta_plus", default: 0.05, { $0 >= 0 }, expected: "a number >= 0")))
            },
            fields: { m in
                guard case .adaptiveThresholdLIF(let p) = m else { return nil }
                return [.number("beta", "β", p.beta), .number("threshold", "θ", p.threshold), .word("reset", "reset", p.reset.rawValue),
                        .number("rho", "ρ", p.rho), .number("theta_plus", "θ+", p.plus)]
            }),
        NeuronEntry(name: "soft-lif", title: "softLIF", keys: ["tau_rc", "tau_ref", "gamma", "dt", "amplitude"],
            read: { f in
                let dt = try f.float("dt", default: 0.001, { $0 > 0 }, expected: "a positive number (seconds)")
                return .softLIF(SoftLIFParameters(
                    tauRC: try f.float("tau_rc", default: 0.02, { $0 > 0 }, expected: "a positive number (seconds)"),
                    tauRef: try f.float("tau_ref", default: 0.002, { $0 >= 0 }, expected: "a number >= 0 (seconds)"),
                    gamma: try f.float("gamma", default: 0.02, { $0 > 0 }, expected: "a positive number"),
                    dt: dt, amplitude: try f.float("amplitude", default: dt, { $0 > 0 }, expected: "a positive number (seconds)")))
            },
            fields: { m in
                guard case .softLIF(let p) = m else { return nil }
                return [.number("tau_rc", "τrc", p.tauRC), .number("tau_ref", "τref", p.tauRef),
                        .number("gamma", "γ", p.gamma), .number("dt", "dt", p.dt)]
                    + (p.amplitude != p.dt ? [.number("amplitude", "A", p.amplitude)] : [])
            }),
        NeuronEntry(name: "lif-rc", title: "LIF (rc)", keys: ["tau_rc", "tau_ref", "tau_syn", "dt", "refractory", "amplitude"],
            read: { f in
                let dt = try f.float("dt", default: 0.001, { $0 > 0 }, expected: "a positive number (seconds)")
                return .rcLIF(RCLIFParameters(
                    tauRC: try f.float("tau_rc", default: 0.02, { $0 > 0 }, expected: "a positive number (seconds)"),
                    tauRef: try f.float("tau_ref", default: 0.002, { $0 >= 0 }, expected: "a number >= 0 (seconds)"),
                    tauSyn: try f.float("tau_syn", default: 0.005, { $0 >= 0 }, expected: "a number >= 0 (seconds)"),
                    dt: dt,
                    refractory: try f.choice("refractory", RCLIFParameters.Refractory.allCases.map { ($0.rawValue, $0) }, default: .exact),
                    amplitude: try f.float("amplitude", default: dt, { $0 > 0 }, expected: "a positive number (seconds)")))
            },
            fields: { m in
                guard case .rcLIF(let p) = m else { return nil }
                return [.number("tau_rc", "τrc", p.tauRC), .number("tau_ref", "τref", p.tauRef),
                        .number("tau_syn", "τsyn", p.tauSyn), .number("dt", "dt", p.dt),
                        .word("refractory", "refractory", p.refractory.rawValue)]
                    + (p.amplitude != p.dt ? [.number("amplitude", "A", p.amplitude)] : [])
            }),
        NeuronEntry(name: "li", title: "LI", keys: ["beta", "tau_mem", "dt"],
            read: { f in .leakyIntegrator(LIParameters(beta: try f.decay("beta", "tau_mem", default: 0.9))) },
            fields: { m in
                guard case .leakyIntegrator(let p) = m else { return nil }
                return [.number("beta", "β", p.beta)]
            }),
        NeuronEntry(name: "cuba-li", title: "CubaLI", keys: ["alpha", "tau_syn", "beta", "tau_mem", "dt"],
            read: { f in
                .cubaLI(CubaLIParameters(alpha: try f.decay("alpha", "tau_syn", default: 0.8), beta: try f.decay("beta", "tau_mem", default: 0.9)))
            },
            fields: { m in
                guard case .cubaLI(let p) = m else { return nil }
                return [.number("alpha", "α", p.alpha), .number("beta", "β", p.beta)]
            }),
        NeuronEntry(name: "integrator", title: "I", keys: [],
            read: { _ in .integrator(IntegratorParameters()) },
            fields: { m in
                guard case .integrator = m else { return nil }
                return []
            }),
    ]

    /// The entry of `model`.
    public static func entry(of model: NeuronModel) -> NeuronEntry {
        guard let e = entries.first(where: { $0.name == model.name }) else {
            preconditionFailure("neuron model '\(model.name)' has no vocabulary entry")
        }
        return e
    }

    /// The fields of `model` as written in a session file.
    public static func fields(of model: NeuronModel) -> [VocabularyField] { entry(of: model).fields(model) ?? [] }

    /// The model and its parameters in one line, e.g. "LIF β=0.9 θ=1.0 reset=zero".
    public static func describe(_ model: NeuronModel) -> String {
        ([entry(of: model).title] + fields(of: model).map { "\($0.symbol)=\($0.shown)" }).joined(separator: " ")
    }

    /// Reads the neuron of a layer table that has a `neuron` key.
    static func read(_ f: TOMLFields) throws -> NeuronModel {
        let entry = try f.choice("neuron", entries.map { ($0.name, $0) })
        return try entry.read(f)
    }
}
