// A labelled set of event recordings, and how a session's data becomes event frames.
import Foundation
import SpikeCore

/// A labelled set of event recordings: files read into memory (12 bytes an event), or a
/// `SaccadeCamera` over an image set, recording a sample each time it is asked for.
public struct EventSamples: Sendable {
    /// The dataset's name (the folder, or the image set's name).
    public let name: String
    /// The split these samples belong to.
    public let split: Split
    /// The sensor.
    public let width: Int, height: Int
    /// Class of each recording.
    public let labels: [Int]
    /// Number of classes.
    public let classes: Int
    let source: Source

    enum Source: Sendable {
        case camera(SaccadeCamera, Dataset)
        /// Every recording's events one after another: time, and x | y << 15 | ON << 30.
        case stored(times: [Int64], packed: [UInt32], offsets: [Int])
    }

    /// A camera over an image set (C, H, W): the sensor has the images' size.
    public init(camera: SaccadeCamera, images: Dataset) {
        name = images.name; split = images.split; labels = images.labels; classes = images.classes
        height = images.sampleShape.count == 3 ? images.sampleShape[1] : 1
        width = images.sampleShape.last ?? images.featureCount
        source = .camera(camera, images)
    }

    /// Recordings held in memory (each on the `width` x `height` sensor).
    public init(name: String, split: Split, width: Int, height: Int, recordings: [EventRecording], labels: [Int],
                classes: Int) {
        var times: [Int64] = [], packed: [UInt32] = [], offsets = [0]
        for r in recordings {
            for e in r.events {
                times.append(e.t)
                packed.append(UInt32(e.x) | UInt32(e.y) << 15 | (e.on ? 1 << 30 : 0))
            }
            offsets.append(times.count)
        }
        self.name = name; self.split = split; self.width = width; self.height = height
        self.labels = labels; self.classes = classes
        source = .stored(times: times, packed: packed, offsets: offsets)
    }

    /// Number of recordings.
    public var count: Int { labels.count }

    /// Recording `i`.
    public func recording(_ i: Int) -> EventRecording {
        switch source {
        case let .camera(camera, images):
            var pixels = [Float](repeating: 0, count: images.featureCount)
            pixels.withUnsafeMutableBufferPointer { images.copyImage(i, to: $0.baseAddress!) }
            let shape = images.sampleShape.count == 3 ? images.sampleShape : [1, 1, images.featureCount]
            return camera.record(pixels, shape: shape, index: i)
        case let .stored(times, packed, offsets):
            let events = (offsets[i]..<offsets[i + 1]).map { j in
                let p = packed[j]
                return Event(t: times[j], x: Int(p & 0x7FFF), y: Int(p >> 15 & 0x7FFF), on: p & 1 << 30 != 0)
            }
            return EventRecording(width: width, height: height, events: events)
        }
    }

    /// The first `n` recordings.
    public func prefix(_ n: Int) -> EventSamples {
        let k = min(max(0, n), count)
        switch source {
        case let .camera(camera, images): return EventSamples(camera: camera, images: images.prefix(k))
        case .stored: return EventSamples(name: name, split: split, width: width, height: height,
                                          recordings: (0..<k).map(recording), labels: Array(labels.prefix(k)), classes: classes)
        }
    }

    /// A dataset of `T` frames per sample, (T, C, H', W') event counts, binned when read.
    public func frames(_ binning: Binning, timesteps T: Int) -> Dataset {
        let shape = binning.frameShape(width: width, height: height)
        let samples = self
        return Dataset(name: name, split: split, sampleShape: [T * shape[0], shape[1], shape[2]], labels: labels,
                       classes: classes) { i, out in binning.bin(samples.recording(i), timesteps: T, into: out) }
    }
}

/// The N-MNIST folder layout: `Train/` and `Test/`, a folder per class named by its index
/// (`0`, `1`, ...), a `.bin` file per recording (read in name order). The sensor is 34 x 34
/// (N-MNIST's) unless the folder holds a file `sensor` with its width and height ("28 28").
public enum EventFolder {
    /// Whether `path` is laid out as N-MNIST is (holds `Train/` or `Test/`).
    public static func isEventFolder(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return ["Train", "Test"].contains { FileManager.default.fileExists(atPath: path + "/" + $0, isDirectory: &dir) && dir.boolValue }
    }

    /// The split's folder name.
    static func folder(_ split: Split) -> String { split == .train ? "Train" : "Test" }

