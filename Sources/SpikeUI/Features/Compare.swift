// Compare mode: the same sample presented once at T=1 and once at T=N (separate runs, no
// recording), with both answers, their KL divergence and the per-step entropy of the T=N run.

import SpikeCore
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
}

extension AppState {
    /// Recomputes the comparison when compare mode is on (two short runs, no recording).
    mutating func refreshCompare() {
        compare = compareMode ? (try? AppState.compareRuns(workspace, sample: sample, timesteps: timesteps)) : nil
    }


    static func compareRuns(_ ws: Workspace, sample k: Int, timesteps n: Int) throws -> CompareResult? {
        guard ws.network.classCount != nil else { return nil }
        func run(_ t: Int) throws -> (mean: [Float], entropy: [Float]) {
            let sim = Simulation(network: ws.network, batch: 1, timesteps: t, seed: ws.session.seed, recording: nil)
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
            return (sum.map { $0 / Float(t) }, entropy)
        }
        let one = try run(1), many = try run(n)
        let p1 = softmax(one.mean), pn = softmax(many.mean)
        let kl = klDivergence(pn, p1)
        return CompareResult(timesteps: n, probabilitiesOne: p1, probabilitiesN: pn,
                             topOne: argmax(p1) ?? 0, topN: argmax(pn) ?? 0, klDivergence: kl,
                             entropy: many.entropy)
    }
}
