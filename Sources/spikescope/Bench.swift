import ArgumentParser
import Foundation
import SpikeCore

/// `spikescope bench`: speed figures of the engine (benchmarks report, tests check).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report engine and workbench speed figures as JSON lines (engine: same networks as ../shared/peerbench).",
        subcommands: [BenchStep.self, BenchEvents.self, BenchFrame.self, BenchMemory.self, BenchMap.self, BenchCamera.self,
                      BenchBinning.self, BenchNIR.self])
}

/// The 784-800-10 LIF network of peerbench: decay 0.9, threshold 1, reset by subtraction.
func peerNetwork(encoder: Encoder) throws -> Network {
    let lif = NeuronModel.lif(LIFParameters(beta: 0.9, threshold: 1, reset: .subtract))
    let spec = ModelSpec(inputShape: .flat(784), encoder: encoder, layers: [
        LayerSpec(name: "fc1", kind: .dense(outputs: 800), neuron: lif),
        LayerSpec(name: "fc2", kind: .dense(outputs: 10), neuron: lif),
    ])
    return try Network(spec: spec, seed: 0)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// `spikescope bench step`: µs per timestep at batch 1 with full recording, and samples/s at batch 256, T=8.
struct BenchStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "µs per step of 784-800-10 LIF at batch 1 (full recording), samples/s at batch 256 T=8.")

    @Option(help: "Timed steps at batch 1.") var steps = 2000
    @Option(help: "Timed iterations at batch 256.") var iters = 30

    func run() throws {
        guard steps >= 10, iters >= 1 else { throw InputError(description: "--steps must be >= 10 and --iters >= 1") }
        // (a) batch 1: fresh 20 % input spikes every step (peerbench step_latency.py), all recorded.
        let warmup = 300, total = warmup + steps
        var rng = Rng(seed: 1)
        let frames: [Float] = (0..<(total * 784)).map { _ in rng.nextFloat() < 0.2 ? 1 : 0 }
        let net = try peerNetwork(encoder: .frames)
        let sim = Simulation(network: net, batch: 1, timesteps: total, seed: 0,
                             recording: RecorderConfig(capacity: total, fullMembraneLimit: 800))
        try sim.setInput(frames)
        for _ in 0..<warmup { sim.step() }
        var times: [Double] = []
        times.reserveCapacity(steps)
        var hiddenSpikes = 0
        for _ in 0..<steps {
            let t0 = now()
            sim.step()
            times.append(Double(now() - t0) / 1000)
            hiddenSpikes += sim.spikeCount(layer: 0)
        }
        times.sort()
        let median = times[times.count / 2], p90 = times[times.count * 9 / 10]
        print(String(format: "{\"bench\":\"step_latency\",\"fw\":\"spikescope\",\"batch\":1,\"record\":true,\"steps\":%d,\"median_us\":%.2f,\"p90_us\":%.2f,\"min_us\":%.2f,\"hidden_spike_rate\":%.4f,\"threads\":\"%@\"}",
                     steps, median, p90, times[0], Double(hiddenSpikes) / Double(steps * 800),
                     ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default"))

        // (b) batch 256, T = 8: x = (rand < rand) spikes per step (peerbench infer_throughput.py), no recording.
        let b = 256, t = 8
        let p: [Float] = (0..<(b * 784)).map { _ in rng.nextFloat() }
        let input: [Float] = (0..<(t * b * 784)).map { rng.nextFloat() < p[$0 % (b * 784)] ? 1 : 0 }
        let batched = Simulation(network: try peerNetwork(encoder: .frames), batch: b, timesteps: t, seed: 0, recording: nil)
        try batched.setInput(input)
        for _ in 0..<3 { batched.reset(); batched.run(steps: t) }
        var iterTimes: [Double] = []
        for _ in 0..<iters {
            let t0 = now()
            batched.reset()
            batched.run(steps: t)
            iterTimes.append(Double(now() - t0) / 1e9)
        }
        let sps = Double(b * iters) / iterTimes.reduce(0, +)
        iterTimes.sort()
        print(String(format: "{\"bench\":\"infer_throughput\",\"fw\":\"spikescope\",\"batch\":%d,\"T\":%d,\"iters\":%d,\"samples_per_s\":%.1f,\"median_iter_ms\":%.2f}",
                     b, t, iters, sps, iterTimes[iterTimes.count / 2] * 1000))
    }
}

/// `spikescope bench events`: the dense product against the batched event product over input density.
struct BenchEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "µs of one 256×784 · 784×800 product, OpenBLAS against the event kernel, at input densities 0.05-1.")

    @Option(help: "Timed products per density and side.") var iters = 50

    func run() throws {
        guard iters >= 1 else { throw InputError(description: "--iters must be >= 1") }
        let b = 256, i = 784, o = 800
        var rng = Rng(seed: 3)
        let w: [Float] = (0..<(o * i)).map { _ in rng.nextFloat() - 0.5 }
        var wt = [Float](repeating: 0, count: Kernels.packedEventsCount(inputs: i, outputs: o))
        wt.withUnsafeMutableBufferPointer { Kernels.packEvents(weight: w, inputs: i, outputs: o, packed: $0.baseAddress!) }
        var out = [Float](repeating: 0, count: b * o)
        for density in [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0] {
            let x: [Float] = (0..<(b * i)).map { _ in rng.nextFloat() < Float(density) ? 1 : 0 }
            func time(_ body: () -> Void) -> Double {
                body()
                var ts: [Double] = []
                for _ in 0..<iters { let t0 = now(); body(); ts.append(Double(now() - t0) / 1000) }
                return ts.sorted()[ts.count / 2]
            }
            let events = time {
                x.withUnsafeBufferPointer { xp in
                    wt.withUnsafeBufferPointer { wp in
                        out.withUnsafeMutableBufferPointer { op in
                            op.update(repeating: 0)
                            let xb = xp.baseAddress!, wb = wp.baseAddress!, ob = op.baseAddress!, half = b / 2
                            concurrently(2) { k in
                                Kernels.denseEvents(x: xb + k * half * i, batch: half, inputs: i, packed: wb, outputs: o,
                                                    out: ob + k * half * o)
                            }
                        }
                    }
                }
            }
            let dense = time {
                Kernels.dense(x: x, batch: b, inputs: i, weight: w, bias: nil, outputs: o, out: &out)
            }
            // OpenBLAS's threads spin for a while after a product and would take a core from the
            // next density's event product: let them sleep first.
            usleep(300_000)
            print(String(format: "{\"bench\":\"events\",\"batch\":%d,\"inputs\":%d,\"outputs\":%d,\"density\":%.2f,\"blas_us\":%.1f,\"events_us\":%.1f,\"events_fast\":%@}",
                         b, i, o, density, dense, events, Kernels.eventsFast ? "true" : "false"))
        }
    }
}
