// The hardware figures the hardware pane shows: spikes and synaptic operations per step.

import SpikeCore
import SpikeSession
import SpikeTerm
import SpikeTrain

extension AppState {
    /// Spikes of all recorded layers at step t.
    public func spikes(step t: Int) -> Int {
        guard let r = recorder else { return 0 }
        return r.layers.indices.reduce(0) { $0 + r.spikeCount(layer: $1, step: t) }
    }

    /// Synaptic operations at step t: Σ over layers of spikes × average fan-out.
    public func synapticOps(step t: Int) -> Int {
        guard let r = recorder else { return 0 }
        var ops = 0.0
        for l in r.layers.indices where l < fanOut.count {
            ops += Double(r.spikeCount(layer: l, step: t)) * fanOut[l]
        }
        return Int(ops.rounded())
    }


    /// Average outgoing synapses per neuron of each recorded layer: the next weighted layer's
    /// synapses divided by its inputs (pooling and flatten passed through), plus the layer's own
    /// recurrent synapses.
    static func fanOuts(_ net: Network, _ recorder: Recorder?) -> [Double] {
        guard let r = recorder else { return [] }
        return r.layers.map { rec in
            var out = 0.0
            if case .recurrentDense(let o) = net.spec.layers[rec.index].kind { out += Double(o) }
            var j = rec.index + 1
            while j < net.spec.layers.count {
                let (input, output) = net.shapes[j]
                switch net.spec.layers[j].kind {
                case .dense, .recurrentDense:
                    return out + Double(output.count)
                case let .conv2d(_, k, _, _):
                    let synapses = Double(output.count * input.channels * k * k)
                    return out + synapses / Double(max(1, input.count))
                default:
                    j += 1
                }
            }
            return out
        }
    }
}
