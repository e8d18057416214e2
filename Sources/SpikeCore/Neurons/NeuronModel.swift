// The neuron models of the engine and what they share. Each model lives in its own file
// (parameters, step, its equations in the doc comment); this file only dispatches.
// Dimension letters: B batch, N neurons of one layer; a step runs over n = B·N neurons.
// All models run in discrete time, one step = dt; a spike and its reset happen in the same
// step (as Norse and SpikingJelly; snnTorch's default applies the reset one step later).
// The threshold test is `u >= θ`.
//
// Adding a neuron model (see README, "Adding a neuron model"): a file here with its parameters
// and `step`; a case below; its backward in SpikeTrain/Neurons; its entry in
// SpikeSession/Vocabulary.

/// How a spiking neuron's membrane is reset in the step it spikes.
public enum ResetMode: String, Equatable, Sendable, CaseIterable {
    /// `v = 0` after a spike ("hard" reset).
    case zero
    /// `v = u − θ` after a spike ("soft" reset, keeps the residue above threshold).
    case subtract
    /// No reset (for readouts and teaching).
    case none

    /// v[t] from the pre-reset membrane u and the spike s:  zero: u·(1 − s);  subtract: u − θ·s;  none: u.
    @inlinable @inline(__always)
    public func apply<S: SpikeScalar>(_ u: S, _ s: S, _ theta: S) -> S {
        switch self {
        case .zero: return u * (1 - s)
        case .subtract: return u - theta * s
        case .none: return u
        }
    }
}

/// The spike nonlinearity s = f(u, θ): the Heaviside step when stepping and training, a smooth
/// stand-in in the trainer's gradient checks.
public protocol SpikeFunction<Scalar> {
    /// The number type.
    associatedtype Scalar: SpikeScalar
    /// The spike for pre-reset membrane `u` and threshold `theta`.
    func callAsFunction(_ u: Scalar, _ theta: Scalar) -> Scalar
}

/// H(u − θ): 1 when u >= θ, else 0.
public struct Heaviside<Scalar: SpikeScalar>: SpikeFunction {
    /// Creates the step function.
    @inlinable public init() {}
    /// 1 when u >= θ, else 0.
    @inlinable @inline(__always)
    public func callAsFunction(_ u: Scalar, _ theta: Scalar) -> Scalar { u >= theta ? 1 : 0 }
}

/// The buffers one step of a neuron layer reads and writes, n values each (B·N).
public struct NeuronBuffers<S: SpikeScalar> {
    /// Input current I[t] (read).
    public var current: UnsafePointer<S>
    /// Membrane: v[t−1] in, v[t] (after the reset) out.
    public var v: UnsafeMutablePointer<S>
    /// Second state: synaptic current (CubaLIF), adaptation (adaptive LIF), refractory steps
    /// left (LIF); untouched by the others.
    public var a: UnsafeMutablePointer<S>
    /// Pre-reset membrane u[t], the value compared with θ (out; soft-LIF: the current j).
    public var u: UnsafeMutablePointer<S>
    /// Output s[t]: spikes in {0, 1} (A/dt for lif-rc), the rate A·r for soft-LIF, the membrane for LI and I (out).
    public var s: UnsafeMutablePointer<S>
    /// Per-step state backward needs (out; nil when not kept): refractory LIF writes 1 where the
    /// neuron was held this step, else 0; the adaptive-threshold LIF its threshold raise h[t−1].
    public var held: UnsafeMutablePointer<S>?
    /// Bundles the pointers.
    @inlinable
    public init(current: UnsafePointer<S>, v: UnsafeMutablePointer<S>, a: UnsafeMutablePointer<S>,
                u: UnsafeMutablePointer<S>, s: UnsafeMutablePointer<S>, held: UnsafeMutablePointer<S>? = nil) {
        self.current = current; self.v = v; self.a = a; self.u = u; self.s = s; self.held = held
    }
}

/// A neuron model with its parameters: the choice of a spiking (or rate) layer's dynamics.
public enum NeuronModel: Equatable, Sendable {
    /// Integrate-and-fire.
    case integrateAndFire(IFParameters)
    /// Leaky integrate-and-fire.
    case lif(LIFParameters)
    /// Current-based LIF.
    case cubaLIF(CubaLIFParameters)
    /// Adaptive LIF (spike-frequency adaptation through an AHP current).
    case adaptiveLIF(AdaptiveLIFParameters)
    /// LIF with an adaptive threshold (each spike raises its own threshold; homeostasis, and trainable).
    case adaptiveThresholdLIF(AdaptiveThresholdLIFParameters)
    /// Soft-LIF rate neuron: outputs A·r(j) per step (A = dt by default), never spikes.
    case softLIF(SoftLIFParameters)
    /// LIF in continuous time with exact refractoriness and a synaptic filter: soft-LIF's spiking twin (no backward).
    case rcLIF(RCLIFParameters)
    /// Leaky integrator (NIR's LI): a LIF that never spikes; its output is the membrane.
    case leakyIntegrator(LIParameters)
    /// Current-based leaky integrator (NIR's CubaLI): output is the membrane.
    case cubaLI(CubaLIParameters)
    /// Integrator (NIR's I): sums its input; its output is the membrane.
    case integrator(IntegratorParameters)

