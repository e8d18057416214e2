// The winner-take-all network Garg, Chakraborty & Rahimi 2022 train with VDSP.
import Foundation
import SpikeCore

/// The VDSP network of Garg et al. 2022 (Neuromorph. Comput. Eng. 3:014001) as their reference code
/// runs it (dt = 1 ms; membranes are unitless):
///
/// - Input: one leaky integrate-and-fire neuron per pixel, driven by its pixel and a bias:
///   V ← V·e^(−1/τ_in) + b + s·x (τ_in = 30 ms, b = 0.032, s = 0.00675, x in [0, 1]); it fires
///   above 1 and is reset to −1, so a neuron that fired recently sits below 0 and one charging
///   towards its next spike above 0: its membrane stands in for its spike timing.
/// - Output: N integrate-and-fire neurons, U ← U·e^(−1/τ_out) + Σ_j w_ji·[input j fired]
///   (τ_out = 60 ms), threshold 10. Winner-take-all: of the neurons above threshold only the one
///   with the largest U fires; it is reset to −1 and held 5 ms (refractory); every other output is
///   set to 0 and held 10 ms (lateral inhibition).
/// - Learning: when output i fires, each weight w_ji changes by `VDSP.change` with the membrane of
///   input j (lr = 0.001), then is clipped to [0, 1]. Weights start uniform in [0, 1] (seeded).
/// - A sample is shown for 350 ms; between samples 200 ms of silence decay the membranes (applied
///   in one step) and count down the holds; the state carries over to the next sample.
///
/// Read out by `ClassAssignment`; `testMatch` says how the network meets a sample with learning off
/// (`cosine`: every output's weights scaled to one L2 norm). Deterministic: no random draw after the initial weights.
public final class VDSPNetwork: UnsupervisedNetwork {
    /// Parameters; the defaults are the reference code's for MNIST.
    public struct Parameters: Equatable, Sendable {
        public var neurons = 100
        public var presentMs = 350, restMs = 200
        public var tauInput: Float = 30, inputBias: Float = 0.032, inputScale: Float = 0.00675
        public var tauOutput: Float = 60, threshold: Float = 10
        public var refractory = 5, inhibition = 10
        public var lr: Float = 0.001
        /// How samples are matched with learning off (`TestMatch`; default: as learned).
        public var testMatch = TestMatch()
        public init() {}

