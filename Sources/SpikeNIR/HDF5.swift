import CHDF5
import CZlib
import Dispatch
import Foundation
import SpikeCore

/// The buffers the chunk compressor's threads share; each thread writes only its own chunk's slot.
private struct UnsafeSendable: @unchecked Sendable {
    let out: UnsafeMutableBufferPointer<[UInt8]>
    let src: UnsafeBufferPointer<Float>
}

/// A dataset's contents as plain values: numbers (any integer or float type, converted by HDF5
/// to Double) or strings (variable or fixed length), each with its shape ([] for a scalar).
public enum HDF5Value: Equatable, Sendable {
    case numbers([Double], shape: [Int])
    case strings([String], shape: [Int])

    /// The shape of the dataset.
    public var shape: [Int] {
        switch self {
        case .numbers(_, let s), .strings(_, let s): s
        }
    }
}

/// An HDF5 file read into plain values: groups of named members, datasets as values.
public indirect enum HDF5Tree: Equatable, Sendable {
    case group([String: HDF5Tree])
    case dataset(HDF5Value)

    /// The member `name` of a group, or nil.
    public subscript(name: String) -> HDF5Tree? {
        if case .group(let members) = self { members[name] } else { nil }
    }
}

/// What went wrong reading or writing an HDF5 file; names the file and the object.
public struct HDF5Error: UserInputError, Equatable {
    public var file: String
    public var object: String
    public var reason: String
    public var description: String { object.isEmpty ? "\(file): \(reason)" : "\(file): \(object): \(reason)" }
}

/// Reading and writing the HDF5 subset NIR uses, through libhdf5 (`CHDF5`).
public enum HDF5 {
    /// Most elements one dataset may hold (a 10-layer graph of 10 M weights is far below).
    public static let maximumElements = 1 << 28
    /// Deepest group nesting read (hard links can make cycles).
    public static let maximumDepth = 32
    /// Most objects read from one file.
    public static let maximumObjects = 1_000_000

