import Foundation

/// The `.bin` format of N-MNIST and N-Caltech101 (Orchard et al. 2015), as tonic's
/// `read_mnist_file` reads it. Five bytes per event:
///
///     byte 0: x;  byte 1: y;  byte 2: bit 7 polarity (1 = ON), bits 6-0 timestamp bits 22-16;
///     bytes 3-4: timestamp bits 15-0 (big-endian), in µs
///
/// An event with y = 240 is not an event but a timestamp-overflow marker: it adds 2^13 = 8192 µs
/// to every later timestamp. N-MNIST's sensor is 34 x 34.
public enum NMNIST {
    /// The sensor of N-MNIST.
    public static let width = 34, height = 34
    /// The y that marks a timestamp overflow, and what each marker adds (µs).
    static let overflowY: UInt8 = 240, overflowStep: Int64 = 1 << 13
    /// Timestamps hold 23 bits.
    static let timestampLimit: Int64 = 1 << 23

    /// Decodes a file's bytes; `file` names it in errors. Throws `DataError.badEvents` (a partial
    /// last event, a pixel outside the sensor, time going backwards, no events).
    public static func decode(_ bytes: [UInt8], file: String, width: Int = NMNIST.width, height: Int = NMNIST.height)
        throws -> EventRecording
    {
        guard bytes.count % 5 == 0 else {
            throw DataError.badEvents(file: file, at: "byte \(bytes.count - bytes.count % 5)",
                                      problem: "truncated: \(bytes.count % 5) bytes of a 5-byte event")
        }
        var events: [Event] = [], offsets: [Int] = []
        events.reserveCapacity(bytes.count / 5)
        var carry: Int64 = 0
        for start in stride(from: 0, to: bytes.count, by: 5) {
            let b2 = bytes[start + 2]
            if bytes[start + 1] == overflowY { carry += overflowStep; continue }
            let ts = Int64(b2 & 0x7F) << 16 | Int64(bytes[start + 3]) << 8 | Int64(bytes[start + 4])
            events.append(Event(t: ts + carry, x: Int(bytes[start]), y: Int(bytes[start + 1]), on: b2 & 0x80 != 0))
            offsets.append(start)
        }
        let recording = EventRecording(width: width, height: height, events: events)
        try recording.validate(file: file) { offsets[$0] }
        return recording
    }

    /// Reads a `.bin` file.
    public static func read(path: String, width: Int = NMNIST.width, height: Int = NMNIST.height) throws -> EventRecording {
        try decode([UInt8](try FileBytes.read(path)), file: path, width: width, height: height)
    }

    /// Encodes a recording, inserting overflow markers wherever a timestamp needs more than 23
    /// bits. Throws `DataError.badEvents` for what the format cannot hold (x or y above 255, y = 240,
    /// times out of order or negative).
    public static func encode(_ recording: EventRecording) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(recording.events.count * 5)
        var carry: Int64 = 0, last: Int64 = 0
        for (i, e) in recording.events.enumerated() {
            guard (0...255).contains(e.x), (0...255).contains(e.y), e.y != Int(overflowY) else {
                throw DataError.badEvents(file: "N-MNIST output", at: "event \(i)",
                                          problem: "pixel (\(e.x), \(e.y)) cannot be stored (x, y in 0...255, y not 240)")
            }
            guard e.t >= last else {
                throw DataError.badEvents(file: "N-MNIST output", at: "event \(i)", problem: "time goes backwards or is negative (\(e.t) µs)")
            }
            last = e.t
            while e.t - carry >= timestampLimit {
                out += [0, overflowY, 0, 0, 0]
                carry += overflowStep
            }
            let ts = e.t - carry
            out += [UInt8(e.x), UInt8(e.y), UInt8(ts >> 16) | (e.on ? 0x80 : 0), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF)]
        }
        return out
    }

    /// Writes a recording to `path` atomically.
    public static func write(_ recording: EventRecording, to path: String) throws {
        try Data(try encode(recording)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
