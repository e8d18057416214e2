import Foundation

/// The embedded 8x8 digits (scikit-learn's `digits.csv.gz`; provenance and split in `DataLoader`).
enum Digits {
    /// Rows in the embedded file.
    static let rows = 1_797
    /// The last `testRows` rows form the test split; the 1,437 before them the training split.
    static let testRows = 360
    /// Pixels per row (8x8), before the label.
    static let pixels = 64
    /// Name used in error messages for the embedded file.
    static let fileName = "digits.csv.gz (embedded)"

    /// Decompresses and parses the embedded file, then keeps the rows of `split`.
    static func load(split: Split) throws -> Dataset {
        guard let url = Bundle.module.url(forResource: "digits.csv", withExtension: "gz") else {
            throw DataError.fileMissing(file: fileName, package: nil)
        }
        let data = try FileBytes.read(url.path)
        let (images, labels) = try parse(data)
        guard labels.count == rows else {
            throw DataError.malformedCSV(file: fileName, line: labels.count + 1,
                                         problem: "expected \(rows) rows, found \(labels.count)")
        }
        let trainRows = rows - testRows
        let range = split == .train ? 0..<trainRows : trainRows..<rows
        return Dataset(name: "digits", split: split, sampleShape: [1, 8, 8],
                       images: Array(images[range.lowerBound * pixels ..< range.upperBound * pixels]),
                       labels: Array(labels[range]), classes: 10)
    }

    /// Parses lines of 64 integers 0...16 and a label 0...9; pixels are divided by 16.
    static func parse(_ data: Data) throws -> (images: [Float], labels: [Int]) {
        var images: [Float] = []
        var labels: [Int] = []
        images.reserveCapacity(rows * pixels)
        labels.reserveCapacity(rows)
        var line = 1
        var fields: [Int] = []
        var value = 0, digits = 0
        func endLine() throws {
            guard !fields.isEmpty else { return }   // blank line (e.g. after the last newline)
            guard fields.count == pixels + 1 else {
                throw DataError.malformedCSV(
                    file: fileName, line: line,
                    problem: "expected \(pixels + 1) comma-separated values, found \(fields.count)")
            }
            for (i, v) in fields.enumerated() where i < pixels && v > 16 {
                throw DataError.malformedCSV(file: fileName, line: line,
                                             problem: "pixel \(i) must be in 0...16, found \(v)")
            }
            let label = fields[pixels]
            guard label < 10 else {
                throw DataError.malformedCSV(file: fileName, line: line,
                                             problem: "label must be in 0..<10, found \(label)")
            }
            images.append(contentsOf: fields.prefix(pixels).map { Float($0) / 16 })
            labels.append(label)
            fields.removeAll(keepingCapacity: true)
        }
        func endField() throws {
            guard digits > 0 else {
                throw DataError.malformedCSV(file: fileName, line: line, problem: "empty value")
            }
            fields.append(value)
            value = 0
            digits = 0
        }
        for byte in data {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits < 6 else {
                    throw DataError.malformedCSV(file: fileName, line: line, problem: "value too long")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: ","):
                try endField()
            case UInt8(ascii: "\n"):
                if digits > 0 || !fields.isEmpty { try endField() }
                try endLine()
                line += 1
            case UInt8(ascii: "\r"), UInt8(ascii: " "):
                continue
            default:
                throw DataError.malformedCSV(file: fileName, line: line,
                                             problem: "unexpected byte 0x\(String(byte, radix: 16))")
            }
        }
        if digits > 0 || !fields.isEmpty { try endField() }
        try endLine()
        return (images, labels)
    }
}
