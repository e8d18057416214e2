import Foundation
import SpikeCore

/// NIR's continuous-time neurons as the engine's per-step ones, and back: the one place where dt
/// meets the equations. Forward Euler with step dt, as snnTorch, Norse and NIR's reference
/// simulations discretise (snnTorch exports τ = dt/(1 − β) and r = τ/dt, which this maps back to β
/// and an input gain of 1 exactly):
///
///     LIF      τ·dv/dt = (v_leak − v) + r·I       β = 1 − dt/τ,  gain = r·dt/τ,  drive = v_leak·dt/τ
///     LI       the same without spikes              (engine `li`)
///     IF       dv/dt = r·I                           gain = r·dt     (engine `if`)
///     I        dv/dt = r·I                           gain = r·dt     (engine `integrator`)
///     CubaLIF  τ_syn·dI/dt = −I + w_in·S,  τ_mem·dv/dt = (v_leak − v) + r·I
///              α = 1 − dt/τ_syn, β = 1 − dt/τ_mem, gain = w_in·(dt/τ_syn)·r·(dt/τ_mem); v_leak must be 0
///     CubaLI   CubaLIF without spikes                  (engine `cuba-li`; output the membrane)
///     Threshold  s = H(I − θ) each step              engine `lif` with β = 0, reset to zero
///
/// The engine's neurons have no input gain or leak drive: both are folded into the weights and
/// bias of the layer before the neurons (row i of W and b times gain_i, drive_i added to b_i). A
/// threshold that differs across neurons is folded the same way (gain, drive and θ divided by θ_i,
/// θ = 1: the same spikes for reset to zero and by subtraction). NIR resets to v_reset; it has no
/// reset by subtraction, which spikescope writes as the node metadata `reset_mode = "subtract"`
/// and reads back. A file without it resets to v_reset, which must be 0.
public struct NeuronMapping: Equatable, Sendable {
    /// The engine's neuron.
    public var neuron: NeuronModel
    /// Per-neuron factor on the row of weights (and the bias) that drives it.
    public var gain: [Float]
    /// Per-neuron constant added to the bias each step.
    public var drive: [Float]
    /// Notes for the user (folded thresholds, assumed resets).
    public var notes: [String] = []
}

