// Each rule's weight change for hand-made spikes at known lags equals its formula.
import Foundation
import SpikeCore
import SpikeLearn
import Testing

private let dt: Float = 0.001

/// Runs `steps` steps of one pre and one post neuron; `preAt`/`postAt` are the 1-based steps they spike at.
private func pair(_ rule: inout PairSTDP, w0: Float = 0.5, preAt: Set<Int>, postAt: Set<Int>, steps: Int) -> Float {
    var w: [Float] = [w0]
    for s in 1...steps {
        let a: [Float] = [preAt.contains(s) ? 1 : 0], b: [Float] = [postAt.contains(s) ? 1 : 0]
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in rule.step(preSpikes: pa, postSpikes: pb, weights: &w, dt: dt) } }
    }
    return w[0]
}

@Test(arguments: [1, 5, 20, 60])
func pairSTDPChangesByItsWindowAtEachLag(lag: Int) {
    let p = PairSTDP.Parameters()
    var r = PairSTDP(p, inputs: 1, outputs: 1)
    let ltp = pair(&r, preAt: [1], postAt: [1 + lag], steps: 1 + lag) - 0.5
    #expect(abs(ltp - p.aPlus * expf(-Float(lag) * dt / p.tauPlus)) < 1e-6)
    r = PairSTDP(p, inputs: 1, outputs: 1)
    let ltd = pair(&r, preAt: [1 + lag], postAt: [1], steps: 1 + lag) - 0.5
    #expect(abs(ltd + p.aMinus * expf(-Float(lag) * dt / p.tauMinus)) < 1e-6)
    // euler decay: (1 − dt/τ)^lag
    var e = p
    e.trace.decay = .euler
    r = PairSTDP(e, inputs: 1, outputs: 1)
    #expect(abs(pair(&r, preAt: [1], postAt: [1 + lag], steps: 1 + lag) - 0.5 - p.aPlus * powf(1 - dt / p.tauPlus, Float(lag))) < 1e-6)
    // traces after pairing: one decay fewer
    var after = p
    after.tracesFirst = false
    r = PairSTDP(after, inputs: 1, outputs: 1)
    #expect(abs(pair(&r, preAt: [1], postAt: [1 + lag], steps: 1 + lag) - 0.5 - p.aPlus * expf(-Float(lag - 1) * dt / p.tauPlus)) < 1e-6)
    // soft bounds: scaled by the distance to the bound
    var soft = p
    soft.bound = .multiplicative
    r = PairSTDP(soft, inputs: 1, outputs: 1)
    #expect(abs(pair(&r, w0: 0.8, preAt: [1], postAt: [1 + lag], steps: 1 + lag) - 0.8 - p.aPlus * expf(-Float(lag) * dt / p.tauPlus) * 0.2) < 1e-6)
}

@Test func pairSTDPTraceMarksAndSameStepPairs() {
    let p = PairSTDP.Parameters()
    // two pre spikes (steps 1 and 11), post at 21: additive sums both, nearest only the last
    var r = PairSTDP(p, inputs: 1, outputs: 1)
    let all = pair(&r, preAt: [1, 11], postAt: [21], steps: 21) - 0.5
    #expect(abs(all - p.aPlus * (expf(-0.020 / p.tauPlus) + expf(-0.010 / p.tauPlus))) < 1e-6)
    var n = p
    n.trace.mark = .nearest
    r = PairSTDP(n, inputs: 1, outputs: 1)
    #expect(abs(pair(&r, preAt: [1, 11], postAt: [21], steps: 21) - 0.5 - p.aPlus * expf(-0.010 / p.tauPlus)) < 1e-6)
    // the same step with traces first: both pairings, A₊ − A₋
    r = PairSTDP(p, inputs: 1, outputs: 1)
    #expect(abs(pair(&r, preAt: [3], postAt: [3], steps: 3) - 0.5 - (p.aPlus - p.aMinus)) < 1e-6)
    // clipping
    r = PairSTDP(p, inputs: 1, outputs: 1)
    #expect(pair(&r, w0: 0.995, preAt: [1], postAt: [2], steps: 2) == 1)
}

