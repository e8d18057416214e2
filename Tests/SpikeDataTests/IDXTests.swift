import Foundation
import Testing
@testable import SpikeData

/// Three 2x3 training images and two test images, with their labels.
let trainPixels: [UInt8] = [0, 255, 51, 102, 153, 204,  1, 2, 3, 4, 5, 6,  255, 254, 0, 0, 128, 127]
let trainLabels: [UInt8] = [3, 0, 9]
let testPixels: [UInt8] = [10, 20, 30, 40, 50, 60,  70, 80, 90, 100, 110, 120]
let testLabels: [UInt8] = [1, 2]

/// Writes a complete MNIST-layout folder, raw or gzipped (with a `.gz` suffix then).
func writeSmallSet(gzip: Bool) throws -> String {
    let folder = try makeTempFolder()
    let files: [(String, [UInt8])] = [
        ("train-images-idx3-ubyte", idxImages(count: 3, height: 2, width: 3, pixels: trainPixels)),
        ("train-labels-idx1-ubyte", idxLabels(trainLabels)),
        ("t10k-images-idx3-ubyte", idxImages(count: 2, height: 2, width: 3, pixels: testPixels)),
        ("t10k-labels-idx1-ubyte", idxLabels(testLabels)),
    ]
    for (name, bytes) in files {
        if gzip { try writeGzip(bytes, to: folder, name + ".gz") } else { try write(bytes, to: folder, name) }
    }
    return folder
}

@Test(arguments: [false, true])
func idxFolderRoundTrips(gzip: Bool) throws {
    let folder = try writeSmallSet(gzip: gzip)
    let train = try DataLoader.load(.folder(folder), split: .train)
    #expect(train.name == folder)
    #expect(train.split == .train)
    #expect(train.sampleShape == [1, 2, 3])
    #expect(train.count == 3 && train.featureCount == 6 && train.classes == 10)
    #expect(train.images == trainPixels.map { Float($0) / 255 })
    #expect(train.labels == [3, 0, 9])
    #expect(Array(train.image(2)) == [255, 254, 0, 0, 128, 127].map { Float($0) / 255 })
    let test = try DataLoader.load(.folder(folder), split: .test)
    #expect(test.count == 2)
    #expect(test.images == testPixels.map { Float($0) / 255 })
    #expect(test.labels == [1, 2])
}

@Test func gzipIsRecognisedByMagicBytesNotByName() throws {
    let folder = try makeTempFolder()
    // Gzip content under the raw name, raw content under the .gz name.
    try writeGzip(idxImages(count: 3, height: 2, width: 3, pixels: trainPixels), to: folder,
                  "train-images-idx3-ubyte")
    try write(idxLabels(trainLabels), to: folder, "train-labels-idx1-ubyte.gz")
    let train = try DataLoader.load(.folder(folder), split: .train)
    #expect(train.images == trainPixels.map { Float($0) / 255 })
    #expect(train.labels == [3, 0, 9])
}

@Test func idxReaderHandlesMoreThanOneChunk() throws {
    // 5 MB of pixels: more than one 4 MiB read call.
    let (n, h, w) = (6_400, 28, 28)
    let pixels = (0..<n * h * w).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
    let folder = try makeTempFolder()
    try writeGzip(idxImages(count: n, height: h, width: w, pixels: pixels), to: folder, "a.gz")
    try write(idxImages(count: n, height: h, width: w, pixels: pixels), to: folder, "b")
    for name in ["a.gz", "b"] {
        let images = try IDX.readImages(path: folder + "/" + name)
        #expect(images.count == n && images.height == h && images.width == w)
        #expect(images.pixels == pixels.map { Float($0) / 255 })
    }
}

// MARK: - Errors: each case with its exact message.

/// Loads the training split of a folder holding `images` and `labels` (raw) and returns the error.
func trainError(images: [UInt8], labels: [UInt8]) throws -> (folder: String, error: DataError?) {
    let folder = try makeTempFolder()
    try write(images, to: folder, "train-images-idx3-ubyte")
    try write(labels, to: folder, "train-labels-idx1-ubyte")
    do {
        _ = try DataLoader.load(.folder(folder), split: .train)
        return (folder, nil)
    } catch let error as DataError {
        return (folder, error)
    }
}

@Test func missingFileNamesTheFile() throws {
    let folder = try makeTempFolder()
    let expected = DataError.fileMissing(file: folder + "/t10k-images-idx3-ubyte[.gz]", package: nil)
    #expect(throws: expected) { try DataLoader.load(.folder(folder), split: .test) }
    #expect(expected.description == "\(folder)/t10k-images-idx3-ubyte[.gz]: file not found")
}

