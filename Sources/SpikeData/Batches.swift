import SpikeCore

/// Seeded epoch batching: a shuffle of indices per epoch with Rng; last partial batch kept (or dropped with dropLast).
///
/// The order of epoch `e` is a Fisher–Yates shuffle of `0..<N` drawn from
/// `Rng(seed: seed).derived(UInt64(e))`, so any epoch can be replayed alone, and the same
/// seed and epoch give the same batches on every machine. Without `shuffle` the order is
/// `0..<N`. Each batch copies its samples: images (B, F), labels (B), and the sample indices.
public struct Batches: Sequence, Sendable {
    /// One batch: images (B, F) row-major, labels (B), and the dataset indices of the B samples.
    public typealias Element = (images: [Float], labels: [Int], indices: [Int])

    /// The dataset the batches are cut from.
    public let dataset: Dataset
    /// Samples per batch B (the last batch may hold fewer unless `dropLast`).
    public let batchSize: Int
    /// Whether a final batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    /// This epoch's sample order (N indices, each exactly once).
    public let order: [Int]

    /// Prepares one epoch of batches; `batchSize` must be at least 1 (callers validate user input).
    public init(dataset: Dataset, batchSize: Int, shuffle: Bool, seed: UInt64, epoch: Int = 0,
                dropLast: Bool = false) {
        precondition(batchSize >= 1, "batchSize must be at least 1")
        self.dataset = dataset
        self.batchSize = batchSize
        self.dropLast = dropLast
        var order = Array(0..<dataset.count)
        if shuffle {
            var rng = Rng(seed: seed).derived(UInt64(bitPattern: Int64(epoch)))
            rng.shuffle(&order)
        }
        self.order = order
    }

    /// Number of batches this epoch yields.
    public var batchCount: Int {
        dropLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// The exact number of batches (`batchCount`).
    public var underestimatedCount: Int { batchCount }

    /// Starts at the first batch of the epoch.
    public func makeIterator() -> Iterator { Iterator(batches: self) }

    /// Walks the epoch's order one batch at a time.
    public struct Iterator: IteratorProtocol {
        let batches: Batches
        var batch = 0

        /// The next batch, or nil after the last one.
        public mutating func next() -> Element? {
            guard batch < batches.batchCount else { return nil }
            let start = batch * batches.batchSize
            let end = Swift.min(start + batches.batchSize, batches.order.count)
            batch += 1
            let indices = Array(batches.order[start..<end])
            let f = batches.dataset.featureCount
            let images = [Float](unsafeUninitializedCapacity: indices.count * f) { out, initialized in
                if let base = out.baseAddress {
                    let dataset = batches.dataset, n = indices.count
                    // Samples made on demand (event frames) are made on both cores, each into its own rows.
                    let parts = dataset.isGenerated && n >= 8 ? 2 : 1
                    concurrently(parts) { p in
                        for j in (p * n / parts)..<((p + 1) * n / parts) { dataset.copyImage(indices[j], to: base + j * f) }
                    }
                }
                initialized = indices.count * f
            }
            return (images, indices.map { batches.dataset.labels[$0] }, indices)
        }
    }
}
