import Foundation
import Testing
@testable import SpikeCore

/// Runs one neuron for `steps` steps under constant `current`; returns the 1-based spike steps.
private func spikeSteps(_ model: NeuronModel, current: Float, steps: Int) -> [Int] {
    var state = NeuronState(count: 1)
    var times: [Int] = []
    let input: [Float] = [current]
    for t in 1...steps {
        input.withUnsafeBufferPointer { model.step(&state, current: $0) }
        if state.output[0] == 1 { times.append(t) }
    }
    return times
}

@Test func lifFollowsHandComputedTrajectory() {   // values exact in binary, so == is fair
    var s = NeuronState(count: 1)
    var v: [Float] = [], z: [Float] = []
    let model = NeuronModel.lif(LIFParameters(beta: 0.5, threshold: 1, reset: .subtract))
    for _ in 0..<6 {
        [Float(0.75)].withUnsafeBufferPointer { model.step(&s, current: $0) }
        v.append(s.membrane[0]); z.append(s.output[0])
    }
    #expect(v == [0.75, 0.125, 0.8125, 0.15625, 0.828125, 0.1640625])
    #expect(z == [0, 1, 0, 1, 0, 1])
}

@Test(arguments: [(Float(0.25), ResetMode.subtract), (0.3, .zero), (0.7, .subtract), (0.45, .zero)])
func ifSpikeTimesMatchClosedForm(current: Float, reset: ResetMode) {
    let got = spikeSteps(.integrateAndFire(IFParameters(threshold: 1, reset: reset)), current: current, steps: 40)
    // Reference in Double: subtract reset fires whenever floor(t·I/θ) increases; zero reset
    // fires every ceil(θ/I) steps.
    var expected: [Int] = []
    let i = Double(current)
    for t in 1...40 {
        switch reset {
        case .subtract: if floor(Double(t) * i + 1e-9) > floor(Double(t - 1) * i + 1e-9) { expected.append(t) }
        default: if t % Int(ceil(1 / i)) == 0 { expected.append(t) }
        }
    }
    #expect(got == expected)
}

@Test(arguments: [(Float(0.9), Float(0.3), 0), (0.8, 0.5, 0), (0.95, 0.08, 0), (0.9, 0.3, 3)])
func lifSpikeTimesMatchClosedForm(beta: Float, current: Float, refractory: Int) {
    let p = LIFParameters(beta: beta, threshold: 1, reset: .zero, refractorySteps: refractory)
    let got = spikeSteps(.lif(p), current: current, steps: 100)
    // v_n = I(1 − βⁿ)/(1 − β) from rest; first n with v_n ≥ θ: n* = ceil(log(1 − θ(1 − β)/I) / log β).
    let b = Double(beta), i = Double(current)
    let first = Int(ceil(log(1 - (1 - b) / i) / log(b)))
    let period = first + refractory
    let expected = Array(stride(from: first, through: 100, by: period))
    #expect(got == expected)
}

@Test func cubaLIFIntegratesASynapticCurrent() {
    // One input pulse at t = 1, then nothing: i = α^(t−1), v accumulates the filtered current.
    let p = CubaLIFParameters(alpha: 0.5, beta: 0.5, threshold: 10, reset: .none)
    var s = NeuronState(count: 1)
    var v: [Float] = []
    for t in 1...4 {
        [Float(t == 1 ? 1 : 0)].withUnsafeBufferPointer { NeuronModel.cubaLIF(p).step(&s, current: $0) }
        v.append(s.membrane[0])
    }
    // i = 1, .5, .25, .125; v = 1, 1, .75, .5
    #expect(v == [1, 1, 0.75, 0.5])
}

