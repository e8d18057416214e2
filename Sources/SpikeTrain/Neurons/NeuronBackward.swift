// The backward pass of each neuron model, one step back in time. The forward is the engine's
// (SpikeCore/Neurons/<Model>.swift); each backward sits in the file named after its model here.
// Notation: x = u − θ, σ' the surrogate derivative at x, gv = ∂L/∂v[t] carried back from
// step t+1 (the membrane after the reset), ga the second state's carried gradient.
import SpikeCore

/// The buffers one backward step reads and writes, n values each (B·N).
struct NeuronGradients<S: TrainScalar> {
    /// Pre-reset membrane u[t] stored by the forward.
    var u: UnsafeMutablePointer<S>
    /// Output s[t] stored by the forward.
    var s: UnsafeMutablePointer<S>
    /// ∂L/∂s[t] (read).
    var gs: UnsafeMutablePointer<S>
    /// ∂L/∂I[t] (written).
    var gi: UnsafeMutablePointer<S>
    /// ∂L/∂v carried: ∂L/∂v[t] in, ∂L/∂v[t−1] out.
    var gv: UnsafeMutablePointer<S>
    /// The second state's carried gradient, in and out.
    var ga: UnsafeMutablePointer<S>
    /// Refractory LIF: 1 where the neuron was held at step t; adaptive-threshold LIF: h[t−1].
    var held: UnsafeMutablePointer<S>?
}

/// What every spiking backward needs besides its buffers.
struct SpikeGradient {
    /// The surrogate σ' standing in for H'.
    var surrogate: Surrogate
    /// When true, the reset is treated as a constant (no gradient through s in reset(u, s)).
    var detachReset: Bool

    /// ∂v/∂u of the reset v = reset(u, s(u)):
    ///     subtract: 1 − θ·σ';  zero: 1 − s − u·σ';  none: 1;  detached: no σ' term.
    @inline(__always)
    func dvdu<S: TrainScalar>(_ u: S, _ s: S, _ sg: S, _ th: S, _ mode: ResetMode) -> S {
        switch mode {
        case .subtract: return detachReset ? 1 : 1 - th * sg
        case .zero: return detachReset ? 1 - s : 1 - s - u * sg
        case .none: return 1
        }
    }
}

extension NeuronModel {
    /// One step of backward for n neurons (see each model's `backward`).
    @inline(__always)
    func backward<S: TrainScalar>(_ n: Int, _ g: NeuronGradients<S>, _ sg: SpikeGradient) {
        switch self {
        case .integrateAndFire(let p): p.backward(n, g, sg)
        case .lif(let p): p.backward(n, g, sg)
        case .cubaLIF(let p): p.backward(n, g, sg)
        case .adaptiveLIF(let p): p.backward(n, g, sg)
        case .softLIF(let p): p.backward(n, g)
        case .rcLIF: preconditionFailure("lif-rc has no backward; Trainer rejects networks with it")
        case .adaptiveThresholdLIF(let p): p.backward(n, g, sg)
        case .leakyIntegrator(let p): p.backward(n, g)
        case .cubaLI(let p): p.backward(n, g)
        case .integrator(let p): p.backward(n, g)
        }
    }
}

/// The smooth spike σ(u − θ), the surrogate's primitive: the forward of the gradient checks,
/// where finite differences then see the derivative backward uses.
struct SmoothSpike<Scalar: TrainScalar>: SpikeFunction {
    let surrogate: Surrogate
    @inline(__always)
    func callAsFunction(_ u: Scalar, _ theta: Scalar) -> Scalar { surrogate.primitive(u - theta) }
}