        /// Checks every value is usable; the error names the field by its learning-file key.
        public func validate() throws {
            func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Float) throws {
                if !ok || !value.isFinite { throw LearnParameterError(field: field, expected: expected, found: "\(value)") }
            }
            guard (1...10_000).contains(neurons) else { throw LearnParameterError(field: "neurons", expected: "an integer from 1 to 10000", found: "\(neurons)") }
            for (k, v, lo) in [("present_ms", presentMs, 1), ("rest_ms", restMs, 0), ("refractory", refractory, 0), ("inhibition", inhibition, 0)]
            where !(lo...1_000_000).contains(v) {
                throw LearnParameterError(field: k, expected: "a whole number of ms from \(lo) to 1000000", found: "\(v)")
            }
            try check(tauInput > 0, "tau_input", "a time constant above 0", tauInput)
            try check(tauOutput > 0, "tau_output", "a time constant above 0", tauOutput)
            try check(threshold > 0, "threshold", "above 0", threshold)
            try check(inputScale > 0, "input_scale", "above 0", inputScale)
            try check(inputBias >= 0, "input_bias", "0 or more", inputBias)
            try check(lr >= 0, "lr", "0 or more", lr)
            try testMatch.validate()
        }
    }

    public let parameters: Parameters
    public let inputs: Int
    public var neurons: Int { parameters.neurons }
    public private(set) var samples = 0
    public var presentations: Int { samples }
    /// Weights stored (inputs, neurons): an input spike adds one contiguous row.
    private var byInput: [Float]
    private var vIn: [Float], vOut: [Float], hold: [Int]
    private var fired: [Int] = []
    /// The weights of cosine matching (`TestMatch`), made at the first presentation after learning.
    private var matched: [Float]?

    public var weights: [Float] {
        let n = parameters.neurons
        var w = [Float](repeating: 0, count: n * inputs)
        for j in 0..<inputs { for i in 0..<n { w[i * inputs + j] = byInput[j * n + i] } }
        return w
    }

    /// A network for `inputs` inputs with weights drawn from `seed`.
    public init(_ parameters: Parameters = Parameters(), inputs: Int, seed: UInt64) {
        self.parameters = parameters; self.inputs = inputs
        var rng = Rng(seed: seed).derived(1)
        let n = parameters.neurons
        let drawn = (0..<(n * inputs)).map { _ in rng.nextFloat() }                    // (neurons, inputs), as drawn
        var t = [Float](repeating: 0, count: n * inputs)
        for i in 0..<n { for j in 0..<inputs { t[j * n + i] = drawn[i * inputs + j] } }
        byInput = t
        vIn = [Float](repeating: 0, count: inputs); vOut = [Float](repeating: 0, count: n); hold = [Int](repeating: 0, count: n)
    }

    @discardableResult
    public func present(_ pixels: [Float], learn: Bool) -> [Int] {
        let p = parameters, n = p.neurons
        if learn { matched = nil }
        // with cosine matching the scaled weights stand in for the learned ones over the presentation
        let cosine = !learn && p.testMatch.kind == .cosine
        if cosine {
            if matched == nil { matched = TestMatch.equalNorms(byInput, inputs: inputs, neurons: n, scale: p.testMatch.scale) }
            swap(&byInput, &matched!)
        }
        defer { if cosine { swap(&byInput, &matched!) } }
        var counts = [Int](repeating: 0, count: n)
        var vIn = [Float](), vOut = [Float](), hold = [Int](), w = [Float](), fired = [Int]()
        swap(&vIn, &self.vIn); swap(&vOut, &self.vOut); swap(&hold, &self.hold); swap(&w, &self.byInput); swap(&fired, &self.fired)
        defer { swap(&vIn, &self.vIn); swap(&vOut, &self.vOut); swap(&hold, &self.hold); swap(&w, &self.byInput); swap(&fired, &self.fired) }
        let kIn = expf(-1 / p.tauInput), kOut = expf(-1 / p.tauOutput)
        let drive = pixels.map { p.inputBias + p.inputScale * $0 }
        for _ in 0..<p.presentMs {
            for i in 0..<n where hold[i] > 0 { hold[i] -= 1 }
            fired.removeAll(keepingCapacity: true)
            for j in 0..<inputs {
                vIn[j] = vIn[j] * kIn + drive[j]
                if vIn[j] > 1 { vIn[j] = -1; fired.append(j) }
            }
            for i in 0..<n where hold[i] == 0 { vOut[i] *= kOut }
            w.withUnsafeBufferPointer { wp in
                guard let base = wp.baseAddress else { return }
                for j in fired { let row = base + j * n; for i in 0..<n where hold[i] == 0 { vOut[i] += row[i] } }
            }
            // winner-take-all: the largest membrane above threshold fires
            var winner = -1, best = p.threshold
            for i in 0..<n where vOut[i] > best { winner = i; best = vOut[i] }
            guard winner >= 0 else { continue }
            counts[winner] += 1
            if learn {
                for j in 0..<inputs {
                    let k = j * n + winner
                    w[k] = min(1, max(0, w[k] + VDSP.change(w[k], membrane: vIn[j], lr: p.lr)))
                }
            }
            for i in 0..<n { vOut[i] = 0; hold[i] = p.inhibition }
            vOut[winner] = -1; hold[winner] = p.refractory
        }
        // the silence between samples: membranes decay, holds count down
        let rest = Float(p.restMs)
        for j in 0..<inputs { vIn[j] *= powf(kIn, rest) }
        for i in 0..<n { vOut[i] *= powf(kOut, rest); hold[i] = max(0, hold[i] - p.restMs) }
        samples += 1
        return counts
    }

    public func state() -> (tensors: [String: Tensor], metadata: [String: String]) {
        let n = parameters.neurons
        return (["weights": Tensor(shape: [n, inputs], data: weights), "input_membranes": Tensor(shape: [inputs], data: vIn),
                 "output_membranes": Tensor(shape: [n], data: vOut), "holds": Tensor(shape: [n], data: hold.map(Float.init))],
                ["samples": String(samples)])
    }

    public func restore(tensors: [String: Tensor], metadata: [String: String]) throws {
        let n = parameters.neurons
        for (name, shape) in [("weights", [n, inputs]), ("input_membranes", [inputs]), ("output_membranes", [n]), ("holds", [n])] {
            guard let t = tensors[name], t.shape == shape, t.data.allSatisfy(\.isFinite) else {
                throw LearnParameterError(field: name, expected: "a \(shape) tensor of finite values", found: tensors[name].map { "\($0.shape)" } ?? "none")
            }
        }
        guard let done = metadata["samples"].flatMap(Int.init), done >= 0 else {
            throw LearnParameterError(field: "metadata", expected: "samples", found: "\(metadata.keys.sorted())")
        }
        let w = tensors["weights"]?.data ?? [], holds = tensors["holds"]?.data ?? []
        guard w.allSatisfy({ (0...1).contains($0) }), holds.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 && $0 == $0.rounded() }) else {
            throw LearnParameterError(field: "weights", expected: "weights in [0, 1] and whole holds", found: "a value outside")
        }
        for j in 0..<inputs { for i in 0..<n { byInput[j * n + i] = w[i * inputs + j] } }
        vIn = tensors["input_membranes"]?.data ?? vIn; vOut = tensors["output_membranes"]?.data ?? vOut
        hold = holds.map { Int($0) }; samples = done; matched = nil
    }
}
