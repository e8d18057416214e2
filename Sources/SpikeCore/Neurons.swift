// Neuron models of the engine. Dimension letters: B batch, N neurons of one layer.
// All models run in discrete time, one step = dt; a spike and its reset happen in the same
// step (as Norse and SpikingJelly; snnTorch's default applies the reset one step later).
// The threshold test is `u >= θ`.

/// How a spiking neuron's membrane is reset in the step it spikes.
public enum ResetMode: String, Equatable, Sendable, CaseIterable {
    /// `v = 0` after a spike ("hard" reset).
    case zero
    /// `v = u − θ` after a spike ("soft" reset, keeps the residue above threshold).
    case subtract
    /// No reset (for readouts and teaching).
    case none
}

/// Parameters of an integrate-and-fire neuron (no leak).
public struct IFParameters: Equatable, Sendable {
    /// Firing threshold θ, in membrane units.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Creates IF parameters.
    public init(threshold: Float = 1, reset: ResetMode = .subtract) {
        self.threshold = threshold; self.reset = reset
    }
}

/// Parameters of a leaky integrate-and-fire neuron.
public struct LIFParameters: Equatable, Sendable {
    /// Membrane decay per step, β = exp(−dt / τ_mem), in (0, 1].
    public var beta: Float = 0.9
    /// Firing threshold θ, in membrane units.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Steps after a spike during which the membrane is held and input ignored (0 = none).
    public var refractorySteps: Int = 0
    /// Creates LIF parameters.
    public init(beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .subtract, refractorySteps: Int = 0) {
        self.beta = beta; self.threshold = threshold; self.reset = reset; self.refractorySteps = refractorySteps
    }
    /// The decay for a membrane time constant: β = exp(−dt/τ), both in the same unit.
    public static func beta(tau: Double, dt: Double) -> Float { Float(exp(-dt / tau)) }
}

/// Parameters of a current-based LIF neuron (a synaptic current state, as NIR's CubaLIF).
public struct CubaLIFParameters: Equatable, Sendable {
    /// Synaptic current decay per step, α = exp(−dt / τ_syn).
    public var alpha: Float = 0.8
    /// Membrane decay per step, β = exp(−dt / τ_mem).
    public var beta: Float = 0.9
    /// Firing threshold θ.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .subtract
    /// Creates current-based LIF parameters.
    public init(alpha: Float = 0.8, beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .subtract) {
        self.alpha = alpha; self.beta = beta; self.threshold = threshold; self.reset = reset
    }
}

/// Parameters of an adaptive LIF neuron with an after-hyperpolarisation (AHP) current.
public struct AdaptiveLIFParameters: Equatable, Sendable {
    /// Membrane decay per step, β.
    public var beta: Float = 0.9
    /// Firing threshold θ.
    public var threshold: Float = 1
    /// Reset applied in the step of a spike.
    public var reset: ResetMode = .zero
    /// Adaptation decay per step, ρ = exp(−dt / τ_adapt); τ_adapt is usually ≫ τ_mem.
    public var rho: Float = 0.98
    /// Adaptation added by each spike, κ (membrane units per step).
    public var kappa: Float = 0.2
    /// Creates adaptive LIF parameters.
    public init(beta: Float = 0.9, threshold: Float = 1, reset: ResetMode = .zero, rho: Float = 0.98, kappa: Float = 0.2) {
        self.beta = beta; self.threshold = threshold; self.reset = reset; self.rho = rho; self.kappa = kappa
    }
}

/// Parameters of the soft-LIF rate neuron (Hunsberger & Eliasmith 2015), for rate-mode runs.
public struct SoftLIFParameters: Equatable, Sendable {
    /// Membrane RC time constant τ_rc, seconds.
    public var tauRC: Float = 0.02
    /// Refractory period τ_ref, seconds.
    public var tauRef: Float = 0.002
    /// Smoothing γ of ρ(x) = γ·log(1 + exp(x/γ)); γ → 0 gives the hard LIF rate.
    public var gamma: Float = 0.02
    /// Step length dt, seconds: the output is r(j)·dt, the expected spikes per step.
    public var dt: Float = 0.001
    /// Creates soft-LIF parameters.
    public init(tauRC: Float = 0.02, tauRef: Float = 0.002, gamma: Float = 0.02, dt: Float = 0.001) {
        self.tauRC = tauRC; self.tauRef = tauRef; self.gamma = gamma; self.dt = dt
    }
    /// The soft-LIF rate in Hz for input current j (threshold at j = 1):
    ///     r(j) = 1 / (τ_ref + τ_rc · log(1 + 1/ρ(j − 1))),   ρ(x) = γ · log(1 + exp(x/γ))
    /// and r = 0 where ρ underflows to 0.
    public func rate(_ j: Float) -> Float {
        let x = (j - 1) / gamma
        // softplus without overflow: log(1+e^x) = max(x,0) + log1p(e^−|x|)
        let rho = gamma * (max(x, 0) + log1pf(expf(-abs(x))))
        guard rho > 0 else { return 0 }
        return 1 / (tauRef + tauRC * log1pf(1 / rho))
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
    /// Soft-LIF rate neuron: outputs r(j)·dt per step, never spikes.
    case softLIF(SoftLIFParameters)

    /// The short name used in session files.
    public var name: String {
        switch self {
        case .integrateAndFire: "if"
        case .lif: "lif"
        case .cubaLIF: "cuba-lif"
        case .adaptiveLIF: "adaptive-lif"
        case .softLIF: "soft-lif"
        }
    }

    /// The firing threshold (1 for soft-LIF, whose rate threshold is j = 1).
    public var threshold: Float {
        switch self {
        case .integrateAndFire(let p): p.threshold
        case .lif(let p): p.threshold
        case .cubaLIF(let p): p.threshold
        case .adaptiveLIF(let p): p.threshold
        case .softLIF: 1
        }
    }

    /// True when the model emits binary spikes (all but soft-LIF).
    public var isSpiking: Bool { if case .softLIF = self { false } else { true } }
}

/// State of one neuron layer for a batch; every array is (B, N), allocated once.
public struct NeuronState: Equatable, Sendable {
    /// Membrane potential after the step's reset, v[t].
    public var membrane: [Float]
    /// Output of the step: spikes s[t] in {0, 1} (rate r·dt for soft-LIF).
    public var output: [Float]
    /// Second state variable: synaptic current (CubaLIF), adaptation current (adaptive LIF),
    /// remaining refractory steps (LIF); unused otherwise.
    public var auxiliary: [Float]

