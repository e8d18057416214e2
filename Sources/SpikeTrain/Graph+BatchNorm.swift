// Batch norm in training: the forward with batch statistics and its backward, side by side.
// (Inference uses the running statistics through the engine's Kernels.batchNormInference.)

import Foundation
import SpikeCore

extension Graph {
    /// Batch-norm groups of layer i: (count, rows each); a row is one sample at one step.
    func bnGroups(_ i: Int) -> (Int, Int) {
        bnOverTime ? (1, curSteps[i] * batch) : (curSteps[i], batch)
    }

    func batchNormForward(_ i: Int, _ x: UnsafeMutablePointer<S>, _ eps: S) {
        let shape = shapes[i].output, c = shape.channels, hw = shape.height * shape.width
        let y = cur[i].p, lp = layers[i]
        let gamma = lp.weight!.value.p, beta = lp.bias!.value.p
        let rm = lp.runningMean!.p, rv = lp.runningVar!.p
        if mode == .inference || !trainable {
            let rows = curSteps[i] * batch, n = c * hw
            parallel(rows, work: rows * n) { _, r in
                Kernels.batchNormInference(x: x + r.lowerBound * n, batch: r.count, channels: c, spatial: hw, gamma: gamma,
                                           beta: beta, mean: rm, variance: rv, epsilon: eps, out: y + r.lowerBound * n)
            }
            return
        }
        let xh = xhat[i]!.p, inv = invStd[i]!.p
        // A group is the rows normalised together: every step at once (over time), or one step.
        let (groups, rowsPerGroup) = bnGroups(i)
        let n = S(rowsPerGroup * hw), updates = (!bnOverTime && curSteps[i] == 1) ? steps : 1
        for g in 0..<groups {
            let rows = (g * rowsPerGroup)..<((g + 1) * rowsPerGroup)
            parallel(c, work: rowsPerGroup * c * hw) { _, chans in
                for ch in chans {
                    var sum: S = 0
                    for r in rows { sum += Kernels.sum(x + (r * c + ch) * hw, hw) }
                    let mean = sum / n
                    var sq: S = 0
                    for r in rows { sq += Kernels.sumOfSquares(x + (r * c + ch) * hw, hw, around: mean) }
                    let variance = sq / n
                    let istd = 1 / (variance + eps).squareRoot()
                    inv[g * c + ch] = istd
                    for r in rows {
                        let base = (r * c + ch) * hw
                        // In place on x̂ (which is often x itself): one pointer read and written vectorises.
                        if xh != x { (xh + base).update(from: x + base, count: hw) }
                        let row = xh + base, out = y + base, gm = gamma[ch], bt = beta[ch]
                        for k in 0..<hw {
                            let h = (row[k] - mean) * istd
                            row[k] = h
                            out[k] = gm * h + bt
                        }
                    }
                    let unbiased = n > 1 ? sq / (n - 1) : variance
                    let m = bnOverTime ? max(bnMomentum, 1 / S(bnBatchesSeen + 1)) : bnMomentum
                    for _ in 0..<updates {
                        rm[ch] = (1 - m) * rm[ch] + m * mean
                        rv[ch] = (1 - m) * rv[ch] + m * unbiased
                    }
                }
            }
        }
    }

    /// Backward of batch norm with batch statistics, per group (one per step, or all steps):
    ///     ∂γ = Σ ∂y·x̂;  ∂β = Σ ∂y;  ∂x = γ·invstd/n · (n·∂y − Σ∂y − x̂·Σ(∂y·x̂))
    func batchNormBackward(_ i: Int, _ g: UnsafeMutablePointer<S>, _ gx: UnsafeMutablePointer<S>?) {
        let lp = layers[i], outShape = shapes[i].output
        let c = outShape.channels, hw = outShape.height * outShape.width
        let xh = xhat[i]!.p, inv = invStd[i]!.p, gamma = lp.weight!.value.p
        let gGamma = lp.weight!.grad.p, gBeta = lp.bias!.grad.p
        let (groups, rowsPerGroup) = bnGroups(i)
        let n = S(rowsPerGroup * hw)
        for grp in 0..<groups {
            let rows = (grp * rowsPerGroup)..<((grp + 1) * rowsPerGroup)
            parallel(c, work: rowsPerGroup * c * hw) { _, chans in
                for ch in chans {
                    var sumG: S = 0, sumGX: S = 0
                    for r in rows {
                        let base = (r * c + ch) * hw
                        let (s, d) = Kernels.sumAndDot(g + base, xh + base, hw)
                        sumG += s; sumGX += d
                    }
                    gGamma[ch] += sumGX; gBeta[ch] += sumG
                    guard let gx else { continue }
                    // ∂x = γ·invstd/n · (n·∂y − Σ∂y − x̂·Σ(∂y·x̂))
                    let scale = gamma[ch] * inv[grp * c + ch] / n
                    for r in rows {
                        let base = (r * c + ch) * hw
                        for e in 0..<hw { gx[base + e] += scale * (n * g[base + e] - sumG - xh[base + e] * sumGX) }
                    }
                }
            }
        }
    }
}
