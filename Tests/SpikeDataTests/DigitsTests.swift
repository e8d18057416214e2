import Testing
@testable import SpikeData

/// Row 1 of scikit-learn's digits.csv (pixels 0...16, label last).
let firstDigitsRow: [Float] = [
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0,
    8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6,
    13, 10, 0, 0, 0,
]
/// Row 1,438 of digits.csv, the first row of the test split (label 2).
let firstDigitsTestRow: [Float] = [
    0, 4, 16, 15, 2, 0, 0, 0, 0, 11, 15, 15, 7, 0, 0, 0, 0, 9, 10, 6, 14, 0, 0, 0, 0, 0, 0, 7, 15,
    0, 0, 0, 0, 0, 0, 13, 10, 0, 0, 0, 0, 0, 1, 16, 7, 2, 2, 0, 0, 1, 12, 16, 15, 16, 15, 0, 0, 4,
    16, 16, 16, 12, 11, 0,
]

@Test func digitsSplitIs1437TrainAnd360Test() throws {
    let train = try DataLoader.load(.digits, split: .train)
    let test = try DataLoader.load(.digits, split: .test)
    #expect(train.count == 1_437)
    #expect(test.count == 360)
    #expect(train.images.count == 1_437 * 64)
    #expect(test.images.count == 360 * 64)
    for d in [train, test] {
        #expect(d.name == "digits")
        #expect(d.sampleShape == [1, 8, 8])
        #expect(d.featureCount == 64)
        #expect(d.classes == 10)
    }
    #expect(train.split == .train && test.split == .test)
}

@Test func digitsRowsMatchTheCSVScaledBySixteen() throws {
    let train = try DataLoader.load(.digits, split: .train)
    let test = try DataLoader.load(.digits, split: .test)
    // Divisions by 16 are exact in binary, so == is fair.
    #expect(Array(train.image(0)) == firstDigitsRow.map { $0 / 16 })
    #expect(train.labels[0] == 0)
    #expect(Array(test.image(0)) == firstDigitsTestRow.map { $0 / 16 })
    #expect(test.labels[0] == 2)
    #expect(test.labels[359] == 8)   // last row of the file
    #expect(train.images.min() == 0 && train.images.max() == 1)
}

@Test func digitsClassCountsMatchTheFile() throws {
    let test = try DataLoader.load(.digits, split: .test)
    var counts = [Int](repeating: 0, count: 10)
    for label in test.labels { counts[label] += 1 }
    // Counted with awk over the last 360 lines of digits.csv.
    #expect(counts == [35, 36, 35, 37, 37, 37, 37, 36, 33, 37])
}

@Test func digitsCSVParserRejectsBadRows() {
    let short = Array("1,2,3\n".utf8)
    #expect(throws: DataError.malformedCSV(file: "digits.csv.gz (embedded)", line: 1,
                                           problem: "expected 65 comma-separated values, found 3")) {
        _ = try Digits.parse(.init(short))
    }
    let bigPixel = Array((Array(repeating: "0", count: 63) + ["17", "3"]).joined(separator: ",").utf8)
    #expect(throws: DataError.malformedCSV(file: "digits.csv.gz (embedded)", line: 1,
                                           problem: "pixel 63 must be in 0...16, found 17")) {
        _ = try Digits.parse(.init(bigPixel))
    }
}

@Test func shapeCheckAcceptsEqualOrFlatShapesAndNamesTheMismatch() throws {
    let digits = try DataLoader.load(.digits, split: .test)
    try digits.check(inputShape: [1, 8, 8])
    try digits.check(inputShape: [64])
    let error = DataError.shapeMismatch(dataset: "digits", shape: [1, 8, 8], expected: [1, 28, 28])
    #expect(throws: error) { try digits.check(inputShape: [1, 28, 28]) }
    #expect(throws: DataError.self) { try digits.check(inputShape: [8, 8]) }
    #expect(throws: DataError.self) { try digits.check(inputShape: [784]) }
    #expect(error.description
        == "dataset 'digits' has samples of shape [1, 8, 8], but the model expects input shape [1, 28, 28]")
}

@Test(arguments: [
    ("digits", DataSource.digits), ("DIGITS", .digits), ("fashion-mnist", .fashionMNIST),
    ("fashion_mnist", .fashionMNIST), ("./digits", .folder("./digits")),
    ("/data/mnist", .folder("/data/mnist")),
])
func dataSourceParsesNames(name: String, source: DataSource) {
    #expect(DataSource(name: name) == source)
}

/// `samples(range)` takes the rows in the range from float, byte and generated sets alike
/// (what `learn --holdout` tests on); `prefix` is its first rows.
@Test func samplesTakesARangeOfRowsFromEveryKindOfSet() throws {
    let train = try DataLoader.load(.digits, split: .train)
    let tail = train.samples(1_137..<1_437)
    #expect(tail.count == 300 && tail.sampleShape == [1, 8, 8])
    #expect(tail.image(0) == train.image(1_137) && tail.image(299) == train.image(1_436))
    #expect(tail.labels == Array(train.labels[1_137...]))
    #expect(train.samples(1_400..<2_000).count == 37)      // clamped to the set
    #expect(train.prefix(5).image(4) == train.image(4))
    let floats = Dataset(name: "f", split: .train, sampleShape: [2], images: [0, 1, 2, 3, 4, 5], labels: [0, 1, 2], classes: 3)
    #expect(floats.samples(1..<3).images == [2, 3, 4, 5] && floats.samples(1..<3).labels == [1, 2])
    let bytes = Dataset(name: "b", split: .train, sampleShape: [1], bytes: [10, 20, 30], divisor: 10, labels: [0, 1, 2], classes: 3)
    #expect(bytes.samples(2..<3).images == [3])
    let made = Dataset(name: "g", split: .train, sampleShape: [1], labels: [0, 1, 2, 0], classes: 3) { i, out in out[0] = Float(i) }
    #expect(made.samples(1..<4).images == [1, 2, 3] && made.samples(1..<4).isGenerated)
}
