import SpikeCore
/// Everything that can go wrong while loading or using a dataset; `description` is the message printed.
///
/// Each case carries the file (or dataset) and the facts: what was expected and what was found.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// A dataset file is absent; `package` names the Debian package that provides it, if any.
    case fileMissing(file: String, package: String?)
    /// A file exists but could not be opened or read (permissions, I/O error).
    case unreadable(file: String, reason: String)
    /// A file starts with the gzip magic bytes 1f 8b but does not decompress; `reason` is zlib's.
    case corruptGzip(file: String, reason: String)
    /// An IDX file's magic number is not the one its role requires.
    case badMagic(file: String, expected: UInt32, found: UInt32)
    /// A file ends early: `part` ("header", "pixel data", "label data") is shorter than its header says.
    case truncated(file: String, part: String, expected: Int, found: Int)
    /// An IDX header declares dimensions whose product cannot be held in memory.
    case implausibleHeader(file: String, dimensions: [Int])
    /// The images file and the labels file of one split hold different numbers of samples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label lies outside `0..<classes`.
    case labelOutOfRange(file: String, index: Int, label: Int, classes: Int)
    /// A line of a CSV dataset does not hold what it should (1-based `line`).
    case malformedCSV(file: String, line: Int, problem: String)
    /// A dataset's per-sample shape does not fit a model's input shape.
    case shapeMismatch(dataset: String, shape: [Int], expected: [Int])
    /// An event recording holds what it cannot (`at`: "byte 35", "line 4" or "event 3", nil for the whole file).
    case badEvents(file: String, at: String?, problem: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .fileMissing(file, package):
            if let package {
                return "\(file): file not found; the Debian package \(package) provides it "
                    + "(apt-get install \(package))"
            }
            return "\(file): file not found"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .corruptGzip(file, reason):
            return "\(file): corrupt gzip data: \(reason)"
        case let .badMagic(file, expected, found):
            return "\(file): wrong IDX magic number, expected \(hex(expected)), found \(hex(found))"
        case let .truncated(file, part, expected, found):
            return "\(file): truncated, expected \(expected) bytes of \(part), found \(found)"
        case let .implausibleHeader(file, dimensions):
            let dims = dimensions.map(String.init).joined(separator: " x ")
            return "\(file): IDX header declares \(dims) bytes, more than can be held in memory"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(file, index, label, classes):
            return "\(file): label at index \(index) must be in 0..<\(classes), found \(label)"
        case let .malformedCSV(file, line, problem):
            return "\(file): line \(line): \(problem)"
        case let .badEvents(file, at, problem):
            return "\(file): " + (at.map { "\($0): " } ?? "") + problem
        case let .shapeMismatch(dataset, shape, expected):
            return "dataset '\(dataset)' has samples of shape \(shape), "
                + "but the model expects input shape \(expected)"
        }
    }
}

/// `0x` and eight upper-case hex digits, as IDX magic numbers are usually written.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

extension DataError: UserInputError {}