@Test func adaptiveLIFIntervalsLengthenUnderConstantDrive() {
    let p = AdaptiveLIFParameters(beta: 0.9, threshold: 1, reset: .zero, rho: 0.97, kappa: 0.05)
    let times = spikeSteps(.adaptiveLIF(p), current: 0.4, steps: 300)
    let isi = zip(times.dropFirst(), times).map { $0 - $1 }
    #expect(isi.count > 5)
    #expect(isi.first! < isi.last!)
    #expect(zip(isi.dropFirst(), isi).allSatisfy { $0 >= $1 })   // never shorter than the one before
    // Independent reference of the same equations in Double.
    var v = 0.0, a = 0.0
    var ref: [Int] = []
    for t in 1...300 {
        let u = 0.9 * v + 0.4 - a
        let s = u >= 1 ? 1.0 : 0.0
        v = u * (1 - s)
        a = 0.97 * a + 0.05 * s
        if s == 1 { ref.append(t) }
    }
    #expect(times == ref)
}

@Test func softLIFRateMatchesFormula() {
    let p = SoftLIFParameters(tauRC: 0.02, tauRef: 0.002, gamma: 0.05, dt: 0.001)
    for j in stride(from: Float(0), through: 4, by: 0.25) {
        let x = Double(j - 1), g = 0.05
        let rho = g * log(1 + exp(x / g))
        let expected = rho > 0 ? 1 / (0.002 + 0.02 * log(1 + 1 / rho)) : 0
        let got = Double(p.rate(j) as Float)
        #expect(abs(got - expected) <= 1e-4 * max(1, expected), "j = \(j)")
    }
    // γ → 0 approaches the hard LIF rate 1/(τ_ref + τ_rc·log(1 + 1/(j − 1))) above threshold.
    let hard = SoftLIFParameters(tauRC: 0.02, tauRef: 0.002, gamma: 1e-4, dt: 0.001)
    #expect(abs(Double(hard.rate(2) as Float) - 1 / (0.002 + 0.02 * log(2.0))) < 0.01)
    #expect((hard.rate(0.5) as Float) < 0.02)   // far below threshold: 1/(τ_ref + τ_rc·(−log γ − x)) ≈ 0.01 Hz
    // In a layer the output is r·dt.
    var s = NeuronState(count: 1)
    [Float(2)].withUnsafeBufferPointer { NeuronModel.softLIF(p).step(&s, current: $0) }
    #expect(abs(s.output[0] - (p.rate(2) as Float) * 0.001) < 1e-7)
}

@Test func leakyIntegratorFollowsHandComputedTrajectory() {   // values exact in binary
    var s = NeuronState(count: 1)
    var out: [Float] = []
    let model = NeuronModel.leakyIntegrator(LIParameters(beta: 0.5))
    for current in [Float(1), 1, 0, 0.5, 3] {
        [current].withUnsafeBufferPointer { model.step(&s, current: $0) }
        out.append(s.output[0])
        #expect(s.membrane[0] == s.output[0] && s.preReset[0] == s.output[0])
    }
    // v = 0.5·v + I: 1, 1.5, 0.75, 0.875, 3.4375; it never spikes, however large v grows.
    #expect(out == [1, 1.5, 0.75, 0.875, 3.4375])
    #expect(!model.isSpiking && model.threshold == nil)
}

@Test func cubaLIFollowsHandComputedTrajectory() {   // values exact in binary
    var s = NeuronState(count: 1)
    var out: [Float] = []
    let model = NeuronModel.cubaLI(CubaLIParameters(alpha: 0.5, beta: 0.5))
    for current in [Float(1), 1, 0, 2] {
        [current].withUnsafeBufferPointer { model.step(&s, current: $0) }
        out.append(s.output[0])
    }
    // i = 0.5·i + I: 1, 1.5, 0.75, 2.375; v = 0.5·v + i: 1, 2, 1.75, 3.25. It never spikes.
    #expect(out == [1, 2, 1.75, 3.25])
    #expect(!model.isSpiking && model.threshold == nil)
}

@Test func integratorSumsItsInput() {
    var s = NeuronState(count: 2)
    let model = NeuronModel.integrator(IntegratorParameters())
    var out: [[Float]] = []
    for current: [Float] in [[1, -2], [0.25, 0.5], [2, 0]] {
        current.withUnsafeBufferPointer { model.step(&s, current: $0) }
        out.append(s.output)
    }
    #expect(out == [[1, -2], [1.25, -1.5], [3.25, -1.5]])
    s.reset()
    #expect(s.membrane == [0, 0])
}

