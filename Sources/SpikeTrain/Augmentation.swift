// Seeded input augmentation for image samples (C, H, W), applied to training batches only.
import SpikeCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A random affine warp per training sample, resampled bilinearly with zero outside the image.
///
/// For output pixel (y, x) with centre c = ((H−1)/2, (W−1)/2), the source point is
///     p = R(−θ)·((y, x) − c)/s + c + (dy, dx),
/// θ ~ U(−rotation, rotation) radians, s ~ 1 + U(−scale, scale), dy, dx ~ U(−shift, shift) pixels.
/// Every draw comes from the trainer's seeded `Rng`, so runs repeat exactly.
public struct Augmentation: Equatable, Sendable {
    /// Largest shift in pixels.
    public var shift: Double
    /// Largest rotation in radians.
    public var rotation: Double
    /// Largest relative change of scale.
    public var scale: Double
    /// Creates a warp range; all zero leaves the samples unchanged.
    public init(shift: Double = 0.5, rotation: Double = 0.1, scale: Double = 0.1) {
        self.shift = shift; self.rotation = rotation; self.scale = scale
    }

    /// Warps every sample of `images` (B, C, H, W) in place.
    func apply(_ images: inout [Float], shape: FeatureShape, rng: inout Rng) {
        let c = shape.channels, h = shape.height, w = shape.width, plane = h * w
        let count = images.count / max(c * plane, 1)
        var src = [Float](repeating: 0, count: c * plane)
        let cy = Float(h - 1) / 2, cx = Float(w - 1) / 2
        func uniform(_ r: Double) -> Float { Float(r) * (2 * rng.nextFloat() - 1) }
        for b in 0..<count {
            let base = b * c * plane
            for k in 0..<(c * plane) { src[k] = images[base + k] }
            let theta = uniform(rotation), s = 1 + uniform(scale), dy = uniform(shift), dx = uniform(shift)
            let cosT = cosf(theta), sinT = sinf(theta)
            for y in 0..<h {
                for x in 0..<w {
                    let ry = Float(y) - cy, rx = Float(x) - cx
                    let sy = (cosT * ry + sinT * rx) / s + cy + dy
                    let sx = (-sinT * ry + cosT * rx) / s + cx + dx
                    let y0 = Int(floorf(sy)), x0 = Int(floorf(sx))
                    let fy = sy - Float(y0), fx = sx - Float(x0)
                    for ch in 0..<c {
                        func at(_ yy: Int, _ xx: Int) -> Float {
                            (yy >= 0 && yy < h && xx >= 0 && xx < w) ? src[ch * plane + yy * w + xx] : 0
                        }
                        let v = at(y0, x0) * (1 - fy) * (1 - fx) + at(y0 + 1, x0) * fy * (1 - fx)
                            + at(y0, x0 + 1) * (1 - fy) * fx + at(y0 + 1, x0 + 1) * fy * fx
                        images[base + ch * plane + y * w + x] = v
                    }
                }
            }
        }
    }
}
