import SpikeCore

// Dimension letters in this module: N samples, B batch, C channels, H height, W width,
// F = C*H*W features per sample.

/// Which part of a dataset: the training or the test samples.
public enum Split: String, Sendable, CaseIterable {
    case train, test
}

/// A labelled image set held in memory; images scaled to [0, 1].
///
/// Samples are stored one after another, each as C*H*W values in row-major (C, H, W) order.
/// Values stay as read from the source (scaled, never normalised or augmented). A set read from
/// 8-bit files keeps its bytes (a quarter of the memory of floats) and scales a sample when it
/// is read: `image`, `copyImage` and `images` give byte / divisor, exactly as a float set would hold it.
public struct Dataset: Sendable {
    /// "digits", "fashion-mnist", or the folder path the dataset was read from.
    public let name: String
    /// The split these samples belong to.
    public let split: Split
    /// Per-sample shape (C, H, W): [1, 8, 8] for digits, [1, 28, 28] for MNIST-like sets.
    public let sampleShape: [Int]
    /// Class indices in `0..<classes`: (N).
    public let labels: [Int]
    /// Number of classes; labels lie in `0..<classes`.
    public let classes: Int
    /// The pixel values, as floats or as bytes with their divisor.
    let storage: Storage

    enum Storage: Sendable {
        case floats([Float])
        case bytes([UInt8], divisor: Float)
        /// Made when read: `make(i, out)` writes sample i's F values (event frames binned on demand).
        case generated(make: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void)
    }

    /// Creates a dataset from in-memory values; `images.count` must be `labels.count * F`.
    ///
    /// Meant for code (tests, synthetic sets); file loaders validate their input first and throw.
    public init(name: String, split: Split, sampleShape: [Int], images: [Float], labels: [Int],
                classes: Int) {
        self.init(name: name, split: split, sampleShape: sampleShape, storage: .floats(images), count: images.count,
                  labels: labels, classes: classes)
    }

    /// Creates a dataset of 8-bit pixels whose values are byte / `divisor`; `bytes.count` must be
    /// `labels.count * F`.
    public init(name: String, split: Split, sampleShape: [Int], bytes: [UInt8], divisor: Float, labels: [Int],
                classes: Int) {
        self.init(name: name, split: split, sampleShape: sampleShape, storage: .bytes(bytes, divisor: divisor),
                  count: bytes.count, labels: labels, classes: classes)
    }

    /// Creates a dataset whose samples are made when read: `make(i, out)` writes the F values of
    /// sample i to `out` and must give the same values every time (seeded by i, never by a clock).
    public init(name: String, split: Split, sampleShape: [Int], labels: [Int], classes: Int,
                make: @escaping @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
        self.init(name: name, split: split, sampleShape: sampleShape, storage: .generated(make: make),
                  count: labels.count * sampleShape.reduce(1, *), labels: labels, classes: classes)
    }

    /// Whether samples are made when read (costly to read twice) rather than held in memory.
    public var isGenerated: Bool { if case .generated = storage { true } else { false } }

    private init(name: String, split: Split, sampleShape: [Int], storage: Storage, count: Int, labels: [Int],
                 classes: Int) {
        precondition(count == labels.count * sampleShape.reduce(1, *),
                     "the pixel count must be labels.count times the product of sampleShape")
        self.name = name
        self.split = split
        self.sampleShape = sampleShape
        self.storage = storage
        self.labels = labels
        self.classes = classes
    }

    /// Pixel values in [0, 1]: (N, F), row-major (a copy when the set keeps bytes).
    public var images: [Float] {
        switch storage {
        case .floats(let values): values
        case .bytes(let bytes, let divisor): bytes.map { Float($0) / divisor }
        case .generated:
            [Float](unsafeUninitializedCapacity: count * featureCount) { out, initialized in
                for i in 0..<count { copyImage(i, to: out.baseAddress! + i * featureCount) }
                initialized = count * featureCount
            }
        }
    }

    /// The F pixel values of sample `index`.
    public func image(_ index: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: featureCount) { out, initialized in
            if let base = out.baseAddress { copyImage(index, to: base) }
            initialized = featureCount
        }
    }

    /// Writes the F pixel values of sample `index` to `out`.
    public func copyImage(_ index: Int, to out: UnsafeMutablePointer<Float>) {
        let f = featureCount, start = index * f
        guard f > 0 else { return }
        switch storage {
        case .floats(let values):
            values.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + start, count: f) }
        case .bytes(let bytes, let divisor):
            bytes.withUnsafeBufferPointer { b in
                let src = b.baseAddress! + start
                for k in 0..<f { out[k] = Float(src[k]) / divisor }
            }
        case .generated(let make):
            make(index, out)
        }
    }

    /// Number of samples N.
    public var count: Int { labels.count }

    /// Features per sample F = C*H*W.
    public var featureCount: Int { sampleShape.reduce(1, *) }

    /// Throws `DataError.shapeMismatch` naming the dataset, its shape and the expected one.
    ///
    /// Accepts `inputShape` equal to `sampleShape` (C, H, W), or a flat `[C*H*W]` of equal count.
    public func check(inputShape: [Int]) throws {
        if inputShape == sampleShape { return }
        if inputShape.count == 1 && inputShape[0] == featureCount { return }
        throw DataError.shapeMismatch(dataset: name, shape: sampleShape, expected: inputShape)
    }
}

