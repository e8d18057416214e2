// A rule at work on a stepping simulation: the engine's learning hook, one layer's weights.
import SpikeCore

/// Runs a plasticity rule on a dense layer of a `Simulation` (batch element 0) after every
/// step, through the engine's learning hook: presynaptic spikes are the layer's input, postsynaptic
/// spikes its output (VDSP reads the previous layer's membranes). The rule works on a copy of the
/// weights and hands them to the simulation (`updateParameters`, which keeps the event path's
/// copy in sync) only on steps where the rule can change them.
public final class LayerPlasticity: LearningRule {
    /// A rule and its state.
    public enum Rule: Sendable {
        case pair(PairSTDP)
        case diehlCook(DiehlCook)
        case reward(RewardSTDP)
        case vdsp(VDSP)
        /// Short-term plasticity (Tsodyks-Markram) per input: the layer's weights are its base
        /// weights times what each input's synapse would release at the next step (u·x).
        case shortTerm(ShortTermPlasticity)
    }

    /// The layer index.
    public let layer: Int
    /// The rule and its state.
    public private(set) var rule: Rule
    /// Step length in seconds.
    public let dt: Float
    /// The reward (R-STDP) delivered at the next step; cleared after it.
    public var reward: Float = 0
    /// Reward given at these steps of each presentation (the simulation's `t` after the step), added to `reward`.
    public var schedule: [Int: Float] = [:]
    /// The layer's weights as the rule last left them, (post, pre).
    public private(set) var weights: DenseWeights
    /// The weights the layer started with (short-term plasticity scales these).
    public let base: DenseWeights
    /// Short-term plasticity: what synapse 0 released at each of its spikes so far (the last 1000).
    public private(set) var releases: [Float] = []
    /// When set, each neuron's incoming weights are scaled to sum to this at the start of every
    /// presentation (`restart`), as Diehl & Cook normalise before each sample: the competition
    /// that makes neurons specialise instead of all learning the average input.
    public var normaliseTo: Float?
    /// R-STDP: the dopamine level and the mean eligibility after each step (the last 2000).
    public private(set) var modulation: [(dopamine: Float, eligibility: Float)] = []

    /// A rule on layer `layer` of `simulation`, which must be a dense layer (and, for VDSP, follow a neuron layer).
    public init(simulation: Simulation, layer: Int, rule: Rule, dt: Float) throws {
        let spec = simulation.network.spec
        guard spec.layers.indices.contains(layer), spec.layers[layer].kind.denseOutputs != nil else {
            throw ModelError.badLayer(index: max(0, layer), name: spec.layers.indices.contains(layer) ? spec.layers[layer].name : "?",
                                      reason: "plasticity needs a dense or recurrent-dense layer")
        }
        if case .vdsp = rule, layer == 0 || spec.layers[layer - 1].neuron == nil {
            throw ModelError.badLayer(index: layer, name: spec.layers[layer].name,
                                      reason: "VDSP reads the membranes of the neurons before this layer, and there are none")
        }
        self.layer = layer; self.rule = rule; self.dt = dt
        weights = simulation.network.parameters[layer].weight
        base = weights
        if case .shortTerm = rule { restart(simulation) }
    }

    /// At the start of a presentation: with `normaliseTo`, the weights normalised; short-term
    /// plasticity: every synapse recovered (x = 1, u = 0) and the weights set for a first spike.
    /// Otherwise what the rule learned stays.
    public func restart(_ sim: Simulation) {
        if let total = normaliseTo, !weights.isEmpty {
            DiehlCook.normalise(&weights, inputs: weights.count / max(sim.network.spec.layers[layer].kind.denseOutputs ?? 1, 1), total: total)
            let w = weights
            sim.updateParameters(layer: layer) { $0.weight = w }
        }
        guard case .shortTerm(var r) = rule else { return }
        r = ShortTermPlasticity(r.parameters, count: r.x.count)
        rule = .shortTerm(r)
        releases = []
        scale(by: r, sim)
    }

    /// weights = base × next release of each input's synapse.
    private func scale(by r: ShortTermPlasticity, _ sim: Simulation) {
        let inputs = r.x.count
        guard inputs > 0, base.count % inputs == 0 else { return }
        let release = (0..<inputs).map { r.nextRelease($0, dt: dt) }
        for k in base.indices { weights[k] = base[k] * release[k % inputs] }
        let w = weights
        sim.updateParameters(layer: layer) { $0.weight = w }
    }

    /// Reads the weights again (after something else changed them, e.g. a normalisation).
    public func reload(_ simulation: Simulation) { weights = simulation.network.parameters[layer].weight }

    public func afterStep(_ sim: Simulation) {
        let pre = sim.input(layer: layer), post = sim.output(layer: layer)
        let inputs = weights.count / max(post.count / sim.batch, 1), outputs = weights.count / max(inputs, 1)
        let preSpikes = UnsafeBufferPointer(rebasing: pre[0..<inputs]), postSpikes = UnsafeBufferPointer(rebasing: post[0..<outputs])
        let spiked = preSpikes.contains { $0 > 0 } || postSpikes.contains { $0 > 0 }
        var changes = spiked
        switch rule {
        case .pair(var r):
            r.step(preSpikes: preSpikes, postSpikes: postSpikes, weights: &weights, dt: dt); rule = .pair(r)
        case .diehlCook(var r):
            r.step(preSpikes: preSpikes, postSpikes: postSpikes, weights: &weights, dt: dt); rule = .diehlCook(r)
        case .reward(var r):
            if let due = schedule[sim.t] { reward += due }
            r.step(preSpikes: preSpikes, postSpikes: postSpikes, reward: reward, weights: &weights, dt: dt)
            changes = spiked || reward != 0 || r.dopamine != 0 || r.parameters.form == .mstdpet
            modulation.append((r.dopamine, r.eligibility.isEmpty ? 0 : r.eligibility.reduce(0, +) / Float(r.eligibility.count)))
            if modulation.count > 2000 { modulation.removeFirst(modulation.count - 1000) }
            rule = .reward(r); reward = 0
        case .vdsp(let r):
            let v = sim.membrane(layer: layer - 1)
            r.step(preMembranes: UnsafeBufferPointer(rebasing: v[0..<inputs]), postSpikes: postSpikes, weights: &weights)
            changes = postSpikes.contains { $0 > 0 }
        case .shortTerm(var r):
            r.step(spikes: preSpikes, dt: dt)
            rule = .shortTerm(r)
            if preSpikes.first.map({ $0 > 0 }) == true { releases.append(r.released[0]); if releases.count > 1000 { releases.removeFirst() } }
            scale(by: r, sim)
            return
        }
        if changes {
            let w = weights
            sim.updateParameters(layer: layer) { $0.weight = w }
        }
    }
}
