// Event-camera recordings: what a dynamic vision sensor emits (a pixel, a polarity, a time) and
// the file formats it is stored in (one file per format beside this one).

/// One event: the time in microseconds, the pixel, and the polarity (ON: brighter).
public struct Event: Equatable, Sendable {
    /// Time in µs from the start of the recording.
    public var t: Int64
    /// Column, 0 at the left.
    public var x: Int
    /// Row, 0 at the top.
    public var y: Int
    /// True for an ON event (the log intensity rose), false for OFF.
    public var on: Bool
    /// Creates an event.
    public init(t: Int64, x: Int, y: Int, on: Bool) { self.t = t; self.x = x; self.y = y; self.on = on }
}

/// A recording: the sensor's size and its events in time order.
public struct EventRecording: Equatable, Sendable {
    /// Sensor width and height in pixels.
    public var width: Int, height: Int
    /// The events, in non-decreasing time.
    public var events: [Event]
    /// The largest sensor side the readers accept: a limit of ours, above the sensors sold today,
    /// so that a stray coordinate cannot make frames of gigabytes.
    public static let maximumSide = 4096
    /// Creates a recording.
    public init(width: Int, height: Int, events: [Event]) { self.width = width; self.height = height; self.events = events }

    /// Throws `DataError.badEvents` naming `file` and the event's position when an event lies outside
    /// the sensor, has a negative time, or comes before the one ahead of it; `position(i)` gives
    /// the byte offset (or line) of event i as the file counts it, `unit` says which.
    func validate(file: String, unit: String = "byte", position: (Int) -> Int) throws {
        guard !events.isEmpty else { throw DataError.badEvents(file: file, at: nil, problem: "no events: the recording is empty") }
        guard width <= EventRecording.maximumSide, height <= EventRecording.maximumSide else {
            throw DataError.badEvents(file: file, at: nil, problem: "a \(width)x\(height) sensor is larger than the "
                + "\(EventRecording.maximumSide)x\(EventRecording.maximumSide) spikescope reads (pixel coordinates too large?)")
        }
        var last: Int64 = 0
        for (i, e) in events.enumerated() {
            if e.x < 0 || e.x >= width || e.y < 0 || e.y >= height {
                throw DataError.badEvents(file: file, at: "\(unit) \(position(i))",
                                          problem: "pixel (\(e.x), \(e.y)) lies outside the \(width)x\(height) sensor")
            }
            if e.t < 0 { throw DataError.badEvents(file: file, at: "\(unit) \(position(i))", problem: "negative time \(e.t) µs") }
            if e.t < last {
                throw DataError.badEvents(file: file, at: "\(unit) \(position(i))",
                                          problem: "time goes backwards (\(e.t) µs after \(last) µs); events must be in time order")
            }
            last = e.t
        }
    }
}
