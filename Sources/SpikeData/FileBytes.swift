import CZlib
import Foundation

/// Whole-file reads into memory, gunzipping files that start with the gzip magic bytes 1f 8b.
///
/// Reads in large chunks straight into one growing buffer (gzread for gzip, fread otherwise), so
/// the per-byte cost is zlib's alone. The buffer is sized from the file size or the gzip trailer's
/// ISIZE field (length mod 2^32), so a typical file is read without a reallocation.
enum FileBytes {
    /// Bytes per read call: large enough that call overhead vanishes.
    static let chunk = 1 << 22

    /// True when `path` names an existing regular file (symlinks followed).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The content of `path`, decompressed when it is gzip.
    static func read(_ path: String) throws -> Data {
        guard let file = fopen(path, "rb") else {
            let code = errno
            if code == ENOENT { throw DataError.fileMissing(file: path, package: nil) }
            throw DataError.unreadable(file: path, reason: String(cString: strerror(code)))
        }
        var magic: [UInt8] = [0, 0]
        let got = fread(&magic, 1, 2, file)
        // Size of the file on disk, and for gzip the ISIZE trailer: capacity hints only.
        var sizeHint = 0
        var isizeHint = 0
        if fseeko(file, 0, SEEK_END) == 0 {
            let end = ftello(file)
            sizeHint = end > 0 ? Int(end) : 0
            if end >= 4 && fseeko(file, end - 4, SEEK_SET) == 0 {
                var trailer: [UInt8] = [0, 0, 0, 0]
                if fread(&trailer, 1, 4, file) == 4 {
                    isizeHint = trailer.reversed().reduce(0) { $0 << 8 | Int($1) }
                }
            }
        }
        let isGzip = got == 2 && magic == [0x1F, 0x8B]
        if !isGzip {
            defer { fclose(file) }
            rewind(file)
            return try fill(capacity: sizeHint + 1, path: path) { buffer, count in
                let n = fread(buffer, 1, count, file)
                if n < count && ferror(file) != 0 {
                    throw DataError.unreadable(file: path, reason: "read error")
                }
                return n
            }
        }
        fclose(file)
        guard let gz = gzopen(path, "rb") else {
            throw DataError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        defer { gzclose(gz) }
        gzbuffer(gz, 1 << 18)
        // ISIZE is the length mod 2^32 and may be garbage in a damaged file: deflate expands at
        // most ~1032:1, so cap the hint there (the buffer still grows if the hint was low).
        let capacity = min(isizeHint, sizeHint * 1_032) + 1
        let data = try fill(capacity: capacity, path: path) { buffer, count in
            let n = gzread(gz, buffer, UInt32(count))
            if n < 0 { throw DataError.corruptGzip(file: path, reason: gzMessage(gz, path: path)) }
            return Int(n)
        }
        // A stream that ends early returns its data and leaves an error behind (Z_BUF_ERROR).
        var code: Int32 = Z_OK
        _ = gzerror(gz, &code)
        if code != Z_OK && code != Z_STREAM_END {
            throw DataError.corruptGzip(file: path, reason: gzMessage(gz, path: path))
        }
        return data
    }

    /// zlib's message for the last error on `gz`, without the "path: " prefix gzerror adds.
    private static func gzMessage(_ gz: gzFile, path: String) -> String {
        var code: Int32 = Z_OK
        guard let cMessage = gzerror(gz, &code) else { return "zlib error \(code)" }
        let message = String(cString: cMessage)
        let prefix = path + ": "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }

    /// Calls `read(pointer, maxCount) -> bytesRead` until it returns 0, growing one buffer.
    private static func fill(capacity: Int, path: String,
                             _ read: (UnsafeMutableRawPointer, Int) throws -> Int) throws -> Data
    {
        var capacity = max(capacity, 1 << 12)
        guard var buffer = malloc(capacity) else {
            throw DataError.unreadable(file: path, reason: "out of memory (\(capacity) bytes)")
        }
        var length = 0
        do {
            while true {
                if length == capacity {
                    capacity *= 2
                    guard let grown = realloc(buffer, capacity) else {
                        throw DataError.unreadable(file: path,
                                                   reason: "out of memory (\(capacity) bytes)")
                    }
                    buffer = grown
                }
                let n = try read(buffer + length, min(capacity - length, chunk))
                if n == 0 { break }
                length += n
            }
        } catch {
            free(buffer)
            throw error
        }
        return Data(bytesNoCopy: buffer, count: length, deallocator: .free)
    }
}
