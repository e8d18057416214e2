import Foundation

/// AEDAT 2.0 as jAER writes it (the DVS128 camera; the original CIFAR10-DVS files): header lines
/// that start with `#` (the first is `#!AER-DAT2.0`), then big-endian pairs of a 32-bit address
/// and a 32-bit timestamp in µs. The sensor is 128 x 128. Two address layouts, picked by name:
///
///     dvs128:       x = (a >> 8) & 0x7F,  y = (a >> 1) & 0x7F,  ON = a & 1
///     cifar10-dvs:  as SpikingJelly decodes the original CIFAR10-DVS files:
///                   rx = (a & 0xFE) >> 1, ry = (a & 0x7F00) >> 8, rp = a & 1,
///                   x = 127 − ry, y = 127 − rx, ON = 1 − rp
public enum AEDAT {
    /// How the 32-bit address holds x, y and the polarity.
    public enum Layout: String, CaseIterable, Sendable {
        case dvs128
        case cifar10DVS = "cifar10-dvs"
    }
    /// The DVS128 sensor.
    public static let width = 128, height = 128

    /// Decodes a file's bytes; `file` names it in errors. Throws `DataError.badEvents` (no
    /// `#!AER-DAT2.0` line, a data part that is not whole 8-byte events, time going backwards, no events).
    public static func decode(_ bytes: [UInt8], file: String, layout: Layout) throws -> EventRecording {
        var start = 0
        var first = true
        while start < bytes.count && bytes[start] == UInt8(ascii: "#") {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            if first {
                let line = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard line == "#!AER-DAT2.0" else {
                    throw DataError.badEvents(file: file, at: "byte 0", problem: "not AEDAT 2.0: the first line is '\(line.prefix(40))', expected '#!AER-DAT2.0'")
                }
                first = false
            }
            start = min(end + 1, bytes.count)
        }
        guard !first else {
            throw DataError.badEvents(file: file, at: "byte 0", problem: "not AEDAT 2.0: no '#!AER-DAT2.0' header line")
        }
        let data = bytes.count - start
        guard data % 8 == 0 else {
            throw DataError.badEvents(file: file, at: "byte \(bytes.count - data % 8)",
                                      problem: "truncated: \(data % 8) bytes of an 8-byte event")
        }
        func word(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        var events: [Event] = [], offsets: [Int] = []
        events.reserveCapacity(data / 8)
        for at in stride(from: start, to: bytes.count, by: 8) {
            let a = word(at), t = Int64(word(at + 4))
            switch layout {
            case .dvs128:
                events.append(Event(t: t, x: Int(a >> 8 & 0x7F), y: Int(a >> 1 & 0x7F), on: a & 1 == 1))
            case .cifar10DVS:
                let rx = Int((a & 0xFE) >> 1), ry = Int((a & 0x7F00) >> 8)
                events.append(Event(t: t, x: 127 - ry, y: 127 - rx, on: a & 1 == 0))
            }
            offsets.append(at)
        }
        let recording = EventRecording(width: width, height: height, events: events)
        try recording.validate(file: file) { offsets[$0] }
        return recording
    }

    /// Reads an AEDAT 2.0 file.
    public static func read(path: String, layout: Layout) throws -> EventRecording {
        try decode([UInt8](try FileBytes.read(path)), file: path, layout: layout)
    }
}
