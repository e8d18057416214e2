import ArgumentParser
import Foundation
import SpikeCore
import SpikeData

/// `spikescope bench camera`: the simulated saccade camera over a whole image set, on both cores.
struct BenchCamera: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Seconds to turn both splits of an image set into event recordings with the saccade camera (both cores).")

    @Option(help: "Image set: digits, fashion-mnist or an IDX folder.") var data = "fashion-mnist"
    @Option(help: "Also bin every recording into T frames (0: do not bin).") var bin = 4

    func run() throws {
        let source = DataSource(name: data)
        let sets = try [Split.train, .test].map { try DataLoader.load(source, split: $0) }
        let camera = SaccadeCamera(), binning = Binning()
        var events = 0
        let start = now()
        for images in sets {
            let samples = EventSamples(camera: camera, images: images)
            let frame = bin * binning.frameShape(width: samples.width, height: samples.height).reduce(1, *)
            var counts = [Int](repeating: 0, count: 2)
            counts.withUnsafeMutableBufferPointer { c in
                concurrently(2) { p in
                    var out = [Float](repeating: 0, count: max(frame, 1))
                    for i in (p * samples.count / 2)..<((p + 1) * samples.count / 2) {
                        let r = samples.recording(i)
                        c[p] += r.events.count
                        if bin > 0 { out.withUnsafeMutableBufferPointer { binning.bin(r, timesteps: bin, into: $0.baseAddress!) } }
                    }
                }
            }
            events += counts.reduce(0, +)
        }
        let seconds = Double(now() - start) / 1e9, n = sets.reduce(0) { $0 + $1.count }
        print(String(format: "{\"bench\":\"camera\",\"data\":\"%@\",\"images\":%d,\"events\":%d,\"events_per_image\":%.1f,\"bin_T\":%d,\"seconds\":%.2f,\"goal_seconds\":30}",
                     source.name, n, events, Double(events) / Double(max(n, 1)), bin, seconds))
    }
}

/// `spikescope bench binning`: read an N-MNIST file of a million events and bin it.
struct BenchBinning: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binning",
        abstract: "Milliseconds to read a .bin file of N events (N-MNIST format, 34x34) and bin it into T frames.")

    @Option(help: "Events in the file.") var events = 1_000_000
    @Option(name: .customLong("T"), help: "Frames.") var timesteps = 8
    @Option(help: "Timed repeats (the median is reported).") var repeats = 11
    @Option(help: "Write the file here and keep it (for bench/events-vs-tonic.sh); default a temporary file.") var file: String?

    func run() throws {
        guard events >= 1, timesteps >= 1, repeats >= 1 else { throw InputError(description: "--events, --T and --repeats must be >= 1") }
        var rng = Rng(seed: 1), t: Int64 = 0
        let list = (0..<events).map { _ -> Event in
            t += Int64(rng.nextInt(below: 3))
            return Event(t: t, x: rng.nextInt(below: NMNIST.width), y: rng.nextInt(below: NMNIST.height), on: rng.nextInt(below: 2) == 1)
        }
        let path = file ?? NSTemporaryDirectory() + "spikescope-bench-\(getpid()).bin"
        try NMNIST.write(EventRecording(width: NMNIST.width, height: NMNIST.height, events: list), to: path)
        defer { if file == nil { try? FileManager.default.removeItem(atPath: path) } }
        let binning = Binning()
        var out = [Float](repeating: 0, count: timesteps * binning.frameShape(width: NMNIST.width, height: NMNIST.height).reduce(1, *))
        var read: [Double] = [], total: [Double] = []
        for _ in 0..<repeats {
            let t0 = now()
            let r = try NMNIST.read(path: path)
            let t1 = now()
            out.withUnsafeMutableBufferPointer { binning.bin(r, timesteps: timesteps, into: $0.baseAddress!) }
            let t2 = now()
            read.append(Double(t1 - t0) / 1e6); total.append(Double(t2 - t0) / 1e6)
        }
        let median = { (x: [Double]) in x.sorted()[x.count / 2] }
        print(String(format: "{\"bench\":\"binning\",\"events\":%d,\"T\":%d,\"read_ms\":%.1f,\"read_and_bin_ms\":%.1f,\"goal_ms\":100}",
                     events, timesteps, median(read), median(total)))
    }
}
