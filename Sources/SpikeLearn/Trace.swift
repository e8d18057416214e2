// Spike traces: the decaying memory of recent spikes that local learning rules pair against.
import Foundation

/// How a trace forgets and how a spike marks it; written once for every rule.
///
/// Each step of length dt, before or after the step's spikes are paired (the rule says which):
///
///     decay:  exponential  x ← x·exp(−dt/τ)      (the exact solution of dx/dt = −x/τ)
///             euler        x ← x·(1 − dt/τ)      (SpikingJelly's per-step update)
///     spike:  additive     x ← x + 1             (all-to-all pairing)
///             nearest      x ← 1                 (nearest-spike pairing)
public struct TraceKind: Equatable, Sendable {
    /// How the trace decays between steps.
    public enum Decay: String, Equatable, Sendable, CaseIterable { case exponential, euler }
    /// What a spike does to the trace.
    public enum Mark: String, Equatable, Sendable, CaseIterable { case additive, nearest }

    public var decay: Decay
    public var mark: Mark
    /// Creates a trace kind (default: exponential decay, additive marks).
    public init(decay: Decay = .exponential, mark: Mark = .additive) { self.decay = decay; self.mark = mark }

    /// The factor a trace of time constant τ keeps over a step dt.
    public func keep(dt: Float, tau: Float) -> Float {
        decay == .exponential ? Float(exp(-Double(dt) / Double(tau))) : 1 - dt / tau
    }

    /// Decays `x` by `keep`, then marks the entries whose `spikes` are > 0.
    public func advance(_ x: inout [Float], keep: Float, spikes: UnsafeBufferPointer<Float>) {
        for i in x.indices {
            x[i] *= keep
            if spikes[i] > 0 { x[i] = mark == .additive ? x[i] + 1 : 1 }
        }
    }
}

/// Weights of a dense connection as the engine stores them: (post, pre) row-major, w[i·pre + j]
/// from input j to neuron i.
public typealias DenseWeights = [Float]
