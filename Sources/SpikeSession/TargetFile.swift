// Target profiles as files: the shipped ones by name (SpikeHardware's resources) or a user's
// own by path. A limit or cost written "unknown" is read as unknown: not checked, not charged.
import Foundation
import SpikeCore
import SpikeHardware
import TOMLKit

extension Target {
    /// A shipped profile by name ("loihi", ...) or a profile file by path (anything ending in .toml).
    public static func load(_ nameOrPath: String) throws -> Target {
        if nameOrPath.hasSuffix(".toml") || nameOrPath.contains("/") { return try load(path: nameOrPath) }
        guard let path = TargetProfiles.path(named: nameOrPath) else {
            throw SessionError.badValue(file: "--target", field: "target",
                                        expected: "one of " + TargetProfiles.names.joined(separator: ", ") + ", or a profile file (.toml)",
                                        found: "\"\(nameOrPath)\"")
        }
        return try load(path: path)
    }

    /// Reads a profile file.
    public static func load(path: String) throws -> Target {
        try parse(try TOMLFields.text(path: path), file: path)
    }

    /// Parses profile text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> Target {
        let f = try TOMLFields.root(text, file: file)
        try f.onlyKeys(["name", "summary", "style", "chips", "cores_per_chip", "mesh", "cores_per_tile", "neurons_per_chip",
                        "synapses_per_chip", "router_entries", "links", "kernel_memory", "neuron_memory",
                        "destinations_per_core", "input_channels", "hidden_neurons", "output_neurons", "core", "energy"])
        let name = try f.string("name") ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let style = try f.choice("style", MappingStyle.allCases.map { ($0.rawValue, $0) }, default: .cores)
        let coresPerChip = try f.int("cores_per_chip", in: 1...1_000_000)
        guard let mesh = try f.ints("mesh"), mesh.count == 2, mesh.allSatisfy({ (1...4096).contains($0) }) else {
            throw SessionError.badValue(file: file, field: "mesh", expected: "[routers across, routers down], each from 1 to 4096",
                                        found: "\(try f.ints("mesh") ?? [])")
        }
        let perTile = try f.int("cores_per_tile", default: 1, in: 1...1_000_000)
        guard mesh[0] * mesh[1] * perTile >= coresPerChip else {
            throw SessionError.badValue(file: file, field: "mesh", expected: "room for cores_per_chip = \(coresPerChip) (mesh × cores_per_tile)",
                                        found: "\(mesh[0]) x \(mesh[1]) x \(perTile)")
        }
        var t = Target(name: name, summary: try f.string("summary") ?? "", style: style,
                       chips: try f.int("chips", default: 1, in: 1...10_000), coresPerChip: coresPerChip,
                       meshWidth: mesh[0], meshHeight: mesh[1], coresPerTile: perTile)
        t.neuronsPerChip = try f.known("neurons_per_chip")
        t.synapsesPerChip = try f.known("synapses_per_chip")
        _ = try f.known("router_entries"); _ = try f.known("links")
        t.kernelMemory = try f.ints("kernel_memory") ?? []
        t.neuronMemory = try f.ints("neuron_memory") ?? []
        t.destinationsPerCore = try f.known("destinations_per_core")
        t.inputChannels = try f.known("input_channels")
        t.hiddenNeurons = try f.known("hidden_neurons")
        t.outputNeurons = try f.known("output_neurons")
        if style == .speck, t.kernelMemory.count != coresPerChip || t.neuronMemory.count != coresPerChip {
            throw SessionError.badValue(file: file, field: "kernel_memory", expected: "one kernel and one neuron memory per core (\(coresPerChip))",
                                        found: "\(t.kernelMemory.count) and \(t.neuronMemory.count)")
        }
        if let core = try f.subtable("core") {
            try core.onlyKeys(["neurons", "input_axons", "output_axons", "synapse_bits", "weight_bits", "fan_in", "synapses"])
            t.limits = CoreLimits(neurons: try core.known("neurons"), inputAxons: try core.known("input_axons"),
                                  outputAxons: try core.known("output_axons"), synapseBits: try core.known("synapse_bits"),
                                  weightBits: try core.known("weight_bits"), fanIn: try core.known("fan_in"),
                                  synapses: try core.known("synapses"))
        }
        if let e = try f.subtable("energy") {
            try e.onlyKeys(["synaptic_op", "packet", "hop_east_west", "hop_north_south", "neuron_active", "neuron_idle"])
            t.energy = EnergyCosts(synapticOp: try e.knownNumber("synaptic_op"), packet: try e.knownNumber("packet"),
                                   hopEastWest: try e.knownNumber("hop_east_west"), hopNorthSouth: try e.knownNumber("hop_north_south"),
                                   neuronActive: try e.knownNumber("neuron_active"), neuronIdle: try e.knownNumber("neuron_idle"))
        }
        return t
    }
}

extension TOMLFields {
    /// A positive integer, or nil when absent or written "unknown".
    func known(_ key: String) throws -> Int? {
        guard let v = table[key] else { return nil }
        if v.string == "unknown" { return nil }
        return try int(key, in: 1...Int.max)
    }

    /// A number >= 0, or nil when absent or written "unknown".
    func knownNumber(_ key: String) throws -> Double? {
        guard let v = table[key] else { return nil }
        if v.string == "unknown" { return nil }
        guard let x = v.double ?? v.int.map(Double.init), x.isFinite, x >= 0 else {
            throw SessionError.badValue(file: file, field: prefix + key, expected: "a number >= 0 or \"unknown\"", found: "\(v.debugDescription)")
        }
        return x
    }
}
