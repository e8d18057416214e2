// The neuron layers over time: the forward drives the engine's step (SpikeCore/Neurons), the
// backward each model's backward (SpikeTrain/Neurons), step by step back through time.

import Foundation
import SpikeCore

extension Graph {
    /// Runs layer i's neurons over the T steps through the engine's step, with H(u − θ) or, in
    /// gradient checks, the smooth stand-in.
    func neuronForward(_ i: Int) {
        if smoothSpikes { neuronForward(i, spike: SmoothSpike<S>(surrogate: surrogate)) }
        else { neuronForward(i, spike: Heaviside<S>()) }
    }

    func neuronForward<F: SpikeFunction>(_ i: Int, spike: F) where F.Scalar == S {
        guard let neuron = spec.layers[i].neuron else { return }
        let b = batch, nOut = shapes[i].output.count, n = b * nOut
        let recurrent = layers[i].recurrent, curSt = curSteps[i]
        let cur = cur[i].p, out = out[i].p, mem = mem[i]!.p, held = held[i]?.p
        let noise = mode == .training && trainable ? rateNoise : nil
        parallel(b, work: steps * n) { _, rows in          // each worker: its samples, every step
            let o = rows.lowerBound * nOut, m = rows.count * nOut
            let v = stateV.p + o, a = stateA.p + o
            v.update(repeating: 0, count: m); a.update(repeating: 0, count: m)
            for t in 0..<steps {
                let current = cur + (curSt == 1 ? 0 : t * n) + o
                if let r = recurrent, t > 0 {          // I[t] += s[t−1]·Rᵀ
                    Kernels.recurrent(spikes: out + (t - 1) * n + o, batch: rows.count, neurons: nOut, weight: r.value.p,
                                      out: current)
                }
                let at = t * n + o
                neuron.step(m, NeuronBuffers(current: current, v: v, a: a, u: mem + at, s: out + at,
                                             held: held.map { $0 + at }), spike: spike)
                if let noise, case .softLIF(let p) = neuron {
                    for r in rows {
                        var g = Rng(seed: noiseSeed).derived(UInt64(i) << 48 | UInt64(t) << 32 | UInt64(noiseFirstSample + r))
                        noise.apply(out + t * n + r * nOut, nOut, amplitude: p.amplitude, dt: p.dt, rng: &g)
                    }
                }
            }
        }
    }

    /// Fills gCur (∂L/∂I) from gOut (∂L/∂s), stepping back through time.
    func neuronBackward(_ i: Int) {
        guard let neuron = spec.layers[i].neuron else { return }
        let b = batch, nOut = shapes[i].output.count, n = b * nOut
        let recurrent = layers[i].recurrent
        let spikeGradient = SpikeGradient(surrogate: surrogate, detachReset: detachReset)
        let collapsed = curSteps[i] == 1
        let out = out[i].p, mem = mem[i]!.p, held = held[i]?.p, gOut = gOut[i].p, gCur = gCur[i].p
        parallel(b, work: steps * n) { _, rows in          // each worker: its samples, every step
            let o = rows.lowerBound * nOut, m = rows.count * nOut
            let gv = stateV.p + o, ga = stateA.p + o
            gv.update(repeating: 0, count: m); ga.update(repeating: 0, count: m)
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let at = t * n + o
                let gi = collapsed ? collapse.p + o : gCur + at
                neuron.backward(m, NeuronGradients(u: mem + at, s: out + at, gs: gOut + at, gi: gi, gv: gv, ga: ga,
                                                   held: held.map { $0 + at }), spikeGradient)
                if let r = recurrent, t > 0 {          // s[t−1] fed I[t]: ∂L/∂s[t−1] += ∂L/∂I[t]·R
                    S.gemm(transA: false, transB: false, m: rows.count, n: nOut, k: nOut, alpha: 1, a: gi, lda: nOut,
                           b: r.value.p, ldb: nOut, beta: 1, c: gOut + (t - 1) * n + o, ldc: nOut)
                }
                if collapsed { let g = gCur + o; for k in 0..<m { g[k] += gi[k] } }
            }
        }
        if let r = recurrent, steps > 1 {          // ∂R += Σ_t ∂I[t]ᵀ·s[t−1]
            S.gemm(transA: true, transB: false, m: nOut, n: nOut, k: (steps - 1) * b, alpha: 1,
                   a: gCur + n, lda: nOut, b: out, ldb: nOut, beta: 1, c: r.grad.p, ldc: nOut)
        }
    }
}
