import Foundation
import SpikeData
import Testing

/// True when the Debian package `dataset-fashion-mnist` has installed its four files.
let fashionMNISTInstalled = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    .allSatisfy { FileManager.default.fileExists(atPath: DataSource.fashionMNISTFolder + "/" + $0) }

@Test(.enabled(if: fashionMNISTInstalled, "needs the Debian package dataset-fashion-mnist"))
func fashionMNISTLoads60000And10000Images() throws {
    let train = try DataLoader.load(.fashionMNIST, split: .train)
    let test = try DataLoader.load(.fashionMNIST, split: .test)
    #expect(train.count == 60_000 && test.count == 10_000)
    #expect(train.sampleShape == [1, 28, 28] && test.sampleShape == [1, 28, 28])
    #expect(train.images.count == 60_000 * 784 && test.images.count == 10_000 * 784)
    #expect(train.name == "fashion-mnist")
    // Published label balance: 6,000 per class in train, 1,000 in test.
    var counts = [Int](repeating: 0, count: 10)
    for label in train.labels { counts[label] += 1 }
    #expect(counts == [Int](repeating: 6_000, count: 10))
    counts = [Int](repeating: 0, count: 10)
    for label in test.labels { counts[label] += 1 }
    #expect(counts == [Int](repeating: 1_000, count: 10))
    // First training label of Fashion-MNIST is 9 (ankle boot), first test label 9 as well.
    #expect(train.labels[0] == 9 && test.labels[0] == 9)
    #expect(train.images.min() == 0 && train.images.max() == 1)
}
