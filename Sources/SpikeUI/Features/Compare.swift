// Compare mode: the same sample presented once at T=1 and once at T=N (separate runs), with
// both answers, their KL divergence, the per-step entropy of the T=N run and, when the model is
// mapped onto a target, what each run costs on the chip.

import SpikeCore
import SpikeHardware
import SpikeSession
import SpikeTerm
import SpikeTrain

/// One sample run at T=1 and at T=N (separate presentations, not a prefix of one run).
public struct CompareResult: Equatable, Sendable {
    /// N of the second run.
    public var timesteps: Int
    /// Softmax of the mean logits of the T=1 run and of the T=N run.
    public var probabilitiesOne: [Float], probabilitiesN: [Float]
    /// Top class of each run.
    public var topOne: Int, topN: Int
    /// KL(P_N ‖ P_1) = Σ_c P_N(c)·ln(P_N(c) / P_1(c)), in nats.
    public var klDivergence: Float
    /// Entropy −Σ p·ln p of each step's softmax in the T=N run, in nats (N values).
    public var entropy: [Float]
    /// What the T=1 and the T=N run cost on the mapped chip (nil without a mapping).
    public var cost: CompareCost?
}

/// The chip's traffic of one inference at T=1 and at T=N.
public struct CompareCost: Equatable, Sendable {
    /// Spikes, synaptic ops, packets, hops of each run.
    public var one: TrafficCounts, n: TrafficCounts
}

extension AppState {
    /// Recomputes the comparison when compare mode is on (two short runs, no recording).
    mutating func refreshCompare() {
        compare = compareMode ? (try? AppState.compareRuns(workspace, sample: sample, timesteps: timesteps, hardware: hardware)) : nil
    }


    static func compareRuns(_ ws: Workspace, sample k: Int, timesteps n: Int,
                            hardware: HardwareState = HardwareState()) throws -> CompareResult? {
        guard ws.network.classCount != nil else { return nil }
        let mapped = hardware.mapping.flatMap { m in hardware.routes.flatMap { r in hardware.placement.map { (m, r, $0) } } }
        func run(_ t: Int) throws -> (mean: [Float], entropy: [Float], cost: TrafficCounts?) {
            let recording = mapped == nil ? nil : RecorderConfig(capacity: t, fullMembraneLimit: 0, defaultChosen: 0)
            let sim = Simulation(network: ws.network, batch: 1, timesteps: t, seed: ws.session.seed, recording: recording)
            try sim.setInput(ws.input(k, timesteps: t))
            sim.reset(stream: UInt64(k))
            var sum: [Float] = []
            var entropy: [Float] = []
            for _ in 0..<t {
                sim.step()
                let l = Array(sim.logits())
                if sum.isEmpty { sum = [Float](repeating: 0, count: l.count) }
                for c in l.indices { sum[c] += l[c] }
                entropy.append(SpikeCore.entropy(softmax(l)))
            }
            let cost = mapped.flatMap { m, r, p in sim.recorder.map { m.measure([$0], placement: p, routes: r).counts } }
            return (sum.map { $0 / Float(t) }, entropy, cost)
        }
        let one = try run(1), many = try run(n)
        let p1 = softmax(one.mean), pn = softmax(many.mean)
        let kl = klDivergence(pn, p1)
        return CompareResult(timesteps: n, probabilitiesOne: p1, probabilitiesN: pn,
                             topOne: argmax(p1) ?? 0, topN: argmax(pn) ?? 0, klDivergence: kl,
                             entropy: many.entropy,
                             cost: one.cost.flatMap { c1 in many.cost.map { CompareCost(one: c1, n: $0) } })
    }
}