@Test func missingFashionMNISTNamesTheDebianPackage() throws {
    let folder = try makeTempFolder()
    let expected = DataError.fileMissing(file: folder + "/train-images-idx3-ubyte[.gz]",
                                         package: "dataset-fashion-mnist")
    #expect(throws: expected) {
        try DataLoader.loadFolder(folder, name: "fashion-mnist", split: .train,
                                  package: DataSource.fashionMNISTPackage)
    }
    #expect(expected.description == "\(folder)/train-images-idx3-ubyte[.gz]: file not found; "
        + "the Debian package dataset-fashion-mnist provides it (apt-get install dataset-fashion-mnist)")
}

@Test func wrongMagicNamesExpectedAndFound() throws {
    // A labels file where the images file should be.
    let (folder, error) = try trainError(images: idxLabels(trainLabels), labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error == .badMagic(file: file, expected: 0x803, found: 0x801))
    #expect(error?.description
        == "\(file): wrong IDX magic number, expected 0x00000803, found 0x00000801")
}

@Test func truncatedPixelDataNamesExpectedAndFoundBytes() throws {
    let images = idxImages(count: 3, height: 2, width: 3, pixels: Array(trainPixels.prefix(10)))
    let (folder, error) = try trainError(images: images, labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error == .truncated(file: file, part: "pixel data", expected: 18, found: 10))
    #expect(error?.description == "\(file): truncated, expected 18 bytes of pixel data, found 10")
}

@Test func truncatedHeaderIsReported() throws {
    let images = Array(idxImages(count: 3, height: 2, width: 3, pixels: []).prefix(6))
    let (folder, error) = try trainError(images: images, labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error?.description == "\(file): truncated, expected 16 bytes of header, found 6")
}

@Test func truncatedLabelDataIsReported() throws {
    let images = idxImages(count: 3, height: 2, width: 3, pixels: trainPixels)
    let (folder, error) = try trainError(images: images, labels: idxLabels([3, 0], count: 3))
    let file = folder + "/train-labels-idx1-ubyte"
    #expect(error?.description == "\(file): truncated, expected 3 bytes of label data, found 2")
}

@Test func implausibleHeaderIsReportedNotAllocated() throws {
    let images = idxImages(count: 0xFFFF_FFFF, height: 0xFFFF_FFFF, width: 0xFFFF_FFFF, pixels: [])
    let (folder, error) = try trainError(images: images, labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error?.description == "\(file): IDX header declares 4294967295 x 4294967295 x "
        + "4294967295 bytes, more than can be held in memory")
}

@Test func countMismatchNamesBothFiles() throws {
    let images = idxImages(count: 3, height: 2, width: 3, pixels: trainPixels)
    let (folder, error) = try trainError(images: images, labels: idxLabels([3, 0]))
    let (i, l) = (folder + "/train-images-idx3-ubyte", folder + "/train-labels-idx1-ubyte")
    #expect(error == .countMismatch(images: i, imageCount: 3, labels: l, labelCount: 2))
    #expect(error?.description == "\(i) holds 3 images but \(l) holds 2 labels")
}

@Test func labelOutOfRangeNamesIndexAndValue() throws {
    let images = idxImages(count: 3, height: 2, width: 3, pixels: trainPixels)
    let (folder, error) = try trainError(images: images, labels: idxLabels([3, 10, 200]))
    let file = folder + "/train-labels-idx1-ubyte"
    #expect(error == .labelOutOfRange(file: file, index: 1, label: 10, classes: 10))
    #expect(error?.description == "\(file): label at index 1 must be in 0..<10, found 10")
}

@Test func corruptGzipIsReportedWithZlibsReason() throws {
    // A valid gzip header, then a deflate block of the reserved type 3 (BFINAL=1, BTYPE=11).
    let bytes: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    let (folder, error) = try trainError(images: bytes, labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error == .corruptGzip(file: file, reason: "invalid block type"))
    #expect(error?.description == "\(file): corrupt gzip data: invalid block type")
}

@Test func truncatedGzipIsReported() throws {
    let whole = try gzipped(idxImages(count: 3, height: 2, width: 3, pixels: trainPixels))
    let (folder, error) = try trainError(images: Array(whole.prefix(whole.count - 12)),
                                         labels: idxLabels(trainLabels))
    let file = folder + "/train-images-idx3-ubyte"
    #expect(error?.description == "\(file): corrupt gzip data: unexpected end of file")
}
