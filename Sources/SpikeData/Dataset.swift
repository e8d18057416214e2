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
        let k = min(max(0, n), count)
        guard k < count else { return self }
        let n = k * featureCount
        switch storage {
        case .floats(let values):
            return Dataset(name: name, split: split, sampleShape: sampleShape, images: Array(values.prefix(n)),
                           labels: Array(labels.prefix(k)), classes: classes)
        case .bytes(let bytes, let divisor):
            return Dataset(name: name, split: split, sampleShape: sampleShape, bytes: Array(bytes.prefix(n)),
                           divisor: divisor, labels: Array(labels.prefix(k)), classes: classes)
        }
    }
}
