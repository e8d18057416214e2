// Forward kernels of the layers and the encoders, written once for the simulator and the
// trainer, generic over the number type. Dimension letters: B batch (or rows: samples × steps),
// I inputs, O outputs, C channels in, H/W input height/width, P/Q output height/width, K kernel
// size, F input features. Dense products go through OpenBLAS; nothing here allocates.
import CSpikeKernels

/// Layer kernels on raw buffers.
public enum Kernels {
    /// out (B, O) = x (B, I) · Wᵀ + b, with W (O, I) row-major (PyTorch layout); b may be nil.
    @inlinable
    public static func dense<S: SpikeScalar>(x: UnsafePointer<S>, batch: Int, inputs: Int, weight: UnsafePointer<S>,
                                             bias: UnsafePointer<S>?, outputs: Int, out: UnsafeMutablePointer<S>) {
        var beta: S = 0
        if let bias {
            for b in 0..<batch { (out + b * outputs).update(from: bias, count: outputs) }
            beta = 1
        }
        S.gemm(transA: false, transB: true, m: batch, n: outputs, k: inputs, alpha: 1, a: x, lda: inputs,
               b: weight, ldb: inputs, beta: beta, c: out, ldc: outputs)
    }

    /// out (O) += Σ_i x[i]·Wt[i, :] over the nonzero x[i] only, Wt (I, O) = Wᵀ: event-driven
    /// accumulation for one sample whose input is mostly zeros (spikes).
    public static func denseEvents(x: UnsafePointer<Float>, inputs: Int, weightT: UnsafePointer<Float>,
                                   outputs: Int, out: UnsafeMutablePointer<Float>) {
        for i in 0..<inputs {
            let xi = x[i]
            if xi == 0 { continue }
            let row = weightT + i * outputs
            if xi == 1 {
                for o in 0..<outputs { out[o] += row[o] }
            } else {
                for o in 0..<outputs { out[o] += xi * row[o] }
            }
        }
    }

    /// out (B, O) += Σ_i x[b, i]·W[:, i] over the nonzero x[b, i] only, W packed by `packEvents`:
    /// the event-driven product of a batch of spike inputs, in tiles that stay in the L1 cache
    /// (CSpikeKernels; each output's terms in increasing i, one fused multiply-add each).
    public static func denseEvents(x: UnsafePointer<Float>, batch: Int, inputs: Int, packed: UnsafePointer<Float>,
                                   outputs: Int, out: UnsafeMutablePointer<Float>) {
        spk_dense_events_batch(x, batch, inputs, packed, outputs, out)
    }

    /// Floats `packEvents` writes for a layer of I inputs and O outputs.
    public static func packedEventsCount(inputs: Int, outputs: Int) -> Int { spk_events_packed_count(inputs, outputs) }

    /// Packs W (O, I) (PyTorch's layout) for `denseEvents(x:batch:...)`.
    public static func packEvents(weight: UnsafePointer<Float>, inputs: Int, outputs: Int, packed: UnsafeMutablePointer<Float>) {
        spk_events_pack(weight, inputs, outputs, packed)
    }

    /// Number of nonzero values in x[0..<n] (vectorised; spikes make a branch per value mispredict).
    public static func countNonzero(_ x: UnsafePointer<Float>, _ n: Int) -> Int { spk_count_nonzero(x, n) }

    /// Whether this CPU runs the batched event product fast (AVX-512); else dense products stay on OpenBLAS.
    public static let eventsFast = spk_events_fast() != 0

    /// Batched event products replace the dense product below this fraction of nonzero inputs
    /// (measured: `spikescope bench events` prints both sides of the crossover).
    public static let eventsDensityLimit = 0.6

    /// out (B, O) += s (B, O) · Rᵀ: the recurrent feedback of last step's spikes, R (O, O).
    @inlinable
    public static func recurrent<S: SpikeScalar>(spikes: UnsafePointer<S>, batch: Int, neurons: Int,
                                                 weight: UnsafePointer<S>, out: UnsafeMutablePointer<S>) {
        S.gemm(transA: false, transB: true, m: batch, n: neurons, k: neurons, alpha: 1, a: spikes, lda: neurons,
               b: weight, ldb: neurons, beta: 1, c: out, ldc: neurons)
    }

    /// At stride 1 the output columns q that read inside the row form one run,
    /// q ∈ [pad − kx, w + pad − kx) ∩ [0, pw): used by im2col and by its adjoint in the trainer.
    @inlinable @inline(__always)
    public static func validRun(width w: Int, padding pad: Int, kx: Int, outWidth pw: Int) -> (lo: Int, hi: Int) {
        let lo = min(max(pad - kx, 0), pw)
        return (lo, max(min(w + pad - kx, pw), lo))
    }

