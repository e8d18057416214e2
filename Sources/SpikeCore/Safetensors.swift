// safetensors: an 8-byte little-endian header length N, N bytes of JSON header
// {"NAME": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the raw little-endian tensor bytes (offsets relative to the end of the header).
// The format PyTorch and Hugging Face users read and write.
import Foundation

/// Errors reading or writing a safetensors file; `description` is the message printed.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case truncated(file: String, expected: Int, found: Int)
    case badHeader(file: String, reason: String)
    case badTensor(file: String, name: String, reason: String)
    case unwritable(file: String, reason: String)

    /// The message printed to the user.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read safetensors file: \(reason)"
        case let .truncated(file, expected, found): "\(file): truncated safetensors file: expected \(expected) bytes, found \(found)"
        case let .badHeader(file, reason): "\(file): bad safetensors header: \(reason)"
        case let .badTensor(file, name, reason): "\(file): tensor '\(name)': \(reason)"
        case let .unwritable(file, reason): "\(file): cannot write: \(reason)"
        }
    }
}

/// Reads and writes safetensors files of Float tensors.
public enum Safetensors {
    /// Header sizes above this are refused (the reference implementation's limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Encodes tensors as F32 with optional string metadata; names are written sorted, the header
    /// padded with spaces to a multiple of 8 bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        var header = "{"
        var offset = 0
        var parts: [String] = []
        if !metadata.isEmpty {
            let meta = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            parts.append("\"__metadata__\":{\(meta.joined(separator: ","))}")
        }
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!  // name comes from the dictionary's own keys
            let bytes = t.data.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        var data = Data(capacity: 8 + headerBytes.count + offset)
        var n = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for name in names {
            tensors[name]!.data.withUnsafeBufferPointer { buf in   // key from the dictionary
                buf.withMemoryRebound(to: UInt32.self) { words in
                    for w in words { var le = w.littleEndian; withUnsafeBytes(of: &le) { data.append(contentsOf: $0) } }
                }
            }
        }
        return data
    }

    /// Writes tensors to `path` atomically (temporary file in the same folder, then rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        let data = encode(tensors, metadata: metadata)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafetensorsError.unwritable(file: path, reason: Safetensors.reason(error))
        }
    }

    /// Writes several files as one step: each is encoded and written to a temporary file beside
    /// its target (`.NAME.tmp-…`) first, then all are renamed over their targets back to back, so a
    /// kill at any moment leaves every target whole and the window in which some are new and some
    /// old is that of a few rename calls, not of writing the data. Temporary files a killed
    /// writer left behind are removed on the next write.
    public static func write(_ files: [(tensors: [String: Tensor], metadata: [String: String], path: String)]) throws {
        var temporaries: [(String, String)] = []
        defer { for (t, _) in temporaries { unlink(t) } }
        for file in files {
            let url = URL(fileURLWithPath: file.path)
            let folder = url.deletingLastPathComponent().path, name = url.lastPathComponent
            let prefix = "." + name + ".tmp-"
            for stale in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where stale.hasPrefix(prefix) {
                unlink(folder + "/" + stale)
            }
            let temporary = folder + "/" + prefix + UUID().uuidString
            do {
                try encode(file.tensors, metadata: file.metadata).write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw SafetensorsError.unwritable(file: file.path, reason: Safetensors.reason(error))
            }
            temporaries.append((temporary, file.path))
        }
        for (temporary, target) in temporaries where rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            throw SafetensorsError.unwritable(file: target, reason: reason)
        }
        temporaries = []
    }

    /// A write error in a few plain words: the folder missing, permission, or the system's text.
    static func reason(_ error: Error) -> String {
        let e = error as NSError
        if let posix = (e.userInfo[NSUnderlyingErrorKey] as? NSError), posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if e.domain == NSCocoaErrorDomain && (e.code == NSFileNoSuchFileError || e.code == NSFileWriteNoPermissionError || e.code == 4) {
            return e.code == NSFileWriteNoPermissionError ? "permission denied" : "no such folder"
        }
        return e.localizedDescription
    }

    /// Reads every tensor of a file, converting F32, F64, F16 and BF16 to Float.
    public static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafetensorsError.unreadable(file: path, reason: FileManager.default.fileExists(atPath: path)
                                              ? "permission denied or not a file" : "no such file")
        }
        return try decode(data, file: path)
    }

    /// Decodes a safetensors image; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw SafetensorsError.truncated(file: file, expected: 8, found: bytes.count) }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard n <= UInt64(maxHeaderBytes) else {
            throw SafetensorsError.badHeader(file: file, reason: "header length \(n) exceeds \(maxHeaderBytes) bytes")
        }
        let headerEnd = 8 + Int(n)
        guard bytes.count >= headerEnd else { throw SafetensorsError.truncated(file: file, expected: headerEnd, found: bytes.count) }
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = json as? [String: Any] else {
            throw SafetensorsError.badHeader(file: file, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var tensors: [String: Tensor] = [:]
        var spans: [(Int, Int, String)] = []
        let body = bytes.count - headerEnd
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {   // in name order: the same error every run
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else {
                    throw SafetensorsError.badHeader(file: file, reason: "__metadata__ must map strings to strings")
                }
                for (k, v) in m {
                    guard let s = v as? String else {
                        throw SafetensorsError.badHeader(file: file, reason: "__metadata__ value of '\(k)' is not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shapeAny = entry["shape"] as? [Any], let offsAny = entry["data_offsets"] as? [Any],
                  offsAny.count == 2 else {
                throw SafetensorsError.badTensor(file: file, name: name, reason: "needs dtype, shape and two data_offsets")
            }
            // Whole numbers only: intValue would truncate 2.5 and wrap 26E040 to a negative.
            let whole = { (x: Any) in (x as? NSNumber).flatMap { Int(exactly: $0.doubleValue) } }
            let shape = shapeAny.compactMap(whole)
            let offs = offsAny.compactMap(whole)
            guard shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }), offs.count == 2, offs.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError.badTensor(file: file, name: name, reason: "shape and data_offsets must be non-negative integers")
            }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            case "F16", "BF16": width = 2
            default:
                throw SafetensorsError.badTensor(file: file, name: name, reason: "dtype \(dtype) is not supported (expected F32, F64, F16 or BF16)")
            }
            // Sizes from the header may be anything: multiply with overflow checks (a shape whose
            // byte count does not fit in Int can match no file).
            var bytesNeeded: Int? = width
            for d in shape { bytesNeeded = bytesNeeded.flatMap { n in let (p, o) = n.multipliedReportingOverflow(by: d); return o ? nil : p } }
            guard let needed = bytesNeeded else {
                throw SafetensorsError.badTensor(file: file, name: name, reason: "shape \(shape) of \(dtype) needs more bytes than a file can hold")
            }
            let count = needed / width
            guard offs[0] <= offs[1], offs[1] - offs[0] == needed else {
                throw SafetensorsError.badTensor(file: file, name: name,
                    reason: "data_offsets \(offs) hold \(offs[1] - offs[0]) bytes, shape \(shape) of \(dtype) needs \(needed)")
            }
            guard offs[1] <= body else {
                throw SafetensorsError.truncated(file: file, expected: headerEnd + offs[1], found: bytes.count)
            }
            spans.append((offs[0], offs[1], name))
            let base = headerEnd + offs[0]
            var values = [Float](repeating: 0, count: count)
            for k in 0..<count {
                let p = base + k * width
                switch dtype {
                case "F32":
                    let u = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                    values[k] = Float(bitPattern: u)
                case "F64":
                    var u: UInt64 = 0
                    for b in 0..<8 { u |= UInt64(bytes[p + b]) << (8 * UInt64(b)) }
                    values[k] = Float(Double(bitPattern: u))
                case "F16":
                    values[k] = halfToFloat(UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8)
                default: // BF16
                    values[k] = Float(bitPattern: (UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8) << 16)
                }
            }
            tensors[name] = Tensor(shape: shape, data: values)
        }
        spans.sort { $0.0 < $1.0 }
        for k in spans.indices.dropFirst() where spans[k].0 < spans[k - 1].1 {
            throw SafetensorsError.badTensor(file: file, name: spans[k].2, reason: "its data overlaps tensor '\(spans[k - 1].2)'")
        }
        return (tensors, metadata)
    }

    /// IEEE half to Float, including subnormals, infinities and NaN.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exp = Int((h >> 10) & 0x1F), frac = Float(h & 0x3FF)
        switch exp {
        case 0: return sign * frac * 0x1p-24
        case 31: return frac == 0 ? sign * .infinity : .nan
        default: return sign * (1 + frac / 1024) * Float(sign: .plus, exponent: exp - 15, significand: 1)
        }
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