    /// Reads the whole file at `path` (its root group).
    public static func read(path: String) throws -> HDF5Tree {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error(file: path, object: "", reason: "no such file")
        }
        spk_h5_quiet()
        guard H5Fis_hdf5(path) > 0 else {
            throw HDF5Error(file: path, object: "", reason: "not an HDF5 file (a NIR graph is HDF5, written by nir.write)")
        }
        let file = H5Fopen(path, spk_h5f_acc_rdonly(), spk_h5p_default())
        guard file >= 0 else { throw HDF5Error(file: path, object: "", reason: "cannot open as HDF5 (damaged or truncated?)") }
        defer { H5Fclose(file) }
        var reader = Reader(file: path)
        return try reader.group(file, path: "/", depth: 0)
    }

    private struct Reader {
        let file: String
        var objects = 0

        init(file: String) { self.file = file }

        mutating func group(_ id: hid_t, path: String, depth: Int) throws -> HDF5Tree {
            guard depth <= HDF5.maximumDepth else {
                throw HDF5Error(file: file, object: path, reason: "groups nest deeper than \(HDF5.maximumDepth) (a link cycle?)")
            }
            var info = H5G_info_t()
            guard H5Gget_info(id, &info) >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot list the group") }
            var members: [String: HDF5Tree] = [:]
            for k in 0..<info.nlinks {
                objects += 1
                guard objects <= HDF5.maximumObjects else {
                    throw HDF5Error(file: file, object: path, reason: "more than \(HDF5.maximumObjects) objects")
                }
                let size = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, spk_h5p_default())
                guard size >= 0, size < 65536 else { throw HDF5Error(file: file, object: path, reason: "cannot read the name of member \(k)") }
                var buffer = [CChar](repeating: 0, count: Int(size) + 1)
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buffer, Int(size) + 1, spk_h5p_default())
                let name = String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let child = (path == "/" ? "/" : path + "/") + name
                let type = spk_h5_object_type(id, name)
                if type == spk_h5o_type_group() {
                    let g = H5Gopen2(id, name, spk_h5p_default())
                    guard g >= 0 else { throw HDF5Error(file: file, object: child, reason: "cannot open the group") }
                    defer { H5Gclose(g) }
                    members[name] = try group(g, path: child, depth: depth + 1)
                } else if type == spk_h5o_type_dataset() {
                    let d = H5Dopen2(id, name, spk_h5p_default())
                    guard d >= 0 else { throw HDF5Error(file: file, object: child, reason: "cannot open the dataset") }
                    defer { H5Dclose(d) }
                    members[name] = .dataset(try dataset(d, path: child))
                } else {
                    throw HDF5Error(file: file, object: child, reason: "neither a group nor a dataset (a dangling or external link?)")
                }
            }
            return .group(members)
        }

        func dataset(_ d: hid_t, path: String) throws -> HDF5Value {
            let space = H5Dget_space(d)
            guard space >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot read the dataspace") }
            defer { H5Sclose(space) }
            let rank = H5Sget_simple_extent_ndims(space)
            guard rank >= 0, rank <= 32 else { throw HDF5Error(file: file, object: path, reason: "the dataspace has no simple shape") }
            var dims = [hsize_t](repeating: 0, count: Int(rank))
            if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
            var count = 1
            for d in dims {
                let (p, o) = count.multipliedReportingOverflow(by: Int(clamping: d))
                guard !o, p <= HDF5.maximumElements else {
                    throw HDF5Error(file: file, object: path, reason: "shape \(dims) holds more than \(HDF5.maximumElements) elements")
                }
                count = p
            }
            let shape = dims.map { Int($0) }
            let type = H5Dget_type(d)
            guard type >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot read the datatype") }
            defer { H5Tclose(type) }
            switch H5Tget_class(type) {
            case H5T_INTEGER, H5T_FLOAT:
                var values = [Double](repeating: 0, count: count)
                if count > 0 {
                    guard values.withUnsafeMutableBytes({ H5Dread(d, spk_h5t_native_double(), spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }) >= 0 else {
                        throw HDF5Error(file: file, object: path, reason: "cannot read the numbers (damaged or truncated data?)")
                    }
                }
                return .numbers(values, shape: shape)
            case H5T_STRING:
                return .strings(try strings(d, type: type, space: space, count: count, path: path), shape: shape)
            default:
                throw HDF5Error(file: file, object: path, reason: "a datatype that is neither numbers nor strings")
            }
        }

        func strings(_ d: hid_t, type: hid_t, space: hid_t, count: Int, path: String) throws -> [String] {
            let memory = H5Tcopy(spk_h5t_c_s1())
            defer { H5Tclose(memory) }
            H5Tset_cset(memory, H5Tget_cset(type))
            if H5Tis_variable_str(type) > 0 {
                H5Tset_size(memory, spk_h5t_variable())
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                guard count == 0 || pointers.withUnsafeMutableBytes({ H5Dread(d, memory, spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }) >= 0 else {
                    throw HDF5Error(file: file, object: path, reason: "cannot read the strings")
                }
                let out = pointers.map { $0.map { String(cString: $0) } ?? "" }
                _ = pointers.withUnsafeMutableBytes { spk_h5_reclaim(memory, space, $0.baseAddress) }
                return out
            }
            let width = H5Tget_size(type)
            guard width > 0, width <= 65536, count <= HDF5.maximumElements / max(width, 1) else {
                throw HDF5Error(file: file, object: path, reason: "fixed-length strings of \(width) bytes are too large")
            }
            H5Tset_size(memory, width)
            var bytes = [UInt8](repeating: 0, count: count * width)
            guard count == 0 || bytes.withUnsafeMutableBytes({ H5Dread(d, memory, spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }) >= 0 else {
                throw HDF5Error(file: file, object: path, reason: "cannot read the strings")
            }
            return (0..<count).map { k in
                let slice = bytes[(k * width)..<((k + 1) * width)]
                return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }

    /// Writes `tree` (a group) as an HDF5 file at `path`: to a temporary file beside it, renamed
    /// over `path` once complete, so a failure or a kill leaves no partial file. Numbers are
    /// written as 32-bit floats unless `integers` says the dataset holds integers (64-bit);
    /// arrays of more than one element are chunked and gzip-compressed (as nir.write does).
    public static func write(_ tree: HDF5Tree, to path: String, integers: @escaping (String) -> Bool) throws {
        spk_h5_quiet()
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString
        let file = H5Fcreate(temporary, spk_h5f_acc_trunc(), spk_h5p_default(), spk_h5p_default())
        guard file >= 0 else { throw HDF5Error(file: path, object: "", reason: "cannot create the file") }
        var closed = false
        defer { if !closed { H5Fclose(file) }; unlink(temporary) }
        guard case .group(let members) = tree else { throw HDF5Error(file: path, object: "/", reason: "the root must be a group") }
        let writer = Writer(file: path, integers: integers)
        try writer.members(members, in: file, path: "")
        guard H5Fclose(file) >= 0 else { throw HDF5Error(file: path, object: "", reason: "cannot finish the file") }
        closed = true
        guard rename(temporary, path) == 0 else {
            throw HDF5Error(file: path, object: "", reason: "cannot write: " + String(cString: strerror(errno)))
        }
    }

    private struct Writer {
        let file: String
        let integers: (String) -> Bool

        func members(_ members: [String: HDF5Tree], in loc: hid_t, path: String) throws {
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let child = path + "/" + name
                switch member {
                case .group(let inner):
                    let g = H5Gcreate2(loc, name, spk_h5p_default(), spk_h5p_default(), spk_h5p_default())
                    guard g >= 0 else { throw HDF5Error(file: file, object: child, reason: "cannot create the group") }
                    defer { H5Gclose(g) }
                    try self.members(inner, in: g, path: child)
                case .dataset(let value):
                    try dataset(value, name: name, in: loc, path: child)
                }
            }
        }

        /// Shuffles (byte planes) and deflates each chunk of float32 `data` on every core, then
        /// writes the chunks in order; the last chunk is padded to the full chunk as HDF5 stores it.
        func writeChunks(_ data: [Float], dataset d: hid_t, shape: [Int], chunkRows: Int, path: String) throws -> herr_t {
            let row = shape.dropFirst().reduce(1, *), rows = shape[0]
            let chunks = (rows + chunkRows - 1) / chunkRows, elements = chunkRows * row
            var compressed = [[UInt8]](repeating: [], count: chunks)
            compressed.withUnsafeMutableBufferPointer { out in
                data.withUnsafeBufferPointer { src in
                    let box = UnsafeSendable(out: out, src: src)
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let first = c * chunkRows * row, n = min(elements, src.count - first)
                        // Shuffle: byte j of element i goes to j·elements + i.
                        var plane = [UInt8](repeating: 0, count: elements * 4)
                        UnsafeRawBufferPointer(start: box.src.baseAddress! + first, count: n * 4).withMemoryRebound(to: UInt8.self) { bytes in
                            for i in 0..<n { for j in 0..<4 { plane[j * elements + i] = bytes[i * 4 + j] } }
                        }
                        var size = compressBound(uLong(plane.count))
                        var buffer = [UInt8](repeating: 0, count: Int(size))
                        let rc = compress2(&buffer, &size, plane, uLong(plane.count), 1)
                        if rc == Z_OK { box.out[c] = Array(buffer.prefix(Int(size))) }   // else empty: reported below
                    }
                }
            }
            guard !compressed.contains(where: \.isEmpty) else { throw HDF5Error(file: file, object: path, reason: "cannot compress the numbers") }
            for (c, bytes) in compressed.enumerated() {
                var offset = [hsize_t](repeating: 0, count: shape.count)
                offset[0] = hsize_t(c * chunkRows)
                let status = bytes.withUnsafeBytes { H5Dwrite_chunk(d, spk_h5p_default(), 0, &offset, $0.count, $0.baseAddress) }
                if status < 0 { return status }
            }
            return 0
        }

        func dataset(_ value: HDF5Value, name: String, in loc: hid_t, path: String) throws {
            let shape = value.shape
            var dims = shape.map { hsize_t($0) }
            let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), &dims, nil)
            guard space >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot create the dataspace") }
            defer { H5Sclose(space) }
            let count = shape.reduce(1, *)
            let properties = H5Pcreate(spk_h5p_dataset_create())
            defer { H5Pclose(properties) }
            // Arrays are chunked along their first dimension (about 1 MB a chunk) with shuffle and
            // deflate (level 1) filters, as nir.write's gzip; float chunks are compressed on every core
            // and written directly (H5Dwrite_chunk), the rest through HDF5's own filters.
            var chunk = dims
            if case .numbers = value, count > 1 {
                let row = shape.dropFirst().reduce(1, *)
                chunk[0] = hsize_t(max(1, min(shape[0], (1 << 18) / max(row, 1))))
                H5Pset_chunk(properties, Int32(shape.count), &chunk)
                H5Pset_shuffle(properties)
                H5Pset_deflate(properties, 1)
            }
            switch value {
            case .numbers(let numbers, _):
                let asIntegers = integers(path)
                let fileType = asIntegers ? spk_h5t_std_i64le() : spk_h5t_ieee_f32le()
                let d = H5Dcreate2(loc, name, fileType, space, spk_h5p_default(), properties, spk_h5p_default())
                guard d >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot create the dataset") }
                defer { H5Dclose(d) }
                let status: herr_t
                if asIntegers {
                    let data = numbers.map { Int64($0) }
                    status = data.withUnsafeBytes { H5Dwrite(d, spk_h5t_native_int64(), spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }
                } else if count > 1 {
                    status = try writeChunks(numbers.map { Float($0) }, dataset: d, shape: shape, chunkRows: Int(chunk[0]), path: path)
                } else {
                    let data = numbers.map { Float($0) }
                    status = data.withUnsafeBytes { H5Dwrite(d, spk_h5t_native_float(), spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }
                }
                guard count == 0 || status >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot write the numbers") }
            case .strings(let strings, _):
                // Variable-length UTF-8, as h5py's string_dtype().
                let type = H5Tcopy(spk_h5t_c_s1())
                defer { H5Tclose(type) }
                H5Tset_size(type, spk_h5t_variable())
                H5Tset_cset(type, H5T_CSET_UTF8)
                let d = H5Dcreate2(loc, name, type, space, spk_h5p_default(), properties, spk_h5p_default())
                guard d >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot create the dataset") }
                defer { H5Dclose(d) }
                let copies = strings.map { strdup($0) }
                defer { copies.forEach { free($0) } }
                let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
                let status = pointers.withUnsafeBytes { H5Dwrite(d, type, spk_h5s_all(), spk_h5s_all(), spk_h5p_default(), $0.baseAddress) }
                guard count == 0 || status >= 0 else { throw HDF5Error(file: file, object: path, reason: "cannot write the strings") }
            }
        }
    }
}