    /// Unfolds one sample x (C, H, W) into cols (C·Kh·Kw, P·Q) whose rows lie `ld` values apart
    /// (ld = P·Q for one sample; G·P·Q when G samples are unfolded side by side).
    @inlinable
    public static func im2col<S: SpikeScalar>(x: UnsafePointer<S>, channels: Int, height h: Int, width w: Int,
                                              _ g: ConvGeometry, outHeight ph: Int,
                                              outWidth pw: Int, cols: UnsafeMutablePointer<S>, ld: Int) {
        let stride = g.strideX, pad = g.padX
        for c in 0..<channels {
            for ky in 0..<g.kernelY {
                for kx in 0..<g.kernelX {
                    let row = cols + ((c * g.kernelY + ky) * g.kernelX + kx) * ld
                    let (lo, hi) = stride == 1 ? validRun(width: w, padding: pad, kx: kx, outWidth: pw) : (0, 0)
                    for p in 0..<ph {
                        let y = p * g.strideY - g.padY + ky, dst = row + p * pw
                        if y < 0 || y >= h { dst.update(repeating: 0, count: pw); continue }
                        let src = x + (c * h + y) * w
                        if stride == 1 {
                            if lo > 0 { dst.update(repeating: 0, count: lo) }
                            if hi > lo { (dst + lo).update(from: src + (lo - pad + kx), count: hi - lo) }
                            if pw > hi { (dst + hi).update(repeating: 0, count: pw - hi) }
                            continue
                        }
                        for q in 0..<pw {
                            let xx = q * stride - pad + kx
                            dst[q] = (xx >= 0 && xx < w) ? src[xx] : 0
                        }
                    }
                }
            }
        }
    }

    /// out (B, O, P, Q) = conv(x (B, C, H, W), W (O, C, Kh, Kw)) + b, one sample at a time through
    /// im2col and a product; `cols` is scratch of C·Kh·Kw·P·Q values. Conv2d and conv1d (on
    /// (C, 1, L), a 1×K kernel) share it through their `ConvGeometry`.
    @inlinable
    public static func conv<S: SpikeScalar>(x: UnsafePointer<S>, batch: Int, channels: Int, height: Int, width: Int,
                                            weight: UnsafePointer<S>, bias: UnsafePointer<S>?, _ g: ConvGeometry,
                                            outHeight: Int, outWidth: Int,
                                            cols: UnsafeMutablePointer<S>, out: UnsafeMutablePointer<S>) {
        let outChannels = g.outChannels
        let ckk = channels * g.kernelY * g.kernelX, pq = outHeight * outWidth
        for b in 0..<batch {
            im2col(x: x + b * channels * height * width, channels: channels, height: height, width: width,
                   g, outHeight: outHeight, outWidth: outWidth, cols: cols, ld: pq)
            let o = out + b * outChannels * pq
            var beta: S = 0
            if let bias {
                for oc in 0..<outChannels { (o + oc * pq).update(repeating: bias[oc], count: pq) }
                beta = 1
            }
            S.gemm(transA: false, transB: false, m: outChannels, n: pq, k: ckk, alpha: 1, a: weight, lda: ckk,
                   b: cols, ldb: pq, beta: beta, c: o, ldc: pq)
        }
    }

    /// The three pooling reductions over k×k windows with stride k.
    public enum Pool: Sendable {
        case average, sum, max
        /// The reduction of a pooling layer kind, nil for other kinds.
        public init?(_ kind: LayerKind) {
            switch kind {
            case .avgPool2d: self = .average
            case .sumPool2d: self = .sum
            case .maxPool2d: self = .max
            default: return nil
            }
        }
    }

    /// out (B, C, H/k, W/k) = pool(x (B, C, H, W)); rows and columns past the last whole window
    /// are dropped. average: Σ/k²; sum: Σ; max: the largest value of the window.
    @inlinable
    public static func pool<S: SpikeScalar>(_ kind: Pool, x: UnsafePointer<S>, batch: Int, channels: Int, height: Int,
                                            width: Int, kernel k: Int, out: UnsafeMutablePointer<S>) {
        let ph = height / k, pw = width / k
        let scale: S = kind == .average ? 1 / S(k * k) : 1
        if k == 2 && kind != .max {             // the common case, in the general loop's order of sums
            for bc in 0..<(batch * channels) {
                let src = x + bc * height * width, dst = out + bc * ph * pw
                for p in 0..<ph {
                    let r0 = src + 2 * p * width, r1 = r0 + width, d = dst + p * pw
                    for q in 0..<pw { d[q] = (((r0[2 * q] + r0[2 * q + 1]) + r1[2 * q]) + r1[2 * q + 1]) * scale }
                }
            }
            return
        }
        for bc in 0..<(batch * channels) {
            let src = x + bc * height * width, dst = out + bc * ph * pw
            for p in 0..<ph {
                for q in 0..<pw {
                    var acc: S
                    if kind == .max {
                        acc = -S.infinity
                        for dy in 0..<k {
                            let row = src + (p * k + dy) * width + q * k
                            for dx in 0..<k { acc = Swift.max(acc, row[dx]) }
                        }
                    } else {
                        acc = 0
                        for dy in 0..<k {
                            let row = src + (p * k + dy) * width + q * k
                            for dx in 0..<k { acc += row[dx] }
                        }
                    }
                    dst[p * pw + q] = acc * scale
                }
            }
        }
    }