    /// The sensor of the folder: its `sensor` file, else N-MNIST's 34 x 34.
    public static func sensor(_ path: String) throws -> (width: Int, height: Int) {
        let file = path + "/sensor"
        guard FileBytes.isRegularFile(file) else { return (NMNIST.width, NMNIST.height) }
        let text = String(decoding: try FileBytes.read(file), as: UTF8.self)
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], (1...256).contains(w), (1...256).contains(h) else {
            throw DataError.badEvents(file: file, at: nil, problem: "expected the sensor's width and height, two integers in 1...256, e.g. \"34 34\"")
        }
        return (w, h)
    }

    /// Reads a split into memory; errors name the file (and byte) at fault.
    public static func load(_ path: String, split: Split) throws -> EventSamples {
        let fm = FileManager.default, root = path + "/" + folder(split)
        let (w, h) = try sensor(path)
        guard let names = try? fm.contentsOfDirectory(atPath: root) else { throw DataError.fileMissing(file: root + "/", package: nil) }
        let classFolders = names.compactMap { n in Int(n).map { ($0, n) } }.sorted { $0.0 < $1.0 }
        guard let bottom = classFolders.first?.0, let top = classFolders.last?.0, bottom >= 0, top < 1000 else {
            throw DataError.badEvents(file: root, at: nil, problem: "no class folders (0, 1, ...) holding .bin files")
        }
        var recordings: [EventRecording] = [], labels: [Int] = []
        for (label, name) in classFolders {
            let dir = root + "/" + name
            let files = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
            for f in files {
                recordings.append(try NMNIST.read(path: dir + "/" + f, width: w, height: h))
                labels.append(label)
            }
        }
        guard !recordings.isEmpty else { throw DataError.badEvents(file: root, at: nil, problem: "no .bin files in the class folders") }
        return EventSamples(name: path, split: split, width: w, height: h, recordings: recordings, labels: labels,
                            classes: top + 1)
    }

    /// Writes `samples` as `.bin` files under `path/Train` or `path/Test` (`%05d.bin` by index,
    /// in the class folder), and the `sensor` file; on both cores. Returns the events written.
    @discardableResult
    public static func write(_ samples: EventSamples, to path: String) throws -> Int {
        let fm = FileManager.default, root = path + "/" + folder(samples.split)
        for c in 0..<samples.classes { try fm.createDirectory(atPath: root + "/\(c)", withIntermediateDirectories: true) }
        try Data("\(samples.width) \(samples.height)\n".utf8).write(to: URL(fileURLWithPath: path + "/sensor"), options: .atomic)
        let parts = 2, n = samples.count
        var errors = [Error?](repeating: nil, count: parts), counts = [Int](repeating: 0, count: parts)
        errors.withUnsafeMutableBufferPointer { errs in
            counts.withUnsafeMutableBufferPointer { cnt in
                concurrently(parts) { p in
                    do {
                        for i in (p * n / parts)..<((p + 1) * n / parts) {
                            let r = samples.recording(i)
                            try NMNIST.write(r, to: root + "/\(samples.labels[i])/" + String(format: "%05d.bin", i))
                            cnt[p] += r.events.count
                        }
                    } catch { errs[p] = error }
                }
            }
        }
        if let e = errors.compactMap({ $0 }).first { throw e }
        return counts.reduce(0, +)
    }
}

/// How a session's images or recordings become event frames: the camera (for image sources)
/// and the binning.
public struct EventInput: Equatable, Sendable {
    /// The simulated camera that records image sources (unused for an N-MNIST folder).
    public var camera: SaccadeCamera
    /// How a recording becomes frames.
    public var binning: Binning
    /// Creates the input.
    public init(camera: SaccadeCamera = SaccadeCamera(), binning: Binning = Binning()) {
        self.camera = camera; self.binning = binning
    }

    /// The split's recordings: an N-MNIST folder as stored, any image source through the camera.
    public func samples(_ source: DataSource, split: Split) throws -> EventSamples {
        if case let .folder(path) = source, EventFolder.isEventFolder(path) { return try EventFolder.load(path, split: split) }
        return EventSamples(camera: camera, images: try DataLoader.load(source, split: split))
    }
}

extension DataLoader {
    /// One split of `source`: images, or (with `events`) T event frames per sample, binned when read.
    public static func load(_ source: DataSource, split: Split, events: EventInput?, timesteps T: Int) throws -> Dataset {
        guard let events else { return try load(source, split: split) }
        return try events.samples(source, split: split).frames(events.binning, timesteps: T)
    }
}
