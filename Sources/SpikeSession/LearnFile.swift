// Learning files: the `[learn]` table `spikescope learn --session FILE` reads (unsupervised
// learning without labels), with the network's and the rule's parameters by name.
import Foundation
import SpikeLearn
import TOMLKit

/// What `spikescope learn` runs: the data, the network and its parameters, the protocol.
///
///     [learn]
///     network = "diehl-cook"     # the network of Diehl & Cook 2015, or "vdsp" (Garg et al. 2022)
///     data = "digits"            # digits, fashion-mnist or an IDX folder
///     side = 28                  # images resized to side x side (0: as they are)
///     neurons = 100
///     epochs = 1
///     seed = 0
///     train_limit = 1000         # optional: the first N training samples only
///     test_limit = 1000          # optional: the first N test samples only
///     assign_limit = 10000       # optional: assign classes from the first N training samples only
///     holdout = 300              # optional: test on the training split's last N samples, learn on the rest
///     [network]                  # any DiehlCookNetwork.Parameters (or VDSPNetwork.Parameters) field by its snake_case name
///     theta_plus = 0.05
///     test_match = "cosine"      # how samples are matched with learning off: "learned" (default) or "cosine" (TestMatch)
///     [rule]                     # any DiehlCook.Parameters field by its snake_case name
///     nu_post = 0.01
public struct LearnSettings: Equatable, Sendable {
    /// Which network learns.
    public enum Network: String, Equatable, Sendable, CaseIterable { case diehlCook = "diehl-cook", vdsp }
    public var network: Network = .diehlCook
    public var data = "digits"
    /// Side images are resized to before learning (0: as they are). Default 28 for images smaller
    /// than 28x28, so the published parameters (made for MNIST) apply.
    public var side: Int?
    public var epochs = 1
    public var seed: UInt64 = 0
    public var trainLimit: Int?, testLimit: Int?
    /// Assign classes from the first N training samples only (nil: all of them).
    public var assignLimit: Int?
    /// Test on the training split's last N samples and learn on the others (nil: the test split).
    /// For choosing parameters without looking at the test split.
    public var holdout: Int?
    /// The Diehl & Cook network's parameters (neurons among them) and its rule's.
    public var parameters = DiehlCookNetwork.Parameters()
    /// The VDSP network's parameters.
    public var vdsp = VDSPNetwork.Parameters()
    /// Output neurons of the network chosen.
    public var neurons: Int {
        get { network == .vdsp ? vdsp.neurons : parameters.neurons }
        set { parameters.neurons = newValue; vdsp.neurons = newValue }
    }
    /// How the network chosen is matched at test.
    public var testMatch: TestMatch { network == .vdsp ? vdsp.testMatch : parameters.testMatch }
    /// The file read (nil: built in code).
    public var path: String?
    public init() {}

    /// The network parameters a `[network]` table can set, by key (every Float field).
    public static let networkKeys: [(String, WritableKeyPath<DiehlCookNetwork.Parameters, Float>)] = [
        ("dt", \.dt), ("present_ms", \.presentMs), ("rest_ms", \.restMs),
        ("tau_e", \.tauE), ("tau_i", \.tauI), ("tau_ge", \.tauGe), ("tau_gi", \.tauGi),
        ("rest_e", \.restE), ("reset_e", \.resetE), ("thresh_e", \.threshE), ("offset", \.offset), ("refractory_e", \.refractoryE),
        ("rest_i", \.restI), ("reset_i", \.resetI), ("thresh_i", \.threshI), ("refractory_i", \.refractoryI),
        ("e_exc", \.eExc), ("e_inh", \.eInh), ("theta_start", \.thetaStart), ("theta_plus", \.thetaPlus), ("tau_theta", \.tauTheta),
        ("exc_to_inh", \.excToInh), ("inh_to_exc", \.inhToExc), ("initial_max", \.initialMax), ("intensity", \.intensity),
        ("weight_sum", \.weightSum), ("delay_ms", \.delayMs), ("test_scale", \.testMatch.scale),
    ]
    /// The VDSP network's parameters a `[network]` table can set (with `network = "vdsp"`).
    public static let vdspKeys: [(String, WritableKeyPath<VDSPNetwork.Parameters, Float>)] = [
        ("tau_input", \.tauInput), ("input_bias", \.inputBias), ("input_scale", \.inputScale), ("tau_output", \.tauOutput),
        ("threshold", \.threshold), ("lr", \.lr), ("test_scale", \.testMatch.scale),
    ]
    /// Its whole-ms parameters.
    public static let vdspStepKeys: [(String, WritableKeyPath<VDSPNetwork.Parameters, Int>)] = [
        ("present_ms", \.presentMs), ("rest_ms", \.restMs), ("refractory", \.refractory), ("inhibition", \.inhibition),
    ]

