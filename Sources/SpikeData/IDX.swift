import Foundation

/// Reader of the IDX format used by MNIST and Fashion-MNIST (LeCun et al.).
///
/// Header, big-endian: a 4-byte magic `0x0000TTDD` (TT = 0x08 for unsigned bytes, DD = number of
/// dimensions), then DD sizes of 4 bytes each; then the data, row-major. Images files are
/// `0x00000803` (N, H, W), labels files `0x00000801` (N). Bytes after the declared data are
/// ignored. Files may be gzipped (recognised by their magic bytes 1f 8b).
public enum IDX {
    /// Magic of an unsigned-byte IDX file with three dimensions (N, H, W).
    static let imagesMagic: UInt32 = 0x0000_0803
    /// Magic of an unsigned-byte IDX file with one dimension (N).
    static let labelsMagic: UInt32 = 0x0000_0801

    /// Images of one IDX file: `bytes` is (N, H*W) as stored; `pixels` scales them to [0, 1].
    public struct Images {
        public var count: Int, height: Int, width: Int
        public var bytes: [UInt8]
        /// Each byte divided by 255 (a copy: four bytes a pixel).
        public var pixels: [Float] { bytes.map { Float($0) / 255 } }
    }

    /// Reads an images file (`0x00000803`), keeping its bytes.
    public static func readImages(path: String) throws -> Images {
        let data = try FileBytes.read(path)
        let dims = try header(data, path: path, magic: imagesMagic, dimensions: 3)
        let (count, height, width) = (dims[0], dims[1], dims[2])
        let (perImage, o1) = height.multipliedReportingOverflow(by: width)
        let (total, o2) = perImage.multipliedReportingOverflow(by: count)
        guard !o1, !o2 else { throw DataError.implausibleHeader(file: path, dimensions: dims) }
        let offset = 16
        let found = data.count - offset
        guard found >= total else {
            throw DataError.truncated(file: path, part: "pixel data", expected: total, found: found)
        }
        return Images(count: count, height: height, width: width, bytes: [UInt8](data[(data.startIndex + offset)...].prefix(total)))
    }

    /// Reads a labels file (`0x00000801`); every label must lie in `0..<classes`.
    public static func readLabels(path: String, classes: Int) throws -> [Int] {
        let data = try FileBytes.read(path)
        let count = try header(data, path: path, magic: labelsMagic, dimensions: 1)[0]
        let offset = 8
        let found = data.count - offset
        guard found >= count else {
            throw DataError.truncated(file: path, part: "label data", expected: count, found: found)
        }
        var labels = [Int](repeating: 0, count: count)
        var bad: (index: Int, label: Int)?
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in 0..<count {
                let label = Int(bytes[offset + i])
                if label >= classes && bad == nil { bad = (i, label) }
                labels[i] = label
            }
        }
        if let bad {
            throw DataError.labelOutOfRange(file: path, index: bad.index, label: bad.label,
                                            classes: classes)
        }
        return labels
    }

    /// Checks the magic and returns the `dimensions` sizes that follow it.
    private static func header(_ data: Data, path: String, magic: UInt32, dimensions: Int) throws
        -> [Int]
    {
        let headerBytes = 4 + 4 * dimensions
        let bytes = [UInt8](data.prefix(headerBytes))
        func word(_ i: Int) -> UInt32 {
            bytes[4 * i ..< 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        if bytes.count >= 4 && word(0) != magic {
            throw DataError.badMagic(file: path, expected: magic, found: word(0))
        }
        guard bytes.count == headerBytes else {
            throw DataError.truncated(file: path, part: "header", expected: headerBytes,
                                      found: bytes.count)
        }
        return (1...dimensions).map { Int(word($0)) }
    }
}
