// Measurements for the trainer; see bench/README.md for the commands and results.
//   spiketrain-bench digits [out.safetensors] [epochs] [split|blas]   (knobs: HIDDEN BETA LR BS WD LOSS SEED AUG ROT SCALE CURVE)
//   spiketrain-bench mlp [batches] [split|blas]      784-800-10 LIF MLP, T=8, B=128 on Fashion-MNIST
//   spiketrain-bench conv [samples]                  the conv net, 1 epoch on a subset
import Foundation
import SpikeCore
import SpikeData
import SpikeTrain

let args = CommandLine.arguments
let env = ProcessInfo.processInfo.environment
func knob(_ name: String, _ fallback: Double) -> Double { env[name].flatMap(Double.init) ?? fallback }
let mode = args.count > 1 ? args[1] : "digits"

func lif(_ beta: Float, _ reset: ResetMode = .subtract) -> NeuronModel {
    .lif(LIFParameters(beta: beta, threshold: 1, reset: reset))
}
func report(_ p: TrainProgress) {
    if p.kind == .epochEnd {
        print(String(format: "epoch %d: loss %.4f train acc %.4f %.0f samples/s%@", p.epoch + 1, p.loss,
                     p.runningAccuracy, p.samplesPerSecond, p.testAccuracy.map { String(format: " test acc %.4f", $0) } ?? ""))
    }
}

