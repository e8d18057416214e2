import CZlib
import Foundation

/// A fresh, empty folder under the system temp directory, unique per call.
func makeTempFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("spikedata-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Big-endian bytes of a 32-bit word, as IDX headers store them.
func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// An IDX images file: magic 0x00000803, sizes N, H, W, then `pixels`.
func idxImages(count: Int, height: Int, width: Int, pixels: [UInt8],
               magic: UInt32 = 0x0000_0803) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(height))
        + bigEndian(UInt32(width)) + pixels
}

/// An IDX labels file: magic 0x00000801, size N, then `labels`.
func idxLabels(_ labels: [UInt8], count: Int? = nil) -> [UInt8] {
    bigEndian(0x0000_0801) + bigEndian(UInt32(count ?? labels.count)) + labels
}

/// Writes `bytes` to `folder/name`, raw.
func write(_ bytes: [UInt8], to folder: String, _ name: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
}

/// Writes `bytes` gzipped (zlib's gzwrite) to `folder/name`.
func writeGzip(_ bytes: [UInt8], to folder: String, _ name: String) throws {
    struct GzipWriteFailed: Error {}
    guard let gz = gzopen(folder + "/" + name, "wb") else { throw GzipWriteFailed() }
    let written = bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
    guard gzclose(gz) == Z_OK, Int(written) == bytes.count else { throw GzipWriteFailed() }
}

/// The bytes gzip produces for `bytes` (written through a temp file).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let folder = try makeTempFolder()
    try writeGzip(bytes, to: folder, "x.gz")
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/x.gz")))
}
