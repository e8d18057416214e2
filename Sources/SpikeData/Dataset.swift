// Dimension letters in this module: N samples, B batch, C channels, H height, W width,
// F = C*H*W features per sample.

/// Which part of a dataset: the training or the test samples.
public enum Split: String, Sendable, CaseIterable {
    case train, test
}

/// A labelled image set held in memory; images scaled to [0, 1].
///
/// Samples are stored one after another, each as C*H*W floats in row-major (C, H, W) order.
/// Values stay as read from the source (scaled, never normalised or augmented).
public struct Dataset: Sendable {
    /// "digits", "fashion-mnist", or the folder path the dataset was read from.
    public let name: String
    /// The split these samples belong to.
    public let split: Split
    /// Per-sample shape (C, H, W): [1, 8, 8] for digits, [1, 28, 28] for MNIST-like sets.
    public let sampleShape: [Int]
    /// Pixel values in [0, 1]: (N, F), row-major.
    public let images: [Float]
    /// Class indices in `0..<classes`: (N).
    public let labels: [Int]
    /// Number of classes; labels lie in `0..<classes`.
    public let classes: Int

    /// Creates a dataset from in-memory values; `images.count` must be `labels.count * F`.
    ///
    /// Meant for code (tests, synthetic sets); file loaders validate their input first and throw.
    public init(name: String, split: Split, sampleShape: [Int], images: [Float], labels: [Int],
                classes: Int) {
        precondition(images.count == labels.count * sampleShape.reduce(1, *),
                     "images.count must be labels.count times the product of sampleShape")
        self.name = name
        self.split = split
        self.sampleShape = sampleShape
        self.images = images
        self.labels = labels
        self.classes = classes
    }

    /// Number of samples N.
    public var count: Int { labels.count }

    /// Features per sample F = C*H*W.
    public var featureCount: Int { sampleShape.reduce(1, *) }

    /// The F pixel values of sample `index` (a view into `images`; indices are those of `images`).
    public func image(_ index: Int) -> ArraySlice<Float> {
        let f = featureCount
        return images[index * f ..< (index + 1) * f]
    }

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
        return Dataset(name: name, split: split, sampleShape: sampleShape, images: Array(images.prefix(k * featureCount)),
                       labels: Array(labels.prefix(k)), classes: classes)
    }
}