    /// The short name used in session files.
    public var name: String {
        switch self {
        case .integrateAndFire: "if"
        case .lif: "lif"
        case .cubaLIF: "cuba-lif"
        case .adaptiveLIF: "adaptive-lif"
        case .adaptiveThresholdLIF: "adaptive-threshold-lif"
        case .softLIF: "soft-lif"
        case .rcLIF: "lif-rc"
        case .leakyIntegrator: "li"
        case .cubaLI: "cuba-li"
        case .integrator: "integrator"
        }
    }

    /// The firing threshold (1 for soft-LIF, whose rate threshold is j = 1; nil for the
    /// integrators, which never spike).
    public var threshold: Float? {
        switch self {
        case .integrateAndFire(let p): p.threshold
        case .lif(let p): p.threshold
        case .cubaLIF(let p): p.threshold
        case .adaptiveLIF(let p): p.threshold
        case .adaptiveThresholdLIF(let p): p.threshold
        case .softLIF, .rcLIF: 1
        case .leakyIntegrator, .cubaLI, .integrator: nil
        }
    }

    /// True when the model emits binary spikes (not soft-LIF, LI or I).
    public var isSpiking: Bool {
        switch self {
        case .softLIF, .leakyIntegrator, .cubaLI, .integrator: false
        default: true
        }
    }

    /// True when the step keeps a per-neuron, per-step `held` value backward needs (refractory LIF's
    /// mask, the adaptive-threshold LIF's threshold raise).
    public var keepsHeldMask: Bool {
        switch self {
        case .lif(let p): p.refractorySteps > 0
        case .adaptiveThresholdLIF: true
        default: false
        }
    }

    /// Advances n neurons one step (see each model's `step` for its equations). Allocates nothing.
    @inlinable
    public func step<S: SpikeScalar, F: SpikeFunction>(_ n: Int, _ b: NeuronBuffers<S>, spike: F) where F.Scalar == S {
        switch self {
        case .integrateAndFire(let p): p.step(n, b, spike: spike)
        case .lif(let p): p.step(n, b, spike: spike)
        case .cubaLIF(let p): p.step(n, b, spike: spike)
        case .adaptiveLIF(let p): p.step(n, b, spike: spike)
        case .adaptiveThresholdLIF(let p): p.step(n, b, spike: spike)
        case .softLIF(let p): p.step(n, b)
        case .rcLIF(let p): p.step(n, b)
        case .leakyIntegrator(let p): p.step(n, b)
        case .cubaLI(let p): p.step(n, b)
        case .integrator(let p): p.step(n, b)
        }
    }
}

/// State of one neuron layer for a batch; every array is (B, N), allocated once (for tests and
/// single-neuron use; `Simulation` keeps its own buffers).
public struct NeuronState: Equatable, Sendable {
    /// Membrane potential after the step's reset, v[t].
    public var membrane: [Float]
    /// Pre-reset membrane u[t], the value compared with θ.
    public var preReset: [Float]
    /// Output of the step: spikes s[t] in {0, 1} (A/dt for lif-rc; rate A·r for soft-LIF, v for LI and I).
    public var output: [Float]
    /// Second state variable (see `NeuronBuffers.a`).
    public var auxiliary: [Float]

    /// Zero state for `count` = B·N neurons.
    public init(count: Int) {
        membrane = Array(repeating: 0, count: count)
        preReset = membrane; output = membrane; auxiliary = membrane
    }

    /// Sets every variable back to zero without reallocating.
    public mutating func reset() {
        for i in membrane.indices { membrane[i] = 0; preReset[i] = 0; output[i] = 0; auxiliary[i] = 0 }
    }
}

extension NeuronModel {
    /// Advances every neuron of `state` one step under input current `current` (B·N values).
    public func step(_ state: inout NeuronState, current: UnsafeBufferPointer<Float>) {
        let n = state.membrane.count
        precondition(current.count >= n, "current has \(current.count) values, layer state \(n)")
        state.membrane.withUnsafeMutableBufferPointer { v in
        state.output.withUnsafeMutableBufferPointer { s in
        state.auxiliary.withUnsafeMutableBufferPointer { a in
        state.preReset.withUnsafeMutableBufferPointer { u in
            step(n, NeuronBuffers(current: current.baseAddress!, v: v.baseAddress!, a: a.baseAddress!,
                                  u: u.baseAddress!, s: s.baseAddress!), spike: Heaviside<Float>())
        }}}}
    }
}
