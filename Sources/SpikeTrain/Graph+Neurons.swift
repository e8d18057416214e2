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
        let v = stateV.p, a = stateA.p
        v.update(repeating: 0, count: n); a.update(repeating: 0, count: n)
        let recurrent = layers[i].recurrent
        for t in 0..<steps {
            let current = cur[i].p + (curSteps[i] == 1 ? 0 : t * n)
            if let r = recurrent, t > 0 {          // I[t] += s[t−1]·Rᵀ
                Kernels.recurrent(spikes: out[i].p + (t - 1) * n, batch: b, neurons: nOut, weight: r.value.p, out: current)
            }
            neuron.step(n, NeuronBuffers(current: current, v: v, a: a, u: mem[i]!.p + t * n, s: out[i].p + t * n,
                                         held: held[i].map { $0.p + t * n }), spike: spike)
        }
    }

    /// Fills gCur (∂L/∂I) from gOut (∂L/∂s), stepping back through time.
    func neuronBackward(_ i: Int) {
        guard let neuron = spec.layers[i].neuron else { return }
        let b = batch, nOut = shapes[i].output.count, n = b * nOut
        let gv = stateV.p, ga = stateA.p
        gv.update(repeating: 0, count: n); ga.update(repeating: 0, count: n)
        let recurrent = layers[i].recurrent
        let spikeGradient = SpikeGradient(surrogate: surrogate, detachReset: detachReset)
        let collapsed = curSteps[i] == 1
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let u = mem[i]!.p + t * n, s = out[i].p + t * n, gs = gOut[i].p + t * n
            let gi = collapsed ? collapse.p : gCur[i].p + t * n
            neuron.backward(n, NeuronGradients(u: u, s: s, gs: gs, gi: gi, gv: gv, ga: ga, held: held[i].map { $0.p + t * n }),
                            spikeGradient)
            if let r = recurrent, t > 0 {          // s[t−1] fed I[t]: ∂L/∂s[t−1] += ∂L/∂I[t]·R
                S.gemm(transA: false, transB: false, m: b, n: nOut, k: nOut, alpha: 1, a: gi, lda: nOut,
                       b: r.value.p, ldb: nOut, beta: 1, c: gOut[i].p + (t - 1) * n, ldc: nOut)
            }
            if collapsed { let g = gCur[i].p; for k in 0..<n { g[k] += gi[k] } }
        }
        if let r = recurrent, steps > 1 {          // ∂R += Σ_t ∂I[t]ᵀ·s[t−1]
            S.gemm(transA: true, transB: false, m: nOut, n: nOut, k: (steps - 1) * b, alpha: 1,
                   a: gCur[i].p + n, lda: nOut, b: out[i].p, ldb: nOut, beta: 1, c: r.grad.p, ldc: nOut)
        }
    }
}