@Test func diehlCookPairsWithThePostTraceReadBeforeItsReset() {
    let p = DiehlCook.Parameters()
    var r = DiehlCook(p, inputs: 1, outputs: 1)
    var w: [Float] = [0.5]
    // post at step 1, pre at 11, post at 31
    for s in 1...31 {
        let a: [Float] = [s == 11 ? 1 : 0], b: [Float] = [s == 1 || s == 31 ? 1 : 0]
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in r.step(preSpikes: pa, postSpikes: pb, weights: &w, dt: dt) } }
    }
    let depression = p.nuPre * expf(-0.010 / p.tauPost1)                       // pre at 11 sees post1 of step 1
    let potentiation = p.nuPost * expf(-0.020 / p.tauPre) * expf(-0.030 / p.tauPost2)  // post at 31: pre of 11, post2 of step 1
    #expect(abs(w[0] - (0.5 - depression + potentiation)) < 1e-6)
    // a first post spike (post2 at 0) does not potentiate
    var fresh = DiehlCook(p, inputs: 1, outputs: 1)
    var v: [Float] = [0.5]
    for s in 1...3 {
        let a: [Float] = [s == 1 ? 1 : 0], b: [Float] = [s == 3 ? 1 : 0]
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in fresh.step(preSpikes: pa, postSpikes: pb, weights: &v, dt: dt) } }
    }
    #expect(v[0] == 0.5)
    // normalisation: 78 per 784 inputs
    var ws = [Float](repeating: 0.3, count: 2 * 784)
    DiehlCook.normalise(&ws, inputs: 784, total: DiehlCook.total(inputs: 784))
    #expect(abs(ws[0..<784].reduce(0, +) - 78) < 0.01 && DiehlCook.total(inputs: 64) == 78 * 64 / 784)
}

@Test func vdspFollowsThePresynapticMembrane() {
    let rule = VDSP(lr: 0.01)
    var w: [Float] = [0.4, 0.4, 0.4]
    let v: [Float] = [-0.5, 0.7, 0], post: [Float] = [1]
    v.withUnsafeBufferPointer { pv in post.withUnsafeBufferPointer { rule.step(preMembranes: pv, postSpikes: $0, weights: &w) } }
    #expect(abs(w[0] - (0.4 + 0.01 * 0.6 * (expf(0.5) - 1))) < 1e-7)
    #expect(abs(w[1] - (0.4 - 0.01 * 0.4 * (expf(0.7) - 1))) < 1e-7)
    #expect(w[2] == 0.4)
    // no postsynaptic spike, no change
    let none: [Float] = [0]
    v.withUnsafeBufferPointer { pv in none.withUnsafeBufferPointer { rule.step(preMembranes: pv, postSpikes: $0, weights: &w) } }
    #expect(abs(w[2] - 0.4) < 1e-9)
}

@Test func rewardModulatedSTDPChangesWeightsOnlyWhenRewardFollows() {
    func run(_ p: RewardSTDP.Parameters, rewardAt: Int?, steps: Int) -> Float {
        var r = RewardSTDP(p, inputs: 1, outputs: 1)
        var w: [Float] = [1]
        for s in 1...steps {
            let a: [Float] = [s == 1 ? 1 : 0], b: [Float] = [s == 6 ? 1 : 0]
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                r.step(preSpikes: pa, postSpikes: pb, reward: s == rewardAt ? 0.5 : 0, weights: &w, dt: dt) } }
        }
        return w[0]
    }
    var p = RewardSTDP.Parameters()
    #expect(run(p, rewardAt: nil, steps: 300) == 1)
    // Izhikevich: c = A₊·e^(−5 ms/τ₊) at step 6, decayed 94 steps by τ_c; d = 0.5 at step 100: Δw = dt·c·d that step
    let c = p.aPlus * expf(-0.005 / p.tauPlus) * expf(-0.094 / p.tauC)
    #expect(abs(run(p, rewardAt: 100, steps: 100) - (1 + dt * c * 0.5)) < 1e-6)
    #expect(run(p, rewardAt: 100, steps: 300) > run(p, rewardAt: 100, steps: 100))     // dopamine lingers
    // Florian MSTDP: only the step with both pairing and reward changes w
    p.form = .mstdp
    #expect(abs(run(p, rewardAt: 6, steps: 10) - (1 + p.gamma * 0.5 * p.aPlus * expf(-0.005 / p.tauPlus))) < 1e-6)
    #expect(run(p, rewardAt: 7, steps: 10) == 1)
    // MSTDPET: z = ζ/τ_z at step 6, decayed 4 steps; reward at 10: Δw = dt·γ·r·z
    p.form = .mstdpet
    let z = p.aPlus * expf(-0.005 / p.tauPlus) / p.tauZ * expf(-0.004 / p.tauZ)
    #expect(abs(run(p, rewardAt: 10, steps: 10) - (1 + dt * p.gamma * 0.5 * z)) < 1e-5)
}