do {
    switch mode {
    case "digits":
        let out = args.count > 2 ? args[2] : "sessions/digits.safetensors"
        let epochs = args.count > 3 ? Int(args[3]) ?? 200 : 200
        let par: Parallelism = args.count > 4 && args[4] == "blas" ? .blas(threads: 2) : .splitBatch
        let spec = ModelSpec(inputShape: .flat(64), encoder: .direct, layers: [
            LayerSpec(name: "hidden", kind: .dense(outputs: Int(knob("HIDDEN", 100))), neuron: lif(Float(knob("BETA", 0.5)))),
            LayerSpec(name: "readout", kind: .dense(outputs: 10)),
        ])
        let train = try DataLoader.load(.digits, split: .train), test = try DataLoader.load(.digits, split: .test)
        let config = try TrainConfig(epochs: epochs, batchSize: Int(knob("BS", 32)), T: 4, loss: try Loss.parse(env["LOSS"] ?? "tet"),
                                     optimizer: knob("WD", 0) > 0 ? .adamW() : .adam(), lr: knob("LR", 3e-3),
                                     schedule: .cosine(), seed: UInt64(knob("SEED", 1)), weightDecay: knob("WD", 0),
                                     parallelism: par,
                                     augmentation: knob("AUG", 0.5) > 0 ? Augmentation(shift: knob("AUG", 0.5), rotation: knob("ROT", 0.1), scale: knob("SCALE", 0.1)) : nil)
        let trainer = try Trainer(spec: spec, config: config)
        let start = Date()
        let summary = try trainer.train(train: train, test: env["CURVE"] != nil ? test : nil, checkpoint: out, progress: { p in
            if p.kind == .epochEnd && (env["CURVE"] != nil || (p.epoch + 1) % 50 == 0) { report(p) }
        })
        let seconds = Date().timeIntervalSince(start)
        let e = try evaluate(network: trainer.network, dataset: test, Ts: [1, 2, 4, 8])
        print(String(format: "digits: %d epochs in %.2f s (%.0f samples/s, split batch: %@), train acc %.4f",
                     summary.epochsCompleted, seconds, summary.samplesPerSecond, "\(trainer.splitsBatch)", summary.trainAccuracy))
        print("test accuracy by T:", e.accuracyByT.sorted { $0.key < $1.key }.map { "T=\($0.key): \(String(format: "%.4f", $0.value))" }.joined(separator: ", "))
        print("per-step accuracy at T=8:", e.perStepAccuracy.map { String(format: "%.3f", $0) }.joined(separator: " "))
    case "mlp":
        let batches = args.count > 2 ? Int(args[2]) ?? 40 : 40
        let par: Parallelism = args.count > 3 && args[3] == "blas" ? .blas(threads: 2) : (args.count > 3 && args[3] == "blas1" ? .blas(threads: 1) : .splitBatch)
        // ENC=rate: Bernoulli spikes per step (as peerbench's train_throughput.py), else direct input.
        let spec = ModelSpec(inputShape: .flat(784), encoder: env["ENC"] == "rate" ? .rate(gain: 1) : .direct, layers: [
            LayerSpec(name: "hidden", kind: .dense(outputs: 800), neuron: lif(0.9)),
            LayerSpec(name: "readout", kind: .dense(outputs: 10)),
        ])
        let train = try DataLoader.load(.fashionMNIST, split: .train)
        let config = try TrainConfig(epochs: 1, batchSize: 128, T: 8, loss: try Loss.parse("mean"), optimizer: .adam(), lr: 1e-3,
                                     seed: 1, parallelism: par, trainLimit: batches * 128)
        let trainer = try Trainer(spec: spec, config: config)
        let s = try trainer.train(train: train)
        print(String(format: "mlp 784-800-10 T=8 B=128 (%@, split %@): %d samples, %.0f samples/s, train acc %.4f",
                     "\(par)", "\(trainer.splitsBatch)", batches * 128, s.samplesPerSecond, s.trainAccuracy))
        print(String(format: "{\"bench\":\"train_throughput\",\"fw\":\"spikescope\",\"encoder\":\"%@\",\"batch\":128,\"T\":8,\"samples_per_s\":%.1f}",
                     spec.encoder.name, s.samplesPerSecond))
    case "conv":
        let samples = args.count > 2 ? Int(args[2]) ?? 6400 : 6400
        let n = lif(0.5, .zero)
        let spec = ModelSpec(inputShape: FeatureShape(channels: 1, height: 28, width: 28), encoder: .direct, layers: [
            LayerSpec(name: "conv1", kind: .conv2d(outChannels: 32, kernel: 3, stride: 1, padding: 1)),
            LayerSpec(name: "bn1", kind: .batchNorm(epsilon: 1e-5), neuron: n),
            LayerSpec(name: "pool1", kind: .avgPool2d(kernel: 2)),
            LayerSpec(name: "conv2", kind: .conv2d(outChannels: 64, kernel: 3, stride: 1, padding: 1)),
            LayerSpec(name: "bn2", kind: .batchNorm(epsilon: 1e-5), neuron: n),
            LayerSpec(name: "pool2", kind: .avgPool2d(kernel: 2)),
            LayerSpec(name: "flatten", kind: .flatten),
            LayerSpec(name: "fc1", kind: .dense(outputs: 256), neuron: n),
            LayerSpec(name: "readout", kind: .dense(outputs: 10)),
        ])
        let train = try DataLoader.load(.fashionMNIST, split: .train), test = try DataLoader.load(.fashionMNIST, split: .test)
        let config = try TrainConfig(epochs: 1, batchSize: 128, T: 4, loss: try Loss.parse(env["LOSS"] ?? "mean"), optimizer: .adam(), lr: 1e-3,
                                     schedule: .cosine(), seed: 1, surrogate: .atan(alpha: 2),
                                     parallelism: env["PAR"] == "blas" ? .blas(threads: Int(knob("THREADS", 2))) : .splitBatch,
                                     trainLimit: samples)
        let trainer = try Trainer(spec: spec, config: config)
        let start = Date()
        let s = try trainer.train(train: train, progress: { p in
            if p.kind == .batch && p.batch % 10 == 0 {
                print(String(format: "batch %d/%d loss %.4f acc %.4f %.1f samples/s", p.batch + 1, p.batchesPerEpoch,
                             p.runningLoss, p.runningAccuracy, p.samplesPerSecond))
            }
        })
        let trainSeconds = Date().timeIntervalSince(start)
        print(String(format: "conv: %d samples in %.1f s, %.1f samples/s, train acc %.4f", samples, trainSeconds,
                     s.samplesPerSecond, s.trainAccuracy))
        print(String(format: "{\"bench\":\"etc_conv_train_throughput\",\"fw\":\"spikescope\",\"loss\":\"%@\",\"batch\":128,\"T\":4,\"samples_per_s\":%.1f,\"peak_rss_mib\":%.1f}",
                     env["LOSS"] ?? "mean", s.samplesPerSecond, peakRSSMiB()))
        if env["NOEVAL"] != nil { exit(0) }
        let evalCount = min(Int(knob("TEST", 10000)), test.count)
        let testSubset = Dataset(name: test.name, split: .test, sampleShape: test.sampleShape,
                                 images: Array(test.images[0..<(evalCount * 784)]), labels: Array(test.labels[0..<evalCount]),
                                 classes: 10)
        let evalStart = Date()
        let e = try evaluate(network: trainer.network, dataset: testSubset, Ts: [1, 2, 4])
        print(String(format: "evaluated %d test samples in %.1f s", evalCount, Date().timeIntervalSince(evalStart)))
        print("test accuracy by T:", e.accuracyByT.sorted { $0.key < $1.key }.map { "T=\($0.key): \(String(format: "%.4f", $0.value))" }.joined(separator: ", "))
    default:
        print("usage: spiketrain-bench digits|mlp|conv ...")
    }
} catch {
    print("error: \(error)")
    exit(1)
}

/// Peak resident set size of this process (VmHWM), MiB.
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}