    /// The rule parameters a `[rule]` table can set, by key.
    public static let ruleKeys: [(String, WritableKeyPath<DiehlCook.Parameters, Float>)] = [
        ("nu_pre", \.nuPre), ("nu_post", \.nuPost), ("tau_pre", \.tauPre), ("tau_post1", \.tauPost1), ("tau_post2", \.tauPost2),
        ("w_max", \.wMax),
    ]

    /// `test_match` of a `[network]` table, either network's (default: as learned).
    private static func testMatchKind(_ table: TOMLFields) throws -> TestMatch.Kind {
        try table.choice("test_match", TestMatch.Kind.allCases.map { ($0.rawValue, $0) }, default: .learned)
    }

    /// Reads a learning file.
    public static func load(path: String) throws -> LearnSettings {
        try parse(try TOMLFields.text(path: path), file: path)
    }

    /// Parses learning-file text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> LearnSettings {
        let top = try TOMLFields.root(text, file: file)
        try top.onlyKeys(["name", "learn", "network", "rule"])
        guard let l = try top.subtable("learn") else {
            throw SessionError.missing(file: file, field: "learn", expected: "a [learn] table (network, data, neurons, ...)")
        }
        try l.onlyKeys(["network", "data", "side", "neurons", "epochs", "seed", "train_limit", "test_limit", "assign_limit", "holdout", "minimum_spikes"])
        var s = LearnSettings()
        s.path = file
        s.network = try l.choice("network", Network.allCases.map { ($0.rawValue, $0) }, default: .diehlCook)
        s.data = try l.string("data") ?? "digits"
        if l.has("side") { s.side = try l.int("side", in: 0...1024) }
        s.neurons = try l.int("neurons", default: 100, in: 1...10_000)
        s.parameters.minimumSpikes = try l.int("minimum_spikes", default: 5, in: 0...10_000)
        s.epochs = try l.int("epochs", default: 1, in: 1...1000)
        s.seed = UInt64(try l.int("seed", default: 0, in: 0...Int.max))
        if l.has("train_limit") { s.trainLimit = try l.int("train_limit", in: 1...Int.max) }
        if l.has("test_limit") { s.testLimit = try l.int("test_limit", in: 1...Int.max) }
        if l.has("assign_limit") { s.assignLimit = try l.int("assign_limit", in: 1...Int.max) }
        if l.has("holdout") { s.holdout = try l.int("holdout", in: 1...Int.max) }
        if s.network == .vdsp {
            if let n = try top.subtable("network") {
                try n.onlyKeys(vdspKeys.map(\.0) + vdspStepKeys.map(\.0) + ["test_match"])
                s.vdsp.testMatch.kind = try testMatchKind(n)
                for (key, path) in vdspKeys where n.has(key) { s.vdsp[keyPath: path] = try n.float(key) }
                for (key, path) in vdspStepKeys where n.has(key) { s.vdsp[keyPath: path] = try n.int(key, in: 0...1_000_000) }
            }
            if top.has("rule") {
                throw SessionError.badValue(file: file, field: "rule", expected: "no [rule] table with network = \"vdsp\" (its lr is in [network])", found: "a table")
            }
            do { try s.vdsp.validate() } catch let e as LearnParameterError {
                throw SessionError.badValue(file: file, field: "network." + e.field, expected: e.expected, found: e.found)
            }
            return s
        }
        if let n = try top.subtable("network") {
            try n.onlyKeys(networkKeys.map(\.0) + ["test_match"])
            s.parameters.testMatch.kind = try testMatchKind(n)
            for (key, path) in networkKeys where n.has(key) {
                s.parameters[keyPath: path] = try n.float(key, { $0.isFinite }, expected: "a number")
            }
        }
        if let r = try top.subtable("rule") {
            try r.onlyKeys(ruleKeys.map(\.0))
            for (key, path) in ruleKeys where r.has(key) {
                s.parameters.rule[keyPath: path] = try r.float(key, { $0.isFinite }, expected: "a number")
            }
        }
        do { try s.parameters.validate() } catch let e as LearnParameterError {
            throw SessionError.badValue(file: file, field: (ruleKeys.contains { $0.0 == e.field } ? "rule." : e.field == "neurons" ? "learn." : "network.") + e.field,
                                        expected: e.expected, found: e.found)
        }
        return s
    }
}