public enum Discretisation {
    /// The engine neuron for NIR node `node` of `count` neurons at step `dt`; throws naming the
    /// node and field when the engine cannot run it exactly.
    public static func neuron(_ node: NIRNode, count n: Int, dt: Double, file: String) throws -> NeuronMapping {
        func field(_ name: String) throws -> [Double] {
            guard let (v, _) = node.numbers(name) else {
                throw NIRError(file: file, node: node.name, reason: "\(name): expected numbers")
            }
            if v.count == n { return v }
            if v.count == 1 { return Array(repeating: v[0], count: n) }
            throw NIRError(file: file, node: node.name, reason: "\(name): \(v.count) values for \(n) neurons")
        }
        func optional(_ name: String, _ fallback: Double) throws -> [Double] {
            node.fields[name] == nil ? Array(repeating: fallback, count: n) : try field(name)
        }
        func one(_ values: [Double], _ name: String) throws -> Double {
            guard let first = values.first else { return 0 }
            for v in values where abs(v - first) > 1e-6 * max(abs(first), 1e-12) {
                throw NIRError(file: file, node: node.name,
                    reason: "\(name) differs across neurons (\(first) and \(v)); the engine takes one per layer")
            }
            return first
        }
        func decay(_ tau: [Double], _ name: String) throws -> Float {
            let t = try one(tau, name)
            guard t.isFinite, t > 0 else { throw NIRError(file: file, node: node.name, reason: "\(name) = \(t): must be positive") }
            guard dt <= t else {
                throw NIRError(file: file, node: node.name,
                    reason: "\(name) = \(String(format: "%g", t)) s is shorter than dt = \(String(format: "%g", dt)) s: Euler steps would overshoot; pick a smaller --dt")
            }
            return Float(1 - dt / t)
        }
        func reset() throws -> (ResetMode, [String]) {
            if case .strings(let s, _)? = node.metadata["reset_mode"], s.first == "subtract" { return (.subtract, []) }
            let vReset = try optional("v_reset", 0)
            guard vReset.allSatisfy({ $0 == 0 }) else {
                throw NIRError(file: file, node: node.name,
                    reason: "v_reset = \(vReset.first { $0 != 0 } ?? 0): the engine resets to 0 (or by subtraction)")
            }
            return (.zero, node.fields["v_reset"] == nil ? ["\(node.name): no v_reset (an older file): reset to 0"] : [])
        }
        /// Folds per-neuron thresholds into the gain when they differ.
        func threshold(_ gain: inout [Double], _ drive: inout [Double]) throws -> (Float, [String]) {
            let th = try field("v_threshold")
            guard let first = th.first else { return (1, []) }
            if th.allSatisfy({ $0 == first }) { return (Float(first), []) }
            guard th.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw NIRError(file: file, node: node.name, reason: "v_threshold: per-neuron thresholds must be positive to fold")
            }
            for i in 0..<n { gain[i] /= th[i]; drive[i] /= th[i] }
            return (1, ["\(node.name): per-neuron thresholds folded into the weights (θ = 1)"])
        }
        let f = { (x: [Double]) in x.map { Float($0) } }
        switch node.type {
        case .lif:
            let tau = try field("tau"), r = try field("r"), leak = try field("v_leak")
            let beta = try decay(tau, "tau")
            var gain = (0..<n).map { r[$0] * dt / tau[$0] }, drive = (0..<n).map { leak[$0] * dt / tau[$0] }
            let (th, notes) = try threshold(&gain, &drive)
            let (mode, resetNotes) = try reset()
            return NeuronMapping(neuron: .lif(LIFParameters(beta: beta, threshold: th, reset: mode)), gain: f(gain), drive: f(drive),
                                 notes: notes + resetNotes)
        case .leakyIntegrator:
            let tau = try field("tau"), r = try field("r"), leak = try field("v_leak")
            let beta = try decay(tau, "tau")
            return NeuronMapping(neuron: .leakyIntegrator(LIParameters(beta: beta)),
                                 gain: f((0..<n).map { r[$0] * dt / tau[$0] }), drive: f((0..<n).map { leak[$0] * dt / tau[$0] }))
        case .integrateAndFire:
            let r = try field("r")
            var gain = r.map { $0 * dt }, drive = [Double](repeating: 0, count: n)
            let (th, notes) = try threshold(&gain, &drive)
            let (mode, resetNotes) = try reset()
            return NeuronMapping(neuron: .integrateAndFire(IFParameters(threshold: th, reset: mode)), gain: f(gain), drive: f(drive),
                                 notes: notes + resetNotes)
        case .integrator:
            return NeuronMapping(neuron: .integrator(IntegratorParameters()), gain: f(try field("r").map { $0 * dt }),
                                 drive: [Float](repeating: 0, count: n))
        case .cubaLIF:
            let tauSyn = try field("tau_syn"), tauMem = try field("tau_mem"), r = try field("r"), w = try field("w_in")
            let leak = try field("v_leak")
            guard leak.allSatisfy({ $0 == 0 }) else {
                throw NIRError(file: file, node: node.name, reason: "v_leak must be 0 for CubaLIF (the engine's synaptic current has no leak drive)")
            }
            let alpha = try decay(tauSyn, "tau_syn"), beta = try decay(tauMem, "tau_mem")
            var gain = (0..<n).map { w[$0] * dt / tauSyn[$0] * r[$0] * dt / tauMem[$0] }, drive = [Double](repeating: 0, count: n)
            let (th, notes) = try threshold(&gain, &drive)
            let (mode, resetNotes) = try reset()
            return NeuronMapping(neuron: .cubaLIF(CubaLIFParameters(alpha: alpha, beta: beta, threshold: th, reset: mode)),
                                 gain: f(gain), drive: f(drive), notes: notes + resetNotes)
        case .cubaLI:
            let tauSyn = try field("tau_syn"), tauMem = try field("tau_mem"), r = try field("r"), w = try field("w_in")
            guard try field("v_leak").allSatisfy({ $0 == 0 }) else {
                throw NIRError(file: file, node: node.name, reason: "v_leak must be 0 for CubaLI (the engine's synaptic current has no leak drive)")
            }
            let alpha = try decay(tauSyn, "tau_syn"), beta = try decay(tauMem, "tau_mem")
            return NeuronMapping(neuron: .cubaLI(CubaLIParameters(alpha: alpha, beta: beta)),
                                 gain: f((0..<n).map { w[$0] * dt / tauSyn[$0] * r[$0] * dt / tauMem[$0] }), drive: [Float](repeating: 0, count: n))
        case .threshold:
            let th = try one(try field("threshold"), "threshold")
            return NeuronMapping(neuron: .lif(LIFParameters(beta: 0, threshold: Float(th), reset: .zero)),
                                 gain: [Float](repeating: 1, count: n), drive: [Float](repeating: 0, count: n))
        default:
            throw NIRError(file: file, node: node.name, reason: "\(node.type.rawValue) is not a neuron")
        }
    }

    /// The NIR node (type, fields, metadata) for an engine neuron at step `dt`, with parameter
    /// arrays of `shape`; nil fields mean the neuron has no NIR form (the caller names it).
    public static func node(for neuron: NeuronModel, shape: [Int], dt: Double) -> (NIRNodeType, [String: HDF5Value], [String: HDF5Value])? {
        let n = shape.reduce(1, *)
        func array(_ x: Double) -> HDF5Value { .numbers([Double](repeating: x, count: n), shape: shape) }
        func resetMeta(_ mode: ResetMode) -> [String: HDF5Value]? {
            switch mode {
            case .zero: [:]
            case .subtract: ["reset_mode": .strings(["subtract"], shape: [])]
            case .none: nil
            }
        }
        switch neuron {
        case .lif(let p) where p.refractorySteps == 0 && p.beta < 1:
            guard let meta = resetMeta(p.reset) else { return nil }
            let tau = dt / (1 - Double(p.beta))
            return (.lif, ["tau": array(tau), "r": array(tau / dt), "v_leak": array(0), "v_threshold": array(Double(p.threshold)),
                           "v_reset": array(0)], meta)
        case .integrateAndFire(let p):
            guard let meta = resetMeta(p.reset) else { return nil }
            return (.integrateAndFire, ["r": array(1 / dt), "v_threshold": array(Double(p.threshold)), "v_reset": array(0)], meta)
        case .leakyIntegrator(let p) where p.beta < 1:
            let tau = dt / (1 - Double(p.beta))
            return (.leakyIntegrator, ["tau": array(tau), "r": array(tau / dt), "v_leak": array(0)], [:])
        case .integrator:
            return (.integrator, ["r": array(1 / dt)], [:])
        case .cubaLI(let p) where p.alpha < 1 && p.beta < 1:
            let tauSyn = dt / (1 - Double(p.alpha)), tauMem = dt / (1 - Double(p.beta))
            return (.cubaLI, ["tau_syn": array(tauSyn), "tau_mem": array(tauMem), "r": array(tauMem / dt), "w_in": array(tauSyn / dt),
                              "v_leak": array(0)], [:])
        case .cubaLIF(let p) where p.alpha < 1 && p.beta < 1:
            guard let meta = resetMeta(p.reset) else { return nil }
            let tauSyn = dt / (1 - Double(p.alpha)), tauMem = dt / (1 - Double(p.beta))
            return (.cubaLIF, ["tau_syn": array(tauSyn), "tau_mem": array(tauMem), "r": array(tauMem / dt), "w_in": array(tauSyn / dt),
                               "v_leak": array(0), "v_threshold": array(Double(p.threshold)), "v_reset": array(0)], meta)
        default:
            return nil
        }
    }
}
