import Testing
@testable import SpikeCore
import CSpikeKernels

private func randomArray(_ n: Int, _ rng: inout Rng) -> [Float] { (0..<n).map { _ in rng.nextFloat() * 2 - 1 } }

/// Naive direct convolution, the reference for im2col + sgemm.
private func naiveConv(_ x: [Float], b: Int, c: Int, h: Int, w: Int, weight: [Float], bias: [Float], o: Int,
                       k: Int, stride: Int, pad: Int) -> [Float] {
    let p = (h + 2 * pad - k) / stride + 1, q = (w + 2 * pad - k) / stride + 1
    var out = [Float](repeating: 0, count: b * o * p * q)
    for n in 0..<b { for oc in 0..<o { for i in 0..<p { for j in 0..<q {
        var acc: Double = Double(bias.isEmpty ? 0 : bias[oc])
        for ic in 0..<c { for ky in 0..<k { for kx in 0..<k {
            let y = i * stride - pad + ky, xx = j * stride - pad + kx
            if y >= 0 && y < h && xx >= 0 && xx < w {
                acc += Double(x[((n * c + ic) * h + y) * w + xx]) * Double(weight[((oc * c + ic) * k + ky) * k + kx])
            }
        }}}
        out[((n * o + oc) * p + i) * q + j] = Float(acc)
    }}}}
    return out
}

@Test(arguments: [(1, 1, 5, 5, 2, 3, 1, 1), (2, 3, 7, 6, 4, 3, 2, 1), (1, 2, 4, 4, 3, 2, 2, 0), (3, 1, 8, 8, 2, 5, 1, 2)])
func conv2dMatchesNaiveLoops(b: Int, c: Int, h: Int, w: Int, o: Int, k: Int, stride: Int, pad: Int) {
    var rng = Rng(seed: 11)
    let x = randomArray(b * c * h * w, &rng), weight = randomArray(o * c * k * k, &rng), bias = randomArray(o, &rng)
    let p = (h + 2 * pad - k) / stride + 1, q = (w + 2 * pad - k) / stride + 1
    var cols = [Float](repeating: 0, count: c * k * k * p * q)
    var out = [Float](repeating: .nan, count: b * o * p * q)
    bias.withUnsafeBufferPointer { bb in
        Kernels.conv(x: x, batch: b, channels: c, height: h, width: w, weight: weight, bias: bb.baseAddress,
                     LayerKind.conv2d(outChannels: o, kernel: k, stride: stride, padding: pad).convGeometry!,
                     outHeight: p, outWidth: q, cols: &cols, out: &out)
    }
    let ref = naiveConv(x, b: b, c: c, h: h, w: w, weight: weight, bias: bias, o: o, k: k, stride: stride, pad: pad)
    // Float sums of at most 75 products of values in [−1, 1]: 1e-4 is far above rounding.
    #expect(zip(out, ref).allSatisfy { abs($0 - $1) < 1e-4 })
}

/// A 1-D convolution over (C, 1, L) with a 1×K window: naive loops along L.
@Test(arguments: [(1, 1, 9, 2, 3, 1, 1), (2, 3, 12, 4, 5, 2, 2), (1, 2, 7, 3, 2, 3, 0)])
func conv1dMatchesNaiveLoops(b: Int, c: Int, l: Int, o: Int, k: Int, stride: Int, pad: Int) {
    var rng = Rng(seed: 12)
    let x = randomArray(b * c * l, &rng), weight = randomArray(o * c * k, &rng), bias = randomArray(o, &rng)
    let q = (l + 2 * pad - k) / stride + 1
    var cols = [Float](repeating: 0, count: c * k * q)
    var out = [Float](repeating: .nan, count: b * o * q)
    bias.withUnsafeBufferPointer { bb in
        Kernels.conv(x: x, batch: b, channels: c, height: 1, width: l, weight: weight, bias: bb.baseAddress,
                     LayerKind.conv1d(outChannels: o, kernel: k, stride: stride, padding: pad).convGeometry!,
                     outHeight: 1, outWidth: q, cols: &cols, out: &out)
    }
    for n in 0..<b { for oc in 0..<o { for j in 0..<q {
        var acc = Double(bias[oc])
        for ci in 0..<c { for t in 0..<k {
            let xx = j * stride - pad + t
            if xx >= 0 && xx < l { acc += Double(x[(n * c + ci) * l + xx]) * Double(weight[(oc * c + ci) * k + t]) }
        }}
        #expect(abs(Double(out[(n * o + oc) * q + j]) - acc) < 1e-4)
    }}}
}

