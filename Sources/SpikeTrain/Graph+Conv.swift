// Convolution in training: the forward in chunks of rows (the engine's im2col and a product)
// beside its backward, optionally on two threads.

import Foundation
import SpikeCore

extension Graph {
    // MARK: - convolution, in chunks of rows, optionally on two threads

    /// Rows (samples × stored steps) unfolded together, so each product is (O, C·k·k)·(C·k·k, G·P·Q).
    static var convChunk: Int { 8 }

    /// y (rows, O, P, Q) = W·im2col(x) + b, G rows per product.
    func convForward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ rows: Int) {
        guard let geo = spec.layers[i].kind.convGeometry else { return }
        let o = geo.outChannels
        let (inShape, outShape) = shapes[i], lp = layers[i], y = cur[i].p
        let pq = outShape.height * outShape.width, ckk = inShape.channels * geo.taps
        let nIn = inShape.count, nOut = outShape.count, w = lp.weight!.value.p, bias = lp.bias?.value.p
        parallel(rows) { worker, range in
            let sc = convScratch[worker]
            for c0 in Swift.stride(from: range.lowerBound, to: range.upperBound, by: Graph.convChunk) {
                let g = min(Graph.convChunk, range.upperBound - c0), width = g * pq
                for j in 0..<g { im2col(x + (c0 + j) * nIn, inShape, geo, outShape, sc.cols.p + j * pq, width) }
                S.gemm(transA: false, transB: false, m: o, n: width, k: ckk, alpha: 1, a: w, lda: ckk,
                       b: sc.cols.p, ldb: width, beta: 0, c: sc.out.p, ldc: width)
                for j in 0..<g {
                    for oc in 0..<o {
                        let src = sc.out.p + oc * width + j * pq, dst = y + (c0 + j) * nOut + oc * pq
                        let bv: S = bias?[oc] ?? 0
                        for e in 0..<pq { dst[e] = src[e] + bv }
                    }
                }
            }
        }
    }

    /// ∂W, ∂b and ∂x of a convolution from g (rows, O, P, Q), G rows per product.
    func convBackward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ gy: UnsafeMutablePointer<S>, _ rows: Int,
                              _ gx: UnsafeMutablePointer<S>?) {
        guard let geo = spec.layers[i].kind.convGeometry else { return }
        let o = geo.outChannels
        let (inShape, outShape) = shapes[i], lp = layers[i]
        let pq = outShape.height * outShape.width, ckk = inShape.channels * geo.taps
        let nIn = inShape.count, nOut = outShape.count, w = lp.weight!.value.p
        let used = min(workers, rows)
        parallel(rows) { worker, range in
            let sc = convScratch[worker]
            sc.dW.zero(o * ckk); sc.db.zero(o)
            for c0 in Swift.stride(from: range.lowerBound, to: range.upperBound, by: Graph.convChunk) {
                let g = min(Graph.convChunk, range.upperBound - c0), width = g * pq
                for j in 0..<g {
                    for oc in 0..<o {
                        let src = gy + (c0 + j) * nOut + oc * pq
                        (sc.out.p + oc * width + j * pq).update(from: src, count: pq)
                        sc.db.p[oc] += Kernels.sum(src, pq)
                    }
                    im2col(x + (c0 + j) * nIn, inShape, geo, outShape, sc.cols.p + j * pq, width)
                }
                S.gemm(transA: false, transB: true, m: o, n: ckk, k: width, alpha: 1, a: sc.out.p, lda: width,
                       b: sc.cols.p, ldb: width, beta: 1, c: sc.dW.p, ldc: ckk)
                if let gx {
                    S.gemm(transA: true, transB: false, m: ckk, n: width, k: o, alpha: 1, a: w, lda: ckk,
                           b: sc.out.p, ldb: width, beta: 0, c: sc.cols.p, ldc: width)
                    for j in 0..<g { col2imAdd(sc.cols.p + j * pq, inShape, geo, outShape, gx + (c0 + j) * nIn, width) }
                }
            }
        }
        for worker in 0..<max(used, 1) {
            let sc = convScratch[worker], gw = lp.weight!.grad.p
            for e in 0..<(o * ckk) { gw[e] += sc.dW.p[e] }
            if let gb = lp.bias?.grad.p { for oc in 0..<o { gb[oc] += sc.db.p[oc] } }
        }
    }
}

// MARK: - shared pieces

/// The engine's im2col (Kernels.im2col), in the graph's argument order.
@inline(__always)
private func im2col<S: TrainScalar>(_ x: UnsafePointer<S>, _ inShape: FeatureShape, _ geo: ConvGeometry,
                                    _ outShape: FeatureShape, _ cols: UnsafeMutablePointer<S>, _ ld: Int) {
    Kernels.im2col(x: x, channels: inShape.channels, height: inShape.height, width: inShape.width, geo,
                   outHeight: outShape.height, outWidth: outShape.width, cols: cols, ld: ld)
}

/// Adds cols (C·Kh·Kw, P·Q), rows `ld` apart, back onto gx (C, H, W): the adjoint of `im2col`.
private func col2imAdd<S: TrainScalar>(_ cols: UnsafePointer<S>, _ inShape: FeatureShape, _ geo: ConvGeometry,
                                       _ outShape: FeatureShape, _ gx: UnsafeMutablePointer<S>, _ ld: Int) {
    let h = inShape.height, w = inShape.width, ph = outShape.height, pw = outShape.width
    let stride = geo.strideX, pad = geo.padX
    for c in 0..<inShape.channels {
        for ky in 0..<geo.kernelY {
            for kx in 0..<geo.kernelX {
                let row = cols + ((c * geo.kernelY + ky) * geo.kernelX + kx) * ld
                let (lo, hi) = stride == 1 ? Kernels.validRun(width: w, padding: pad, kx: kx, outWidth: pw) : (0, 0)
                for p in 0..<ph {
                    let y = p * geo.strideY - geo.padY + ky
                    if y < 0 || y >= h { continue }
                    let dst = gx + (c * h + y) * w, src = row + p * pw
                    if stride == 1 {
                        let shifted = dst + (kx - pad)          // shifted[q] = dst[q − pad + kx]
                        for q in lo..<hi { shifted[q] += src[q] }
                        continue
                    }
                    for q in 0..<pw {
                        let xx = q * stride - pad + kx
                        if xx >= 0 && xx < w { dst[xx] += src[q] }
                    }
                }
            }
        }
    }
}

/// Per-worker convolution scratch: unfolded inputs, a chunk of outputs, and partial ∂W, ∂b.
final class ConvScratch<S: TrainScalar> {
    let cols: Buf<S>     // (C·k·k, G·P·Q); backward reuses it for ∂cols
    let out: Buf<S>      // (O, G·P·Q)
    let dW: Buf<S>       // (O, C·k·k)
    let db: Buf<S>       // (O)
    init(cols: Int, outputs: Int, weights: Int, channels: Int) {
        self.cols = Buf(cols); out = Buf(outputs); dW = Buf(weights); db = Buf(channels)
    }
}