    /// Zero state for `count` = B·N neurons.
    public init(count: Int) {
        membrane = Array(repeating: 0, count: count)
        output = Array(repeating: 0, count: count)
        auxiliary = Array(repeating: 0, count: count)
    }

    /// Sets every variable back to zero without reallocating.
    public mutating func reset() {
        for i in membrane.indices { membrane[i] = 0; output[i] = 0; auxiliary[i] = 0 }
    }
}

@inline(__always)
private func applyReset(_ u: Float, _ s: Float, _ theta: Float, _ mode: ResetMode) -> Float {
    switch mode {
    case .zero: return u * (1 - s)
    case .subtract: return u - theta * s
    case .none: return u
    }
}

extension NeuronModel {
    /// Advances every neuron of `state` one step under input current `current` (B·N values).
    ///
    /// IF:            u = v[t−1] + I[t]
    /// LIF:           u = β·v[t−1] + I[t]      (held, input ignored, while refractory r > 0)
    /// CubaLIF:       i[t] = α·i[t−1] + I[t];  u = β·v[t−1] + i[t]
    /// adaptive LIF:  u = β·v[t−1] + I[t] − a[t−1];  a[t] = ρ·a[t−1] + κ·s[t]
    /// then for the spiking models:  s[t] = H(u − θ),  v[t] = reset(u, s[t]):
    ///     zero: u·(1 − s);  subtract: u − θ·s;  none: u
    /// soft-LIF:      v[t] = I[t] (the current j),  out[t] = r(j)·dt (see `SoftLIFParameters.rate`)
    ///
    /// Allocates nothing; the loops are written so the compiler vectorises them.
    public func step(_ state: inout NeuronState, current: UnsafeBufferPointer<Float>) {
        let n = state.membrane.count
        precondition(current.count >= n, "current has \(current.count) values, layer state \(n)")
        state.membrane.withUnsafeMutableBufferPointer { v in
        state.output.withUnsafeMutableBufferPointer { s in
        state.auxiliary.withUnsafeMutableBufferPointer { a in
            switch self {
            case .integrateAndFire(let p):
                let th = p.threshold
                for k in 0..<n {
                    let u = v[k] + current[k]
                    let sk: Float = u >= th ? 1 : 0
                    s[k] = sk
                    v[k] = applyReset(u, sk, th, p.reset)
                }
            case .lif(let p):
                let th = p.threshold, beta = p.beta
                if p.refractorySteps == 0 {
                    for k in 0..<n {
                        let u = beta * v[k] + current[k]
                        let sk: Float = u >= th ? 1 : 0
                        s[k] = sk
                        v[k] = applyReset(u, sk, th, p.reset)
                    }
                } else {
                    let refr = Float(p.refractorySteps)
                    for k in 0..<n {
                        if a[k] > 0 {               // refractory: hold v, ignore input
                            a[k] -= 1
                            s[k] = 0
                            continue
                        }
                        let u = beta * v[k] + current[k]
                        let sk: Float = u >= th ? 1 : 0
                        s[k] = sk
                        v[k] = applyReset(u, sk, th, p.reset)
                        a[k] = sk * refr
                    }
                }
            case .cubaLIF(let p):
                let th = p.threshold, alpha = p.alpha, beta = p.beta
                for k in 0..<n {
                    let i = alpha * a[k] + current[k]
                    a[k] = i
                    let u = beta * v[k] + i
                    let sk: Float = u >= th ? 1 : 0
                    s[k] = sk
                    v[k] = applyReset(u, sk, th, p.reset)
                }
            case .adaptiveLIF(let p):
                let th = p.threshold, beta = p.beta, rho = p.rho, kappa = p.kappa
                for k in 0..<n {
                    let u = beta * v[k] + current[k] - a[k]
                    let sk: Float = u >= th ? 1 : 0
                    s[k] = sk
                    v[k] = applyReset(u, sk, th, p.reset)
                    a[k] = rho * a[k] + kappa * sk
                }
            case .softLIF(let p):
                for k in 0..<n {
                    v[k] = current[k]
                    s[k] = p.rate(current[k]) * p.dt
                }
            }
        }}}
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
