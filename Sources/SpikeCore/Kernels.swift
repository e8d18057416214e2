// Forward kernels of the layers, shared by the simulator and the trainer. Dimension letters:
// B batch, I inputs, O outputs, C channels in, H/W input height/width, P/Q output height/width,
// K kernel size. Dense products go through OpenBLAS (cblas_sgemm); nothing here allocates.
import CBLAS

/// Layer kernels on raw buffers.
public enum Kernels {
    /// out (B, O) = x (B, I) · Wᵀ + b, with W (O, I) row-major (PyTorch layout); b may be empty.
    public static func dense(x: UnsafePointer<Float>, batch: Int, inputs: Int, weight: UnsafePointer<Float>,
                             bias: UnsafeBufferPointer<Float>, outputs: Int, out: UnsafeMutablePointer<Float>) {
        var beta: Float = 0
        if bias.count == outputs {
            for b in 0..<batch { (out + b * outputs).update(from: bias.baseAddress!, count: outputs) }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(outputs), Int32(inputs),
                    1, x, Int32(inputs), weight, Int32(inputs), beta, out, Int32(outputs))
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

    /// Unfolds one sample x (C, H, W) into cols (C·K·K, P·Q) for a convolution as a product.
    public static func im2col(x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, kernel: Int,
                              stride: Int, padding: Int, outHeight: Int, outWidth: Int,
                              cols: UnsafeMutablePointer<Float>) {
        let pq = outHeight * outWidth
        for c in 0..<channels {
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let row = cols + ((c * kernel + ky) * kernel + kx) * pq
                    for p in 0..<outHeight {
                        let y = p * stride - padding + ky
                        let dst = row + p * outWidth
                        if y < 0 || y >= height {
                            dst.update(repeating: 0, count: outWidth); continue
                        }
                        let src = x + (c * height + y) * width
                        for q in 0..<outWidth {
                            let xx = q * stride - padding + kx
                            dst[q] = (xx >= 0 && xx < width) ? src[xx] : 0
                        }
                    }
                }
            }
        }
    }

    /// out (B, O, P, Q) = conv(x (B, C, H, W), W (O, C, K, K)) + b, through im2col and sgemm;
    /// `cols` is scratch of C·K·K·P·Q floats.
    public static func conv2d(x: UnsafePointer<Float>, batch: Int, channels: Int, height: Int, width: Int,
                              weight: UnsafePointer<Float>, bias: UnsafeBufferPointer<Float>, outChannels: Int,
                              kernel: Int, stride: Int, padding: Int, outHeight: Int, outWidth: Int,
                              cols: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let ckk = channels * kernel * kernel, pq = outHeight * outWidth
        for b in 0..<batch {
            im2col(x: x + b * channels * height * width, channels: channels, height: height, width: width,
                   kernel: kernel, stride: stride, padding: padding, outHeight: outHeight, outWidth: outWidth,
                   cols: cols)
            let o = out + b * outChannels * pq
            var beta: Float = 0
            if bias.count == outChannels {
                for oc in 0..<outChannels { (o + oc * pq).update(repeating: bias[oc], count: pq) }
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(pq), Int32(ckk),
                        1, weight, Int32(ckk), cols, Int32(pq), beta, o, Int32(pq))
        }
    }

    /// The three pooling reductions over k×k windows with stride k.
    public enum Pool: Sendable { case average, sum, max }

    /// out (B, C, H/k, W/k) = pool(x (B, C, H, W)); rows and columns past the last whole window are dropped.
    public static func pool(_ kind: Pool, x: UnsafePointer<Float>, batch: Int, channels: Int, height: Int,
                            width: Int, kernel k: Int, out: UnsafeMutablePointer<Float>) {
        let ph = height / k, pw = width / k
        let scale: Float = kind == .average ? 1 / Float(k * k) : 1
        for bc in 0..<(batch * channels) {
            let src = x + bc * height * width, dst = out + bc * ph * pw
            for p in 0..<ph {
                for q in 0..<pw {
                    var acc: Float = kind == .max ? -.infinity : 0
                    for dy in 0..<k {
                        let row = src + (p * k + dy) * width + q * k
                        for dx in 0..<k {
                            acc = kind == .max ? Swift.max(acc, row[dx]) : acc + row[dx]
                        }
                    }
                    dst[p * pw + q] = acc * scale
                }
            }
        }
    }

    /// out = γ·(x − μ)/√(σ² + ε) + β per channel, x and out (B, C, S) with S = H·W (in place allowed).
    public static func batchNormInference(x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                          gamma: [Float], beta: [Float], mean: [Float], variance: [Float],
                                          epsilon: Float, out: UnsafeMutablePointer<Float>) {
        for b in 0..<batch {
            for c in 0..<channels {
                let s = gamma[c] / (variance[c] + epsilon).squareRoot()
                let shift = beta[c] - s * mean[c]
                let base = (b * channels + c) * spatial
                for k in 0..<spatial { out[base + k] = s * x[base + k] + shift }
            }
        }
    }

    /// out (B, O) += s (B, O) · Rᵀ for the recurrent feedback, R (O, O).
    public static func recurrent(spikes: UnsafePointer<Float>, batch: Int, neurons: Int,
                                 weight: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(neurons), Int32(neurons),
                    1, spikes, Int32(neurons), weight, Int32(neurons), 1, out, Int32(neurons))
    }
}