@Test func shortTermSynapsesDepressAndFacilitateUnderA20HzTrain() {
    func train(_ p: ShortTermPlasticity.Parameters) -> [Float] {
        var s = ShortTermPlasticity(p, count: 1)
        var out: [Float] = []
        for step in 0..<1000 {                                   // 1 s at dt = 1 ms, a spike every 50 ms
            let spike: [Float] = [step % 50 == 0 ? 1 : 0]
            spike.withUnsafeBufferPointer { s.step(spikes: $0, dt: dt) }
            if step % 50 == 0 { out.append(s.released[0]) }
            #expect(s.x[0] >= 0 && s.y[0] >= 0 && s.z(0) >= -1e-6)
        }
        return out
    }
    let d = train(.depressing)
    #expect(d[0] == 0.5)
    #expect(zip(d, d.dropFirst()).allSatisfy { $0 >= $1 })
    // the plateau: x before a spike solves x = 1 − (1 − (1 − U)·x)·e^(−T/τ_rec) (y has decayed by then)
    let e = expf(-0.05 / 0.8), xs = (1 - e) / (1 - 0.5 * e)
    #expect(abs(d.last! - 0.5 * xs) / (0.5 * xs) < 0.03, "\(d.last!) vs \(0.5 * xs)")
    #expect(abs(d[d.count - 1] - d[d.count - 2]) < 1e-3)
    let f = train(.facilitating)
    #expect(abs(f[0] - 0.03) < 1e-7)
    #expect(f[1] > f[0] && f[2] > f[1] && f[3] > f[2] && f[5] > 2 * f[0])
}

@Test func diehlCookNetworkIsDeterministicAndLearns() {
    func run() -> (DenseWeights, [Float], [[Int]]) {
        var p = DiehlCookNetwork.Parameters()
        p.neurons = 6
        let net = DiehlCookNetwork(p, inputs: 16, seed: 7)
        let images: [[Float]] = (0..<4).map { k in (0..<16).map { Float(($0 + k) % 4 == 0 ? 1 : 0) } }
        let counts = images.map { net.present($0, learn: true) }
        return (net.weights, net.theta, counts)
    }
    let a = run(), b = run()
    #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
    #expect(a.2.allSatisfy { $0.reduce(0, +) >= 5 })                     // each sample drew at least 5 spikes
    #expect(a.1.contains { $0 > 20 })                                    // θ rose with spikes
    // the weights were normalised to 78·16/784 per neuron before the last sample, then learned
    #expect(a.0[0..<16].reduce(0, +) > 0)
}

@Test func diehlCookNetworkRestoredFromItsStateContinuesExactly() throws {
    var p = DiehlCookNetwork.Parameters()
    p.neurons = 5
    let images: [[Float]] = (0..<6).map { k in (0..<16).map { Float(($0 * 3 + k) % 5 == 0 ? 1 : 0) } }
    let whole = DiehlCookNetwork(p, inputs: 16, seed: 3)
    for x in images { whole.present(x, learn: true) }
    let first = DiehlCookNetwork(p, inputs: 16, seed: 3)
    for x in images.prefix(3) { first.present(x, learn: true) }
    let saved = first.state()
    let second = DiehlCookNetwork(p, inputs: 16, seed: 99)                 // another seed: everything comes from the state
    try second.restore(tensors: saved.tensors, metadata: saved.metadata)
    for x in images.suffix(3) { second.present(x, learn: true) }
    #expect(second.weights == whole.weights && second.theta == whole.theta && second.samples == whole.samples)
    #expect(second.present(images[0], learn: false) == whole.present(images[0], learn: false))
    // a state of another shape is refused by name
    var wrong = saved.tensors
    wrong["theta"] = Tensor(shape: [4], data: [20, 20, 20, 20])
    #expect(throws: LearnParameterError.self) { try second.restore(tensors: wrong, metadata: saved.metadata) }
}

