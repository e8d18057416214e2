import Foundation

/// Event recordings as CSV: one event a line, `t,x,y,p` (t in µs, p 1 for ON and 0 for OFF), an
/// optional header line `t,x,y,p`, blank lines ignored.
public enum EventCSV {
    /// Decodes CSV text; the sensor is `width` x `height`, or just large enough for the events
    /// when nil. Throws `DataError.badEvents` naming the line (a field that is not an integer,
    /// a polarity other than 0 or 1, a pixel outside the sensor, time going backwards, no events).
    public static func decode(_ text: String, file: String, width: Int? = nil, height: Int? = nil) throws -> EventRecording {
        var events: [Event] = [], lines: [Int] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.isEmpty || (index == 0 && line.replacingOccurrences(of: " ", with: "") == "t,x,y,p") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4, let t = Int64(fields[0]), let x = Int(fields[1]), let y = Int(fields[2]), let p = Int(fields[3]) else {
                throw DataError.badEvents(file: file, at: "line \(index + 1)", problem: "expected four integers t,x,y,p, found '\(line)'")
            }
            guard p == 0 || p == 1 else {
                throw DataError.badEvents(file: file, at: "line \(index + 1)", problem: "polarity must be 0 or 1, found \(p)")
            }
            events.append(Event(t: t, x: x, y: y, on: p == 1))
            lines.append(index + 1)
        }
        let w = width ?? (events.map(\.x).max() ?? -1) + 1, h = height ?? (events.map(\.y).max() ?? -1) + 1
        let recording = EventRecording(width: w, height: h, events: events)
        try recording.validate(file: file, unit: "line") { lines[$0] }
        return recording
    }

    /// Reads a CSV file.
    public static func read(path: String, width: Int? = nil, height: Int? = nil) throws -> EventRecording {
        let data = try FileBytes.read(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError.badEvents(file: path, at: nil, problem: "not UTF-8 text")
        }
        return try decode(text, file: path, width: width, height: height)
    }

    /// The recording as CSV text with its header.
    public static func encode(_ recording: EventRecording) -> String {
        var out = "t,x,y,p\n"
        for e in recording.events { out += "\(e.t),\(e.x),\(e.y),\(e.on ? 1 : 0)\n" }
        return out
    }

    /// Writes a recording to `path` atomically.
    public static func write(_ recording: EventRecording, to path: String) throws {
        try Data(encode(recording).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