@Test func poolsMatchNaiveLoops() {
    var rng = Rng(seed: 5)
    let (b, c, h, w, k) = (2, 3, 7, 6, 2)
    let x = randomArray(b * c * h * w, &rng)
    let p = h / k, q = w / k
    for kind in [Kernels.Pool.average, .sum, .max] {
        var out = [Float](repeating: .nan, count: b * c * p * q)
        Kernels.pool(kind, x: x, batch: b, channels: c, height: h, width: w, kernel: k, out: &out)
        for n in 0..<(b * c) { for i in 0..<p { for j in 0..<q {
            let window = (0..<k).flatMap { dy in (0..<k).map { dx in x[(n * h + i * k + dy) * w + j * k + dx] } }
            let expected: Float = switch kind {
            case .average: window.reduce(0, +) / Float(k * k)
            case .sum: window.reduce(0, +)
            case .max: window.max()!
            }
            #expect(abs(out[(n * p + i) * q + j] - expected) < 1e-6)
        }}}
    }
}

@Test func denseEventsEqualsSgemm() {
    var rng = Rng(seed: 9)
    let (i, o) = (50, 7)
    let w = randomArray(o * i, &rng), bias = randomArray(o, &rng)
    let x: [Float] = (0..<i).map { k in k % 7 == 0 ? 1 : (k % 11 == 0 ? 0.5 : 0) }
    var dense = [Float](repeating: 0, count: o)
    bias.withUnsafeBufferPointer { Kernels.dense(x: x, batch: 1, inputs: i, weight: w, bias: $0.baseAddress, outputs: o, out: &dense) }
    var wt = [Float](repeating: 0, count: i * o)
    for r in 0..<o { for c in 0..<i { wt[c * o + r] = w[r * i + c] } }
    var events = bias
    Kernels.denseEvents(x: x, inputs: i, weightT: wt, outputs: o, out: &events)
    #expect(zip(dense, events).allSatisfy { abs($0 - $1) < 1e-5 })
    // and against a plain loop
    for r in 0..<o {
        let ref = (0..<i).reduce(bias[r]) { $0 + w[r * i + $1] * x[$1] }
        #expect(abs(dense[r] - ref) < 1e-5)
    }
}

/// The batched event product (weights packed) against a Double reference, over shapes that are not multiples of
/// its 64 × 128 tiles, binary and graded inputs, and empty rows; the AVX-512 path (when this CPU
/// has it) gives exactly what the plain C path gives, since both add the same terms in the same order.
@Test(arguments: [(5, 70, 130), (16, 784, 800), (3, 64, 128), (2, 65, 17), (4, 200, 300)])
func batchedEventProductMatchesTheDenseProduct(_ shape: (Int, Int, Int)) throws {
    let (b, i, o) = shape
    var rng = Rng(seed: UInt64(b * 1000 + i + o))
    let w = randomArray(o * i, &rng)
    var packed = [Float](repeating: .nan, count: Kernels.packedEventsCount(inputs: i, outputs: o))
    Kernels.packEvents(weight: w, inputs: i, outputs: o, packed: &packed)
    #expect(!packed.contains { $0.isNaN })
    var x: [Float] = (0..<(b * i)).map { _ in
        let u = rng.nextFloat()
        return u < 0.7 ? 0 : u < 0.9 ? 1 : u       // mostly zeros, some spikes, some graded values
    }
    for k in 0..<i { x[k] = 0 }                      // row 0 has no input at all
    let start: [Float] = randomArray(b * o, &rng)    // the product adds onto what is there (the bias)
    var fast = start, plain = start
    Kernels.denseEvents(x: x, batch: b, inputs: i, packed: packed, outputs: o, out: &fast)
    spk_dense_events_batch_portable(x, b, i, packed, o, &plain)
    #expect(zip(fast, plain).allSatisfy { $0 == $1 }, "the AVX-512 and plain C paths differ")
    var worst = 0.0
    for r in 0..<b {
        for c in 0..<o {
            var acc = Double(start[r * o + c])
            for k in 0..<i { acc += Double(x[r * i + k]) * Double(w[c * i + k]) }
            worst = max(worst, abs(acc - Double(fast[r * o + c])))
        }
    }
    #expect(worst < 1e-4)
    #expect(Array(fast[0..<o]) == Array(start[0..<o]))
}