extension Dataset {
    /// The first `n` samples (all when there are fewer).
    public func prefix(_ n: Int) -> Dataset {
        samples(0..<min(max(0, n), count))
    }

    /// The samples in `range` (clamped to `0..<count`), in order.
    public func samples(_ range: Range<Int>) -> Dataset {
        let r = range.clamped(to: 0..<count)
        guard r != 0..<count else { return self }
        let f = featureCount, pixels = (r.lowerBound * f)..<(r.upperBound * f), labels = Array(labels[r])
        switch storage {
        case .floats(let values):
            return Dataset(name: name, split: split, sampleShape: sampleShape, images: Array(values[pixels]),
                           labels: labels, classes: classes)
        case .bytes(let bytes, let divisor):
            return Dataset(name: name, split: split, sampleShape: sampleShape, bytes: Array(bytes[pixels]),
                           divisor: divisor, labels: labels, classes: classes)
        case .generated(let make):
            let first = r.lowerBound
            return Dataset(name: name, split: split, sampleShape: sampleShape, labels: labels, classes: classes) { i, out in
                make(first + i, out)
            }
        }
    }
}

extension Dataset {
    /// The same samples held in memory: a set made on demand (event frames) is made once, on both
    /// cores, and kept as bytes when every value is a whole number in 0...255 (event counts), else
    /// as floats. Sets already in memory are returned as they are.
    public func materialized() -> Dataset {
        guard case .generated = storage else { return self }
        let f = featureCount, n = count
        var bytes = [UInt8](repeating: 0, count: n * f), exact = [true, true]
        bytes.withUnsafeMutableBufferPointer { out in
            exact.withUnsafeMutableBufferPointer { ok in
                let base = out.baseAddress!
                concurrently(2) { p in
                    var scratch = [Float](repeating: 0, count: f)
                    scratch.withUnsafeMutableBufferPointer { s in
                        for i in (p * n / 2)..<((p + 1) * n / 2) where ok[p] {
                            copyImage(i, to: s.baseAddress!)
                            for k in 0..<f {
                                let v = s[k]
                                guard v >= 0, v <= 255, v == v.rounded() else { ok[p] = false; break }
                                base[i * f + k] = UInt8(v)
                            }
                        }
                    }
                }
            }
        }
        if exact == [true, true] {
            return Dataset(name: name, split: split, sampleShape: sampleShape, bytes: bytes, divisor: 1, labels: labels, classes: classes)
        }
        return Dataset(name: name, split: split, sampleShape: sampleShape, images: images, labels: labels, classes: classes)
    }
}

extension Dataset {
    /// The same samples resized to `height` x `width` per channel by bilinear interpolation (pixel
    /// centres aligned, as PIL and torchvision resize without antialiasing), held as floats.
    public func resized(height: Int, width: Int) -> Dataset {
        let (c, h, w) = sampleShape.count == 3 ? (sampleShape[0], sampleShape[1], sampleShape[2]) : (1, 1, featureCount)
        let out = height * width
        var values = [Float](repeating: 0, count: count * c * out)
        var image = [Float](repeating: 0, count: featureCount)
        for i in 0..<count {
            image.withUnsafeMutableBufferPointer { copyImage(i, to: $0.baseAddress!) }
            for ch in 0..<c {
                for y in 0..<height {
                    let sy = min(max((Float(y) + 0.5) * Float(h) / Float(height) - 0.5, 0), Float(h - 1))
                    let y0 = Int(sy), y1 = min(y0 + 1, h - 1), fy = sy - Float(y0)
                    for x in 0..<width {
                        let sx = min(max((Float(x) + 0.5) * Float(w) / Float(width) - 0.5, 0), Float(w - 1))
                        let x0 = Int(sx), x1 = min(x0 + 1, w - 1), fx = sx - Float(x0)
                        let b = ch * h * w
                        let top = image[b + y0 * w + x0] * (1 - fx) + image[b + y0 * w + x1] * fx
                        let bottom = image[b + y1 * w + x0] * (1 - fx) + image[b + y1 * w + x1] * fx
                        values[(i * c + ch) * out + y * width + x] = top * (1 - fy) + bottom * fy
                    }
                }
            }
        }
        return Dataset(name: name, split: split, sampleShape: [c, height, width], images: values, labels: labels, classes: classes)
    }
}
