// The learning hook of `Simulation`: a rule that runs after each step, reads pre/post activity
// and changes weights through the one method that keeps the derived copies in sync.
import Testing
@testable import SpikeCore

/// A toy rule: W[i, j] += δ for every coincidence of presynaptic activity x_j[t] > 0 and a
/// postsynaptic spike s_i[t] = 1 in the same step, in layer 0.
private final class CoincidenceRule: LearningRule {
    let delta: Float
    var coincidences = 0
    init(delta: Float) { self.delta = delta }
    func afterStep(_ sim: Simulation) {
        let pre = Array(sim.input(layer: 0)), post = Array(sim.output(layer: 0))
        let inputs = pre.count
        sim.updateParameters(layer: 0) { p in
            for (i, s) in post.enumerated() where s > 0 {
                for (j, x) in pre.enumerated() where x > 0 {
                    p.weight[i * inputs + j] += delta
                    coincidences += 1
                }
            }
        }
    }
}

@Test func aRuleChangesWeightsBetweenStepsAndTheEventPathSeesThem() throws {
    // 10 inputs of which 2 are active (so the batch-1 dense layer takes the event path through
    // its transposed copy), all weights 1, IF θ = 1 with a zero reset: each step both neurons
    // get a current of W[i,0] + W[i,5] and spike.
    let spec = ModelSpec(inputShape: .flat(10), encoder: .direct, layers: [
        LayerSpec(name: "post", kind: .dense(outputs: 2), neuron: .integrateAndFire(IFParameters(threshold: 1, reset: .zero)),
                  bias: false, initialisation: .constant(1)),
    ])
    let sim = Simulation(network: try Network(spec: spec, seed: 0), timesteps: 8, seed: 0)
    var x = [Float](repeating: 0, count: 10); x[0] = 1; x[5] = 1
    try sim.setInput(x)
    let rule = CoincidenceRule(delta: 0.25)
    sim.learningRules = [rule]
    sim.reset()
    sim.run(steps: 4)
    // By hand: 4 steps × 2 spiking neurons × 2 active inputs = 16 coincidences, each +0.25, so
    // W[i,0] = W[i,5] = 1 + 4·0.25 = 2 and every other weight stays 1.
    #expect(rule.coincidences == 16)
    for i in 0..<2 {
        for j in 0..<10 {
            #expect(sim.network.parameters[0].weight[i * 10 + j] == ((j == 0 || j == 5) ? 2 : 1), "W[\(i),\(j)]")
        }
    }
    // Step 5 is driven by the changed weights: u = 0 + 2 + 2 = 4 (a stale transposed copy would give 2).
    sim.learningRules = []
    sim.step()
    #expect(Array(sim.preResetMembrane(layer: 0)) == [4, 4])
    #expect(Array(sim.membrane(layer: 0)) == [0, 0])      // spiked, zero reset
}

@Test func theDensePathSeesChangedWeightsToo() throws {
    // Batch 2 (no transposed copy): the sgemm path reads the parameters directly.
    let spec = ModelSpec(inputShape: .flat(3), encoder: .direct, layers: [
        LayerSpec(name: "d", kind: .dense(outputs: 1), neuron: .lif(LIFParameters(beta: 1, threshold: 100, reset: .none)),
                  bias: false, initialisation: .constant(1)),
    ])
    let sim = Simulation(network: try Network(spec: spec, seed: 0), batch: 2, timesteps: 4, seed: 0)
    try sim.setInput([1, 1, 1, 0, 0, 1])
    sim.step()
    #expect(Array(sim.membrane(layer: 0)) == [3, 1])
    sim.updateParameters(layer: 0) { $0.weight = [0.5, 0.5, 2] }
    sim.step()
    #expect(Array(sim.membrane(layer: 0)) == [6, 3])      // 3 + 3, 1 + 2
}