    /// Σ x[k] for k < n, in eight interleaved partial sums: a plain `s += x[k]` loop cannot
    /// vectorise (floating-point addition is not reassociated), this one does; the order is
    /// fixed, so the result is the same on every run.
    @inlinable
    public static func sum<S: SpikeScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S {
        var acc = SIMD8<S>(), k = 0
        let raw = UnsafeRawPointer(x), w = MemoryLayout<S>.stride
        while k + 8 <= n { acc += raw.loadUnaligned(fromByteOffset: k * w, as: SIMD8<S>.self); k += 8 }
        var s = acc.sum()
        while k < n { s += x[k]; k += 1 }
        return s
    }

    /// Σ (x[k] − c)² for k < n, as `sum` orders it.
    @inlinable
    public static func sumOfSquares<S: SpikeScalar>(_ x: UnsafePointer<S>, _ n: Int, around c: S) -> S {
        var acc = SIMD8<S>(), k = 0
        let raw = UnsafeRawPointer(x), w = MemoryLayout<S>.stride, cv = SIMD8<S>(repeating: c)
        while k + 8 <= n {
            let d = raw.loadUnaligned(fromByteOffset: k * w, as: SIMD8<S>.self) - cv
            acc += d * d; k += 8
        }
        var s = acc.sum()
        while k < n { let d = x[k] - c; s += d * d; k += 1 }
        return s
    }

    /// (Σ x[k], Σ x[k]·y[k]) for k < n, as `sum` orders it.
    @inlinable
    public static func sumAndDot<S: SpikeScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int) -> (S, S) {
        var a = SIMD8<S>(), b = SIMD8<S>(), k = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y), w = MemoryLayout<S>.stride
        while k + 8 <= n {
            let xv = rx.loadUnaligned(fromByteOffset: k * w, as: SIMD8<S>.self)
            a += xv; b += xv * ry.loadUnaligned(fromByteOffset: k * w, as: SIMD8<S>.self); k += 8
        }
        var s = a.sum(), d = b.sum()
        while k < n { s += x[k]; d += x[k] * y[k]; k += 1 }
        return (s, d)
    }

    /// out = γ·(x − μ)/√(σ² + ε) + β per channel, x and out (B, C, S) with S = H·W (in place
    /// allowed): batch norm with running statistics.
    @inlinable
    public static func batchNormInference<S: SpikeScalar>(x: UnsafePointer<S>, batch: Int, channels: Int, spatial: Int,
                                                           gamma: UnsafePointer<S>, beta: UnsafePointer<S>,
                                                           mean: UnsafePointer<S>, variance: UnsafePointer<S>,
                                                           epsilon: S, out: UnsafeMutablePointer<S>) {
        for b in 0..<batch {
            for c in 0..<channels {
                let s = gamma[c] / (variance[c] + epsilon).squareRoot()
                let shift = beta[c] - s * mean[c]
                let base = (b * channels + c) * spatial
                for k in 0..<spatial { out[base + k] = s * x[base + k] + shift }
            }
        }
    }
}

extension Encoder {
    /// Encodes step `t` (0-based, of `timesteps`) of B samples into out (B, F):
    ///
    ///     direct:  x
    ///     rate:    Bernoulli(clamp(gain·x, 0, 1)), one draw per value in order
    ///     latency: 1 at step round((1 − clamp(x, 0, 1))·(T − 1)) where x >= threshold, else 0
    ///     frames:  frame t of each sample (0 past the last frame)
    ///
    /// `samples` holds (B, F) values, or for frames B·T·F values where frame t of sample b starts
    /// at `frameOffset(b, t)`.
    @inlinable
    public func encode<S: SpikeScalar>(step t: Int, timesteps: Int, samples: UnsafePointer<Float>, batch: Int,
                                       features f: Int, rng: inout Rng, frameOffset: (Int, Int) -> Int,
                                       out: UnsafeMutablePointer<S>) {
        let n = batch * f
        switch self {
        case .direct:
            for k in 0..<n { out[k] = S(samples[k]) }
        case .rate(let gain):
            for k in 0..<n {
                let p = min(max(gain * samples[k], 0), 1)
                out[k] = rng.nextFloat() < p ? 1 : 0
            }
        case .latency(let threshold):
            let span = Float(timesteps - 1), k0 = Float(t)
            for k in 0..<n {
                let x = min(max(samples[k], 0), 1)
                out[k] = (x >= threshold && ((1 - x) * span).rounded() == k0) ? 1 : 0
            }
        case .frames:
            guard t < timesteps else { out.update(repeating: 0, count: n); return }
            for b in 0..<batch {
                let src = samples + frameOffset(b, t), dst = out + b * f
                for k in 0..<f { dst[k] = S(src[k]) }
            }
        }
    }
}