/// The spiking twin of soft-LIF fires at the hard LIF rate 1/(τ_ref + τ_rc·log(1 + 1/(J − 1)))
/// under a constant current, within 2 % over 20 s of 1 ms steps, exact refractoriness; whole-step
/// refractoriness rounds each interval up to whole steps and so fires slower.
@Test(arguments: [1.05, 1.3, 2.0, 4.0, 10.0])
func rcLIFFiresAtTheLIFRate(current: Double) {
    let p = RCLIFParameters(tauRC: 0.02, tauRef: 0.002, tauSyn: 0, dt: 0.001)
    let steps = 20_000, seconds = Double(steps) * 0.001
    let exact = spikeSteps(.rcLIF(p), current: Float(current), steps: steps).count
    let expected = p.rate(current)
    #expect(abs(Double(exact) / seconds - expected) <= 0.02 * expected, "J = \(current): \(Double(exact) / seconds) Hz against \(expected)")
    var whole = p
    whole.refractory = .steps
    #expect(spikeSteps(.rcLIF(whole), current: Float(current), steps: steps).count <= exact)
    // no spike at or below threshold
    #expect(spikeSteps(.rcLIF(p), current: 0.99, steps: 5_000).isEmpty)
}

/// Soft-LIF's smooth rate approaches the spiking twin's hard LIF rate as γ goes to 0.
@Test func softLIFApproachesTheHardRateAsGammaGoesToZero() {
    let hard = RCLIFParameters(tauRC: 0.02, tauRef: 0.002)
    var previous = Double.infinity
    for gamma: Float in [0.2, 0.05, 0.01, 0.001] {
        let soft = SoftLIFParameters(tauRC: 0.02, tauRef: 0.002, gamma: gamma)
        let gap = [0.5, 1.2, 2.0, 5.0].map { j in abs(Double(soft.rate(Float(j)) as Float) - hard.rate(j)) }.max()!
        #expect(gap < previous, "γ = \(gamma)")
        previous = gap
    }
    #expect(previous < 1.0)     // Hz, at γ = 0.001
}

/// The synaptic filter: a step of input reaches (1 − α^t) of its value after t steps.
@Test func rcLIFFiltersItsInput() {
    let p = RCLIFParameters(tauRC: 0.02, tauRef: 0.002, tauSyn: 0.005, dt: 0.001)
    var state = NeuronState(count: 1)
    let alpha = Foundation.exp(-0.2)
    for t in 1...10 {
        [Float(0.5)].withUnsafeBufferPointer { NeuronModel.rcLIF(p).step(&state, current: $0) }
        #expect(abs(Double(state.auxiliary[0]) - 0.5 * (1 - Foundation.pow(alpha, Double(t)))) < 1e-6)
    }
}

@Test func adaptiveThresholdLIFRaisesItsOwnThresholdPerSpike() {
    let p = AdaptiveThresholdLIFParameters(beta: 0.9, threshold: 1, reset: .zero, rho: 0.99, plus: 0.1)
    let times = spikeSteps(.adaptiveThresholdLIF(p), current: 0.4, steps: 300)
    let isi = zip(times.dropFirst(), times).map { $0 - $1 }
    #expect(isi.count > 5 && isi[0] < isi[isi.count - 1])              // intervals lengthen
    // Independent reference of the same equations in Double.
    var v = 0.0, h = 0.0
    var ref: [Int] = []
    for t in 1...300 {
        let u = 0.9 * v + 0.4
        let s = u - h >= 1 ? 1.0 : 0.0
        v = u * (1 - s)
        h = 0.99 * h + 0.1 * s
        if s == 1 { ref.append(t) }
    }
    #expect(times == ref)
    // the stored pre-reset membrane is the value compared with θ: u − h (h read before the step)
    var state = NeuronState(count: 1)
    state.auxiliary = [0.5]
    [Float(1.2)].withUnsafeBufferPointer { NeuronModel.adaptiveThresholdLIF(p).step(&state, current: $0) }
    #expect(abs(state.preReset[0] - 0.7) < 1e-6 && state.output[0] == 0 && abs(state.auxiliary[0] - 0.495) < 1e-6)
}