@Test func vdspNetworkPotentiatesInputsThatJustFiredAndDepressesTheCharging() throws {
    var p = VDSPNetwork.Parameters()
    p.neurons = 3; p.lr = 0.05
    let image: [Float] = (0..<64).map { $0 < 32 ? 1 : 0 }               // the first half bright, the rest dark
    func run(_ learn: Bool) -> (VDSPNetwork, [[Int]]) {
        let net = VDSPNetwork(p, inputs: 64, seed: 5)
        return (net, (0..<4).map { _ in net.present(image, learn: learn) })
    }
    let (a, countsA) = run(true), (b, countsB) = run(true)
    #expect(a.weights == b.weights && countsA == countsB)                 // deterministic
    let (still, _) = run(false)
    let before = still.weights, after = a.weights
    #expect(countsA.joined().reduce(0, +) > 0)
    // the neuron that won most: its bright (recently fired, V < 0 at its spikes) inputs grew on
    // average, its dark (charging on the bias, V > 0) ones shrank
    let totals = (0..<3).map { i in countsA.map { $0[i] }.reduce(0, +) }
    let winner = try #require(totals.indices.max { totals[$0] < totals[$1] })
    let delta = (0..<64).map { after[winner * 64 + $0] - before[winner * 64 + $0] }
    #expect(delta[0..<32].reduce(0, +) > 0, "\(delta)")
    #expect(delta[32..<64].allSatisfy { $0 < 0 }, "\(delta)")
    // a neuron that never fired kept its weights
    for i in 0..<3 where totals[i] == 0 { #expect(Array(after[(i * 64)..<(i * 64 + 64)]) == Array(before[(i * 64)..<(i * 64 + 64)])) }
    // restored from its state, it continues exactly
    let c = VDSPNetwork(p, inputs: 64, seed: 5)
    c.present(image, learn: true); c.present(image, learn: true)
    let st = c.state()
    let d = VDSPNetwork(p, inputs: 64, seed: 8)
    try d.restore(tensors: st.tensors, metadata: st.metadata)
    d.present(image, learn: true); d.present(image, learn: true)
    #expect(d.weights == a.weights && d.samples == 4)
}

@Test func classAssignmentLabelsNeuronsByTheirMeanResponse() {
    // neuron 0 answers class 1, neuron 1 class 0 (class 0 has more samples: means, not sums)
    let a = ClassAssignment(responses: [[0, 2], [0, 2], [0, 2], [5, 1]], labels: [0, 0, 0, 1], classes: 2)
    #expect(a.classes == [1, 0])
    #expect(a.classify([3, 1]) == 1 && a.classify([0, 4]) == 0)
    // proportion weighting: neuron 0's mean responses are (0, 5) → shares (0, 1); neuron 1's
    // (2, 1) → (2/3, 1/3). Response (1, 2): class 0 scores 2·2/3, class 1 scores 1 + 2/3.
    #expect(a.proportions[0] == [0, 1] && abs(a.proportions[1][0] - 2.0 / 3) < 1e-12)
    #expect(a.classifyByProportion([1, 2]) == 1 && a.classifyByProportion([0, 3]) == 0)
    #expect(a.classify([1, 2]) == 0)                                   // the assignment readout differs here
}

/// Many neurons crossing threshold together send the summed inhibition of all of them (g_i in the
/// thousands): forward Euler swung the membranes to ±10⁴ mV there and every neuron fired; the
/// exponential-Euler step keeps them between E_inh and E_exc, and the competition holds.
@Test func diehlCookLateralInhibitionOfManyNeuronsStaysStable() {
    var p = DiehlCookNetwork.Parameters()
    p.neurons = 400
    let net = DiehlCookNetwork(p, inputs: 784, seed: 1)
    let bright = [Float](repeating: 0.8, count: 784)
    let counts = net.present(bright, learn: true)
    let spiking = counts.filter { $0 > 0 }.count
    #expect(spiking < 100, "\(spiking) of 400 neurons spiked")
    #expect(net.theta.filter { $0 > p.thetaStart }.count == spiking)
}

/// Delayed synapses: the rule per synapse at arrival equals the rule per input when every spike
/// arrives in its own step; a network with the paper's delays is deterministic, learns and
/// differs from the one without; a delay longer than 255 steps is refused by name.
@Test func diehlCookDelayedSynapsesKeepTheRuleAndTheNetworkDeterministic() {
    let (inputs, outputs) = (3, 2)
    var byInput = DiehlCook(inputs: inputs, outputs: outputs, inputsMajor: true)
    var bySynapse = DiehlCook(inputs: inputs, outputs: outputs, inputsMajor: true)
    var w1: DenseWeights = (0..<(inputs * outputs)).map { Float($0 + 1) / 10 }, w2 = w1
    var rng = Rng(seed: 5)
    for _ in 0..<400 {
        let pre = (0..<inputs).filter { _ in rng.nextFloat() < 0.2 }, post = (0..<outputs).filter { _ in rng.nextFloat() < 0.1 }
        byInput.step(pre: pre, post: post, weights: &w1, dt: 0.0005)
        bySynapse.step(arrivals: pre.flatMap { j in (0..<outputs).map { Int32(j * outputs + $0) } }, post: post, weights: &w2, dt: 0.0005)
    }
    #expect(w1 == w2 && w1 != (0..<(inputs * outputs)).map { Float($0 + 1) / 10 })

    func learned(delay: Float) -> (DenseWeights, [Float]) {
        var p = DiehlCookNetwork.Parameters()
        p.neurons = 6; p.delayMs = delay
        let net = DiehlCookNetwork(p, inputs: 16, seed: 7)
        for k in 0..<4 { net.present((0..<16).map { Float(($0 + k) % 4 == 0 ? 1 : 0) }, learn: true) }
        return (net.weights, net.theta)
    }
    let a = learned(delay: 10), b = learned(delay: 10), none = learned(delay: 0)
    #expect(a.0 == b.0 && a.1 == b.1)
    #expect(a.0 != none.0 && a.1.contains { $0 > 20 })
    var p = DiehlCookNetwork.Parameters()
    p.delayMs = 200
    #expect(throws: LearnParameterError.self) { try p.validate() }
}
