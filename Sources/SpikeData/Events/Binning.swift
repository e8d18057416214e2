// Events to frames: what a recording looks like to a network that steps T times.

/// How a recording becomes T frames (T, C, H', W') of event counts.
///
/// - `split`: `.time` cuts the recording's span [t₀, t_last] into T windows of equal length
///   (window k holds the events with t₀ + k·D/T ≤ t < t₀ + (k+1)·D/T, D = t_last − t₀ + 1 µs);
///   `.count` cuts its event list into T runs of (nearly) equal count (run k holds the events
///   i = 0 ..< N with ⌊i·T/N⌋ = k). Either way every event lands in exactly one frame, so the same
///   recording binned into T = 1, 2, 4, 8 frames carries the same events.
/// - `polarity`: `.split` gives two channels, ON (channel 0) and OFF (channel 1); `.merge` one
///   channel counting both.
/// - `downsample`: a pixel (x, y) counts in (x / d, y / d); H' = ⌈H / d⌉, W' = ⌈W / d⌉.
/// - `refractoryUs`: drops an event that comes less than this many µs after the last kept event
///   of its pixel (either polarity); 0 keeps every event.
/// - `denoiseUs`: the background-activity filter (Delbruck 2008): keeps an event only when one
///   of its 8 neighbours (not the pixel itself) had an event at most this many µs before; 0 keeps
///   every event. The refractory filter runs first.
///
/// A frame's value is its event count (never scaled), so T = 1 sees N events as N counts.
public struct Binning: Equatable, Sendable {
    /// How the recording is cut into T frames.
    public enum Split: String, Equatable, Sendable, CaseIterable { case time, count }
    /// Whether ON and OFF events get a channel each.
    public enum Polarity: String, Equatable, Sendable, CaseIterable { case split, merge }

    public var split: Split
    public var polarity: Polarity
    public var downsample: Int
    public var refractoryUs: Int64
    public var denoiseUs: Int64

    /// Creates a binning; the defaults cut by time, two polarity channels, full resolution, no filter.
    public init(split: Split = .time, polarity: Polarity = .split, downsample: Int = 1, refractoryUs: Int64 = 0,
                denoiseUs: Int64 = 0) {
        self.split = split; self.polarity = polarity; self.downsample = downsample
        self.refractoryUs = refractoryUs; self.denoiseUs = denoiseUs
    }

    /// Channels per frame: 2 (ON, OFF) or 1.
    public var channels: Int { polarity == .split ? 2 : 1 }

    /// One frame's shape (C, H', W') for a `width` x `height` sensor.
    public func frameShape(width: Int, height: Int) -> [Int] {
        let d = max(downsample, 1)
        return [channels, (height + d - 1) / d, (width + d - 1) / d]
    }

    /// The events the filters keep, in order (the recording itself when no filter is on).
    public func filtered(_ recording: EventRecording) -> [Event] {
        var events = recording.events
        let w = recording.width, h = recording.height
        if refractoryUs > 0 {
            var last = [Int64](repeating: .min, count: w * h)
            events = events.filter { e in
                let p = e.y * w + e.x
                guard last[p] == .min || e.t - last[p] >= refractoryUs else { return false }
                last[p] = e.t
                return true
            }
        }
        if denoiseUs > 0 {
            var last = [Int64](repeating: .min, count: w * h)
            events = events.filter { e in
                var keep = false
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let x = e.x + dx, y = e.y + dy
                        guard x >= 0, x < w, y >= 0, y < h else { continue }
                        let t = last[y * w + x]
                        if t != .min && e.t - t <= denoiseUs { keep = true }
                    }
                }
                last[e.y * w + e.x] = e.t
                return keep
            }
        }
        return events
    }

    /// The [start, end) time window (µs) of each of the T frames of `events` (non-empty, in time
    /// order): equal spans for `.time`, each run's first event to the next run's first for `.count`.
    public func windows(_ events: [Event], timesteps T: Int) -> [(start: Int64, end: Int64)] {
        guard let first = events.first?.t, let lastT = events.last?.t else { return Array(repeating: (0, 0), count: T) }
        let span = Binning.span(first, lastT), n = events.count
        return (0..<T).map { k in
            switch split {
            case .time:
                return (Binning.plus(first, Binning.scaled(span, k, T)), Binning.plus(first, Binning.scaled(span, k + 1, T)))
            case .count:
                let a = (k * n + T - 1) / T, b = ((k + 1) * n + T - 1) / T
                let start = a < n ? events[a].t : Binning.plus(lastT, 1)
                return (start, b < n ? events[b].t : Binning.plus(lastT, 1))
            }
        }
    }

    /// Bins a recording into `T` frames written to `out`: T·C·H'·W' counts, (T, C, H', W') row-major.
    public func bin(_ recording: EventRecording, timesteps T: Int, into out: UnsafeMutablePointer<Float>) {
        bin(kept: refractoryUs > 0 || denoiseUs > 0 ? filtered(recording) : recording.events, width: recording.width,
            height: recording.height, timesteps: T, into: out)
    }

    /// Bins events the filters already kept (`filtered`) on a `width` x `height` sensor into `T` frames.
    public func bin(kept events: [Event], width: Int, height: Int, timesteps T: Int, into out: UnsafeMutablePointer<Float>) {
        let shape = frameShape(width: width, height: height)
        let plane = shape[1] * shape[2], frame = shape[0] * plane, d = max(downsample, 1)
        out.initialize(repeating: 0, count: T * frame)
        guard let first = events.first?.t, let lastT = events.last?.t else { return }
        let span = Binning.span(first, lastT), n = events.count, w = shape[2], split = polarity == .split
        for (i, e) in events.enumerated() {
            let k: Int
            switch self.split {
            case .time: k = min(T - 1, Int(Binning.scaled(e.t - first, T, Int(span))))
            case .count: k = i * T / n
            }
            let c = split && !e.on ? 1 : 0
            out[k * frame + c * plane + (e.y / d) * w + e.x / d] += 1
        }
    }

    /// D = t_last − t₀ + 1 µs (saturating at Int64.max).
    static func span(_ first: Int64, _ last: Int64) -> Int64 {
        let (d, o) = (last - first).addingReportingOverflow(1)
        return o ? .max : d
    }

    /// a + b, saturating at Int64.max.
    static func plus(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? .max : s
    }

    /// ⌊a·k / m⌋ without overflow (a, k ≥ 0, m > 0, a·k / m within Int64).
    static func scaled(_ a: Int64, _ k: Int, _ m: Int) -> Int64 {
        let product = a.multipliedFullWidth(by: Int64(k))
        return Int64(m).dividingFullWidth(product).quotient
    }

    /// The T frames of a recording as an array (T, C, H', W').
    public func bin(_ recording: EventRecording, timesteps T: Int) -> [Float] {
        let count = T * frameShape(width: recording.width, height: recording.height).reduce(1, *)
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bin(recording, timesteps: T, into: out.baseAddress!)
            initialized = count
        }
    }
}
