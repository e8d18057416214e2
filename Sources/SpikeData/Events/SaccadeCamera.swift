// A simulated event camera that makes N-MNIST-like recordings from still images.
import Foundation
import SpikeCore

/// Turns a still image into an event recording the way N-MNIST was recorded (Orchard et al. 2015,
/// "Converting static image datasets to spiking neuromorphic datasets using saccades"): a camera
/// makes three saccades over the image, so the image moves along a triangle with corners (0, 0),
/// (a, a), (−a, a) and back to (0, 0) (x right, y down; a = `amplitude` px) in `microSteps`
/// equal micro-steps, a third per leg.
///
/// At micro-step k the pixel (x, y) sees I_k = the image at (x − dx_k, y − dy_k), sampled
/// bilinearly (0 outside the image; a multi-channel image is first averaged to grey), with
/// I in [0, 1]. Each pixel keeps a reference level, L = ln(I + `logOffset`) at k = 0; when
/// |L_k − ref| ≥ θ_p it emits n = ⌊|L_k − ref| / θ_p⌋ events of the sign of the change (ON when
/// brighter) and moves ref by n·θ_p towards L_k. Micro-step k spans ((k−1)·Δ, k·Δ] µs with
/// Δ = `durationUs` / `microSteps`; the j-th of its n events is stamped where the log intensity,
/// taken as linear over the step from L_{k−1} to L_k, crosses ref ± j·θ_p (µs, rounded down).
/// Events are ordered by (t, y, x).
///
/// θ_p = `threshold`·(1 + `thresholdSigma`·N(0, 1)), at least 0.01, drawn per pixel from
/// `Rng(seed: seed).derived(sample index)` (real sensors' thresholds differ pixel to pixel; v2e
/// uses a mismatch of about 3 %, Hu et al. 2021). The same image, index and seed give the same
/// events on every run. The sensor has the image's size: what moves out of it is not seen.
public struct SaccadeCamera: Equatable, Sendable {
    /// Saccade amplitude a in pixels (N-MNIST: about 2 px at 28x28).
    public var amplitude: Float = 2
    /// Micro-steps over the three saccades, a multiple of 3.
    public var microSteps: Int = 24
    /// Contrast threshold θ in log intensity.
    public var threshold: Float = 0.15
    /// Relative standard deviation of the per-pixel threshold (0: every pixel at θ).
    public var thresholdSigma: Float = 0.03
    /// ε in ln(I + ε): keeps dark pixels from firing on the smallest change.
    public var logOffset: Float = 0.05
    /// Length of the recording in µs (N-MNIST: three saccades of about 100 ms).
    public var durationUs: Int64 = 300_000
    /// Seed of the per-pixel thresholds.
    public var seed: UInt64 = 0

    /// The default camera (every parameter as documented).
    public init() {}

    /// What is wrong with the parameters, naming the parameter and what it needs; nil when all is well.
    public func problem() -> String? {
        if !(amplitude >= 0 && amplitude <= 16) { return "amplitude must be in 0...16 px, found \(amplitude)" }
        if microSteps < 3 || microSteps % 3 != 0 || microSteps > 3000 {
            return "micro_steps must be a multiple of 3 in 3...3000, found \(microSteps)"
        }
        if !(threshold > 0.001 && threshold < 10) { return "threshold must be in (0.001, 10) (log intensity), found \(threshold)" }
        if !(thresholdSigma >= 0 && thresholdSigma < 1) { return "threshold_sigma must be in [0, 1), found \(thresholdSigma)" }
        if !(logOffset > 0 && logOffset <= 1) { return "log_offset must be in (0, 1], found \(logOffset)" }
        if durationUs < Int64(microSteps) || durationUs > 1 << 31 {
            return "duration_us must be at least micro_steps and at most 2^31, found \(durationUs)"
        }
        return nil
    }

    /// The image's offset (dx, dy) at micro-step k in 0...microSteps.
    public func offset(at k: Int) -> (dx: Float, dy: Float) {
        let corners: [(Float, Float)] = [(0, 0), (amplitude, amplitude), (-amplitude, amplitude), (0, 0)]
        let leg = microSteps / 3, i = min(k / leg, 2), f = Float(k - i * leg) / Float(leg)
        let (a, b) = (corners[i], corners[i + 1])
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f)
    }

    /// The recording of an image of `shape` (C, H, W) whose values in [0, 1] are `pixels`; `index`
    /// picks the per-pixel thresholds.
    public func record(_ pixels: UnsafePointer<Float>, shape: [Int], index: Int) -> EventRecording {
        let (c, h, w) = (shape[0], shape[1], shape[2]), plane = h * w
        var grey = [Float](repeating: 0, count: plane)
        for ch in 0..<c { for p in 0..<plane { grey[p] += pixels[ch * plane + p] } }
        if c > 1 { for p in 0..<plane { grey[p] /= Float(c) } }
        var rng = Rng(seed: seed).derived(UInt64(index))
        let theta = (0..<plane).map { _ in max(0.01, threshold * (1 + thresholdSigma * rng.nextGaussian())) }
        func logImage(_ k: Int) -> [Float] {
            let (dx, dy) = offset(at: k)
            var out = [Float](repeating: 0, count: plane)
            for y in 0..<h {
                let sy = Float(y) - dy, y0 = Int(sy.rounded(.down)), fy = sy - Float(y0)
                for x in 0..<w {
                    let sx = Float(x) - dx, x0 = Int(sx.rounded(.down)), fx = sx - Float(x0)
                    func at(_ xx: Int, _ yy: Int) -> Float { xx >= 0 && xx < w && yy >= 0 && yy < h ? grey[yy * w + xx] : 0 }
                    let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                    let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                    out[y * w + x] = logf(min(max(top * (1 - fy) + bottom * fy, 0), 1) + logOffset)
                }
            }
            return out
        }
        var previous = logImage(0), reference = previous
        var events: [Event] = []
        let step = Double(durationUs) / Double(microSteps)
        for k in 1...microSteps {
            let now = logImage(k), start = Double(k - 1) * step, first = events.count
            for p in 0..<plane {
                let change = now[p] - reference[p], size = abs(change)
                guard size >= theta[p] else { continue }
                let n = Int(size / theta[p]), on = change > 0, moved = abs(now[p] - previous[p])
                for j in 1...n {
                    // Where the (linear) log intensity crosses ref ± j·θ within the step.
                    let crossed = moved > 0 ? min(1, Double(Float(j) * theta[p] - (size - moved)) / Double(moved)) : 1
                    let t = Int64(start + step * max(0, crossed))
                    events.append(Event(t: t, x: p % w, y: p / w, on: on))
                }
                reference[p] += (on ? 1 : -1) * Float(n) * theta[p]
            }
            events[first...].sort { ($0.t, $0.y, $0.x) < ($1.t, $1.y, $1.x) }
            previous = now
        }
        return EventRecording(width: w, height: h, events: events)
    }
}
