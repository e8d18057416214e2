import ArgumentParser
import Foundation
import SpikeCore
import SpikeData

/// `spikescope data`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Dataset tools: turn an image set into event recordings; describe an event file.",
        subcommands: [DataConvert.self, DataInfo.self])
}

/// `spikescope data convert`: an image set through the simulated saccade camera, written as N-MNIST files.
struct DataConvert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Record an image set with the simulated saccade camera and write it in the N-MNIST layout.",
        discussion: """
            Writes DIR/Train/<class>/<index>.bin and DIR/Test/<class>/<index>.bin (N-MNIST's 5-byte events)
            and DIR/sensor (the sensor's width and height). A session reads DIR as events with
            data.source = "DIR" and an [events] table. The camera (SaccadeCamera): the image moves along a
            triangle (0,0), (a,a), (-a,a), (0,0) in --micro-steps steps; a pixel emits an event per --threshold
            change of ln(I + --log-offset); per-pixel thresholds vary by --threshold-sigma, seeded by --seed.
            """)

    @Option(help: "Image set: digits, fashion-mnist or an IDX folder.") var data: String
    @Option(help: "Folder to write (created; existing files of the same name are replaced).") var to: String
    @Option(help: "train, test or both.") var split = "both"
    @Option(help: "Convert the first N samples of each split only.") var limit: Int?
    @Option(help: "Contrast threshold θ (log intensity).") var threshold: Float = 0.15
    @Option(help: "Relative per-pixel threshold mismatch.") var thresholdSigma: Float = 0.03
    @Option(help: "Saccade amplitude a, pixels.") var amplitude: Float = 2
    @Option(help: "Micro-steps over the three saccades (a multiple of 3).") var microSteps = 24
    @Option(help: "ε of ln(I + ε).") var logOffset: Float = 0.05
    @Option(help: "Recording length, µs.") var durationUs: Int = 300_000
    @Option(help: "Seed of the per-pixel thresholds.") var seed: UInt64 = 0

    func run() throws {
        var camera = SaccadeCamera()
        (camera.threshold, camera.thresholdSigma, camera.amplitude) = (threshold, thresholdSigma, amplitude)
        (camera.microSteps, camera.logOffset, camera.durationUs, camera.seed) = (microSteps, logOffset, Int64(durationUs), seed)
        if let problem = camera.problem() { throw InputError(description: "camera: \(problem)") }
        let splits: [Split]
        switch split {
        case "both": splits = [.train, .test]
        case "train": splits = [.train]
        case "test": splits = [.test]
        default: throw InputError(description: "--split must be train, test or both, found '\(split)'")
        }
        if let limit, limit < 1 { throw InputError(description: "--limit must be at least 1, found \(limit)") }
        let source = DataSource(name: data)
        for s in splits {
            var samples = EventSamples(camera: camera, images: try DataLoader.load(source, split: s))
            if let limit { samples = samples.prefix(limit) }
            let start = Date()
            let events: Int
            do { events = try EventFolder.write(samples, to: to) } catch let e as DataError { throw e } catch {
                throw InputError(description: "\(to): cannot write: \(error.localizedDescription)")
            }
            print(String(format: "%@ %@: %d recordings, %d events (%.0f per recording) -> %@/%@ in %.1f s", source.name, s.rawValue,
                         samples.count, events, Double(events) / Double(max(samples.count, 1)), to, s == .train ? "Train" : "Test",
                         Date().timeIntervalSince(start)))
        }
    }
}

/// `spikescope data info`: what an event file holds, and how it bins.
struct DataInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an event recording: .bin (N-MNIST), .aedat (AEDAT 2.0) or .csv (t,x,y,p).",
        discussion: "Prints the sensor, the events, the time span, ON and OFF counts, and the events in each of --T frames.")

    @Argument(help: "The recording.") var file: String
    @Option(help: "AEDAT 2.0 address layout: dvs128 or cifar10-dvs.") var layout = "dvs128"
    @Option(help: "Sensor as WxH (.bin: default the event folder's sensor file, else 34x34, N-MNIST's; .csv: the largest x and y + 1).")
    var sensor: String?
    @Option(name: .customLong("T"), help: "Frames to bin into.") var timesteps = 4
    @Option(help: "time or count.") var bins = "time"

    func run() throws {
        guard timesteps >= 1 else { throw InputError(description: "--T must be at least 1, found \(timesteps)") }
        guard let split = Binning.Split(rawValue: bins) else { throw InputError(description: "--bins must be time or count, found '\(bins)'") }
        var size: (Int, Int)?
        if let sensor {
            let p = sensor.split(separator: "x").map { Int($0) }
            guard p.count == 2, let w = p[0], let h = p[1], w >= 1, h >= 1 else {
                throw InputError(description: "--sensor must be WIDTHxHEIGHT, e.g. 34x34, found '\(sensor)'")
            }
            size = (w, h)
        }
        let r: EventRecording
        switch (file as NSString).pathExtension.lowercased() {
        case "bin":
            // A file of an event folder (DIR/Train/<class>/x.bin) takes the folder's sensor.
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            let (w, h) = try size ?? EventFolder.sensor(folder)
            r = try NMNIST.read(path: file, width: w, height: h)
        case "aedat", "dat":
            guard let l = AEDAT.Layout(rawValue: layout) else {
                throw InputError(description: "--layout must be dvs128 or cifar10-dvs, found '\(layout)'")
            }
            r = try AEDAT.read(path: file, layout: l)
        case "csv": r = try EventCSV.read(path: file, width: size?.0, height: size?.1)
        default:
            throw InputError(description: "\(file): unknown event format '.\((file as NSString).pathExtension)': expected .bin (N-MNIST), .aedat (AEDAT 2.0) or .csv (t,x,y,p)")
        }
        // The readers refuse empty recordings; this guard keeps that promise local.
        guard let first = r.events.first, let last = r.events.last else { throw InputError(description: "\(file): no events") }
        let on = r.events.filter(\.on).count, b = Binning(split: split)
        let frames = b.bin(r, timesteps: timesteps), per = frames.count / timesteps
        print("\(file): \(r.width)x\(r.height) sensor, \(r.events.count) events (\(on) ON, \(r.events.count - on) OFF), "
              + "\(first.t)-\(last.t) µs")
        for (k, w) in b.windows(r.events, timesteps: timesteps).enumerated() {
            print(String(format: "  frame %d: %.1f-%.1f ms, %d events", k + 1, Double(w.start) / 1000, Double(w.end) / 1000,
                         Int(frames[(k * per)..<((k + 1) * per)].reduce(0, +))))
        }
    }
}
