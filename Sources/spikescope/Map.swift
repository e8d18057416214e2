import ArgumentParser
import Foundation
import SpikeCore
import SpikeHardware
import SpikeSession

/// `spikescope map`: the session's model on a neuromorphic target.
struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map the model onto a neuromorphic target: cores, occupancy, traffic and energy per inference.",
        discussion: """
            Targets: \(TargetProfiles.names.joined(separator: ", ")), or a profile file (.toml).
            The figures are averaged over the first --samples samples of the session's data, each presented
            for the session's T. A model that does not fit prints which layer, which limit, needed against
            available, and what would make it fit; exit 2. See README, "The chip", for the JSON.
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Target profile name or file.") var target = "loihi"
    @Option(help: "Placement: sequential or traffic.") var placement = "sequential"
    @Option(help: "Samples to average over.") var samples = 10
    @Option(help: "Chips (default: the profile's).") var chips: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let kind = PlacementKind(rawValue: placement) else {
            throw InputError(description: "--placement must be one of sequential, traffic, found '\(placement)'")
        }
        guard samples >= 1 else { throw InputError(description: "--samples must be at least 1, found \(samples)") }
        var target = try Target.load(self.target)
        if let chips {
            guard chips >= 1 && chips <= 10_000 else { throw InputError(description: "--chips must be from 1 to 10000, found \(chips)") }
            target.chips = chips
        }
        let workspace = try Workspace(session: try Session.load(path: options.resolvedPath()))
        let mapping = try Mapping(network: workspace.network, target: target)
        let T = workspace.session.timesteps
        let n = min(samples, workspace.sampleCount)
        var recorders: [Recorder] = []
        for k in 0..<n {
            let sim = try workspace.simulation(sample: k, recording: RecorderConfig(capacity: T, fullMembraneLimit: 0, defaultChosen: 0))
            sim.run(steps: T)
            if let r = sim.recorder { recorders.append(r) }
        }
        let routes = Routes(mapping)
        let sequential = Placement.sequential(mapping)
        let (seqCounts, pairs, seqLinks) = mapping.measure(recorders, placement: sequential, routes: routes, collectPairs: true)
        let traffic = Placement.trafficAware(mapping, pairs: pairs, seed: workspace.session.seed)
        let trafficHops = traffic.hopPackets(pairs, cores: mapping.cores.count)
        let chosen = kind == .traffic ? traffic : sequential
        let (counts, _, links) = kind == .traffic ? mapping.measure(recorders, placement: traffic, routes: routes) : (seqCounts, pairs, seqLinks)
        let metrics = ModelMetrics(mapping)
        let per = Double(max(1, recorders.count))
        let (energy, unknown) = counts.energy(target.energy)
        let report = MapReport(mapping: mapping, placement: chosen, samples: recorders.count, timesteps: T, counts: counts,
                               perInference: per, energy: energy, unknownEnergy: unknown,
                               hopsSequential: Double(seqCounts.hops) / per, hopsTraffic: Double(trafficHops) / per,
                               metrics: metrics, busiest: chosen.busiestLink(links))
        print(json ? report.json : report.text)
    }
}

/// The figures `map` prints, as text or JSON.
struct MapReport {
    let mapping: Mapping, placement: Placement
    let samples: Int, timesteps: Int
    let counts: TrafficCounts, perInference: Double
    let energy: Double, unknownEnergy: [String]
    let hopsSequential: Double, hopsTraffic: Double
    let metrics: ModelMetrics
    let busiest: (x: Int, y: Int, south: Bool, packets: Int)?

    private func avg(_ v: Int) -> Double { Double(v) / perInference }
    private func num(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.3f", v) }
    private func occupancy() -> [(String, Double, Double, Double)] {
        mapping.occupancy().map { r in
            (r.resource, r.fractions.min() ?? 0, r.fractions.reduce(0, +) / Double(max(1, r.fractions.count)), r.fractions.max() ?? 0)
        }
    }

    var text: String {
        let t = mapping.target, pops = mapping.connectivity.populations
        var out = "target   \(t.name): \(t.summary)\n"
        out += "cores    \(mapping.cores.count) of \(t.totalCores)" + (t.chips > 1 ? " on \(t.chips) chips" : "") + ", placement \(placement.kind.rawValue)\n\n"
        out += "layer            neurons   cores\n"
        for (p, pop) in pops.enumerated() {
            out += pop.name.padding(toLength: max(16, pop.name.count), withPad: " ", startingAt: 0)
                + " " + String(pop.neurons).leftPadded(7) + " " + String(mapping.coresOf[p].count).leftPadded(7) + "\n"
        }
        out += "\noccupancy (min / mean / max of the cores' share of each limit)\n"
        for (name, lo, mean, hi) in occupancy() {
            out += "  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%5.1f %% / %5.1f %% / %5.1f %%\n", 100 * lo, 100 * mean, 100 * hi)
        }
        if !mapping.uncheckedLimits.isEmpty { out += "  not published, not checked: " + mapping.uncheckedLimits.joined(separator: ", ") + "\n" }
        out += "\nper inference (mean of \(samples) samples, T = \(timesteps))\n"
        out += "  spikes           \(num(avg(counts.spikes)))\n"
        out += "  synaptic ops     \(num(avg(counts.synapticOps))) accumulates, \(num(avg(counts.multiplyAccumulates))) multiply-accumulates\n"
        out += "  packets          \(num(avg(counts.packets)))\n"
        out += "  hops             \(num(avg(counts.hops))) (sequential \(num(hopsSequential)), traffic-aware \(num(hopsTraffic)))\n"
        if let b = busiest {
            out += "  busiest link     router (\(b.x), \(b.y)) \(b.south ? "south" : "east"), \(num(Double(b.packets) / perInference)) packets\n"
        }
        out += "  energy           " + (energy > 0 || unknownEnergy.isEmpty ? String(format: "%.1f nJ", energy / 1000 / perInference) : "unknown")
        out += unknownEnergy.isEmpty ? "\n" : " (unknown cost, not counted: \(unknownEnergy.joined(separator: ", ")))\n"
        let steps = timesteps
        out += "\nmodel    \(metrics.parameters) parameters (\(metrics.footprintBytes) bytes), connection sparsity "
            + String(format: "%.3f", metrics.connectionSparsity)
            + ", activation sparsity " + String(format: "%.3f", metrics.activationSparsity(spikes: avg(counts.spikes), steps: steps))
            + ", dense MACs per inference \(metrics.denseMACsPerStep * steps)\n"
        return out
    }

    var json: String {
        let t = mapping.target, pops = mapping.connectivity.populations
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let layers = pops.enumerated().map { p, pop in "{\"name\":\(q(pop.name)),\"neurons\":\(pop.neurons),\"cores\":\(mapping.coresOf[p].count)}" }
        let occ = occupancy().map { "\(q($0.0)):{\"min\":\(num($0.1)),\"mean\":\(num($0.2)),\"max\":\(num($0.3))}" }
        let energyText = unknownEnergy.isEmpty || energy > 0 ? num(energy / perInference) : "null"
        return "{\"target\":\(q(t.name)),\"chips\":\(t.chips),\"placement\":\(q(placement.kind.rawValue)),"
            + "\"cores\":\(mapping.cores.count),\"cores_available\":\(t.totalCores),"
            + "\"layers\":[\(layers.joined(separator: ","))],\"occupancy\":{\(occ.joined(separator: ","))},"
            + "\"unchecked_limits\":[\(mapping.uncheckedLimits.map(q).joined(separator: ","))],"
            + "\"samples\":\(samples),\"timesteps\":\(timesteps),"
            + "\"per_inference\":{\"spikes\":\(num(avg(counts.spikes))),\"synaptic_ops\":\(num(avg(counts.synapticOps))),"
            + "\"macs\":\(num(avg(counts.multiplyAccumulates))),\"packets\":\(num(avg(counts.packets))),\"hops\":\(num(avg(counts.hops))),"
            + "\"hops_sequential\":\(num(hopsSequential)),\"hops_traffic\":\(num(hopsTraffic)),"
            + "\"busiest_link\":" + (busiest.map { "{\"x\":\($0.x),\"y\":\($0.y),\"direction\":\(q($0.south ? "south" : "east")),\"packets\":\(num(Double($0.packets) / perInference))}" } ?? "null") + ","
            + "\"energy_pj\":\(energyText),\"energy_unknown_terms\":[\(unknownEnergy.map(q).joined(separator: ","))]},"
            + "\"model\":{\"parameters\":\(metrics.parameters),\"footprint_bytes\":\(metrics.footprintBytes),"
            + "\"connection_sparsity\":\(num(metrics.connectionSparsity)),"
            + "\"activation_sparsity\":\(num(metrics.activationSparsity(spikes: avg(counts.spikes), steps: timesteps))),"
            + "\"dense_macs\":\(metrics.denseMACsPerStep * timesteps)}}"
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
