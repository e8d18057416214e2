import ArgumentParser
import Foundation
import SpikeCore
import SpikeHardware
import SpikeSession

/// `spikescope bench map`: how long mapping takes, and what per-step accounting adds to a step.
struct BenchMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Seconds to map and place a ~100k-neuron, ~10M-synapse conv model onto Loihi; step time with and without per-step accounting (default session).")

    @Option(help: "Timed steps for the accounting figure.") var steps = 2000
    @Option(help: "Session for the accounting figure (default: sessions/digits.toml).") var session: String?

    func run() throws {
        // (a) 8x64x64 input → conv 16 (3x3) → LIF → conv 8 (3x3) → LIF → conv 10 (4x4, stride 4) → LIF:
        //     65,536 + 32,768 + 2,560 neurons (100,864); 65,536·72 (edges fewer) + 32,768·144 + 2,560·128 synapses (≈ 9.6 M).
        let lif = NeuronModel.lif(LIFParameters(beta: 0.9, threshold: 1, reset: .subtract))
        let spec = ModelSpec(inputShape: FeatureShape(channels: 8, height: 64, width: 64), encoder: .rate(gain: 0.2), layers: [
            LayerSpec(name: "conv1", kind: .conv2d(outChannels: 16, kernel: 3, stride: 1, padding: 1), neuron: lif),
            LayerSpec(name: "conv2", kind: .conv2d(outChannels: 8, kernel: 3, stride: 1, padding: 1), neuron: lif),
            LayerSpec(name: "conv3", kind: .conv2d(outChannels: 10, kernel: 4, stride: 4, padding: 0), neuron: lif),
        ])
        let net = try Network(spec: spec, seed: 0)
        var loihi = try Target.load("loihi")
        loihi.chips = 8
        let t0 = now()
        let mapping = try Mapping(network: net, target: loihi)
        let routes = Routes(mapping)
        let sequential = Placement.sequential(mapping)
        let mapSeconds = Double(now() - t0) / 1e9
        let connectivity = mapping.connectivity
        let synapses = connectivity.connections.reduce(0) { $0 + $1.synapses }
        let neurons = connectivity.populations.reduce(0) { $0 + $1.neurons }
        // Traffic of 4 steps of one rate-coded sample, then the annealed placement on it.
        let sim = Simulation(network: net, timesteps: 4, seed: 0, recording: RecorderConfig(capacity: 4, fullMembraneLimit: 0, defaultChosen: 0))
        var rng = Rng(seed: 3)
        try sim.setInput((0..<net.spec.inputShape.count).map { _ in rng.nextFloat() })
        sim.run(steps: 4)
        let (counts, pairs, _) = mapping.measure([sim.recorder!], placement: sequential, routes: routes, collectPairs: true)
        let t1 = now()
        let annealed = Placement.trafficAware(mapping, pairs: pairs, seed: 0)
        let annealSeconds = Double(now() - t1) / 1e9
        print(String(format: "{\"bench\":\"map\",\"target\":\"loihi\",\"chips\":%d,\"neurons\":%d,\"synapses\":%d,\"cores\":%d,\"map_and_place_s\":%.3f,\"traffic_placement_s\":%.3f,\"hop_packets_sequential\":%d,\"hop_packets_traffic\":%d,\"packets\":%d,\"goal_s\":2}",
                     loihi.chips, neurons, synapses, mapping.cores.count, mapSeconds, annealSeconds,
                     sequential.hopPackets(pairs, cores: mapping.cores.count), annealed.hopPackets(pairs, cores: mapping.cores.count),
                     counts.packets))

        // (b) per-step accounting on the default session mapped onto Loihi.
        let ws = try Workspace(session: try Session.load(path: session ?? defaultSessionPath()))
        let m = try Mapping(network: ws.network, target: try Target.load("loihi"))
        let r = Routes(m), p = Placement.sequential(m)
        // The workbench's path: account each step into buffers allocated once (HardwareState.account).
        var spikes = [Int32](repeating: 0, count: m.cores.count), ops = spikes, scratch = spikes
        var links = [Int32](repeating: 0, count: p.linkCount)
        func timeSteps(account: Bool) throws -> Double {
            let s = try ws.simulation(sample: 0, timesteps: steps, recording: RecorderConfig(capacity: steps))
            var sink = 0
            let start = now()
            for t in 1...steps {
                s.step()
                if account {
                    let c = spikes.withUnsafeMutableBufferPointer { sp in ops.withUnsafeMutableBufferPointer { op in
                        links.withUnsafeMutableBufferPointer { li in
                            m.account(step: t, recorder: s.recorder!, routes: r, placement: p,
                                      into: StepBuffers(coreSpikes: sp, coreSynapticOps: op, links: li), scratch: &scratch)
                        } } }
                    sink &+= c?.packets ?? 0
                }
            }
            let us = Double(now() - start) / 1000 / Double(steps)
            if sink < 0 { print(sink) }
            return us
        }
        var plain: [Double] = [], accounted: [Double] = []
        for _ in 0..<5 { plain.append(try timeSteps(account: false)); accounted.append(try timeSteps(account: true)) }
        plain.sort(); accounted.sort()
        print(String(format: "{\"bench\":\"step_accounting\",\"session\":\"%@\",\"target\":\"loihi\",\"steps\":%d,\"step_us\":%.2f,\"step_with_accounting_us\":%.2f,\"overhead_pct\":%.1f,\"goal_pct\":10}",
                     ws.session.name, steps, plain[2], accounted[2], 100 * (accounted[2] / plain[2] - 1)))
    }
}
