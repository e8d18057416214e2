import Foundation

/// A compact binary form of an HDF5 tree, so that a file can be read by libhdf5 in a child
/// process (a crash there on a damaged or hostile file ends the child, not the program) and the
/// values handed back. Little-endian: a tag byte (0 group, 1 numbers, 2 strings); a group is a
/// count and (name, tree) pairs; a dataset its rank, dimensions, element count and elements
/// (Float64 numbers, or length-prefixed UTF-8 strings).
extension HDF5Tree {
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func u64(_ v: Int) { withUnsafeBytes(of: UInt64(v).littleEndian) { out.append(contentsOf: $0) } }
        func text(_ s: String) { let b = Array(s.utf8); u64(b.count); out.append(contentsOf: b) }
        func encode(_ t: HDF5Tree) {
            switch t {
            case .group(let members):
                out.append(0); u64(members.count)
                for (k, v) in members.sorted(by: { $0.key < $1.key }) { text(k); encode(v) }
            case .dataset(.numbers(let values, let shape)):
                out.append(1); u64(shape.count); shape.forEach(u64); u64(values.count)
                values.withUnsafeBytes { out.append(contentsOf: $0) }   // little-endian hosts (x86-64, arm64)
            case .dataset(.strings(let strings, let shape)):
                out.append(2); u64(shape.count); shape.forEach(u64); u64(strings.count); strings.forEach(text)
            }
        }
        encode(self)
        return out
    }

    /// Decodes `encoded()`; throws on any inconsistency (names `file`).
    public static func decode(_ bytes: [UInt8], file: String) throws -> HDF5Tree {
        var at = 0
        func bad() -> HDF5Error { HDF5Error(file: file, object: "", reason: "the reader's output was damaged at byte \(at)") }
        func u64() throws -> Int {
            guard at + 8 <= bytes.count else { throw bad() }
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            at += 8
            guard v <= UInt64(bytes.count) * 8 + 64 else { throw bad() }
            return Int(v)
        }
        func text() throws -> String {
            let n = try u64()
            guard at + n <= bytes.count else { throw bad() }
            defer { at += n }
            return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
        }
        func shape() throws -> [Int] {
            let rank = try u64()
            guard rank <= 32 else { throw bad() }
            return try (0..<rank).map { _ in try u64() }
        }
        func decode(depth: Int) throws -> HDF5Tree {
            guard at < bytes.count, depth <= HDF5.maximumDepth + 1 else { throw bad() }
            let tag = bytes[at]; at += 1
            switch tag {
            case 0:
                let n = try u64()
                var members: [String: HDF5Tree] = [:]
                for _ in 0..<n { let k = try text(); members[k] = try decode(depth: depth + 1) }
                return .group(members)
            case 1:
                let s = try shape(), n = try u64()
                guard at + n * 8 <= bytes.count else { throw bad() }
                var values = [Double](repeating: 0, count: n)
                values.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<(at + n * 8)])) }
                }
                at += n * 8
                return .dataset(.numbers(values, shape: s))
            case 2:
                let s = try shape(), n = try u64()
                return .dataset(.strings(try (0..<n).map { _ in try text() }, shape: s))
            default:
                throw bad()
            }
        }
        let tree = try decode(depth: 0)
        guard at == bytes.count else { throw bad() }
        return tree
    }
}
