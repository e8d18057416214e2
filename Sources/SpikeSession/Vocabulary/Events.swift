import SpikeData

/// The `[events]` table of a session, read and written in one place:
///
///     [events]
///     bins = "time"          # or "count": how a recording is cut into T frames
///     polarity = "split"     # ON and OFF channels; "merge": one channel
///     downsample = 1         # a pixel block of this side becomes one input
///     refractory_us = 0      # per-pixel refractory filter (0: off)
///     denoise_us = 0         # background-activity filter (0: off)
///     # the simulated saccade camera, for image sources (see SaccadeCamera):
///     threshold = 0.15       # contrast threshold in log intensity
///     threshold_sigma = 0.03 # per-pixel threshold mismatch (relative)
///     amplitude = 2.0        # saccade amplitude, pixels
///     micro_steps = 24       # a multiple of 3
///     log_offset = 0.05      # ε of ln(I + ε)
///     duration_us = 300000   # recording length
///     seed = 0               # per-pixel thresholds (default: the session's seed)
enum EventsVocabulary {
    static let keys = ["bins", "polarity", "downsample", "refractory_us", "denoise_us", "threshold", "threshold_sigma",
                       "amplitude", "micro_steps", "log_offset", "duration_us", "seed"]

    static func read(_ t: TOMLFields, seed: UInt64) throws -> EventInput {
        try t.onlyKeys(keys)
        var b = Binning()
        b.split = try t.choice("bins", Binning.Split.allCases.map { ($0.rawValue, $0) }, default: .time)
        b.polarity = try t.choice("polarity", Binning.Polarity.allCases.map { ($0.rawValue, $0) }, default: .split)
        b.downsample = try t.int("downsample", default: 1, in: 1...64)
        b.refractoryUs = Int64(try t.int("refractory_us", default: 0, in: 0...1 << 40))
        b.denoiseUs = Int64(try t.int("denoise_us", default: 0, in: 0...1 << 40))
        var c = SaccadeCamera()
        c.threshold = try t.float("threshold", default: c.threshold, { $0 > 0.001 && $0 < 10 }, expected: "a number in (0.001, 10)")
        c.thresholdSigma = try t.float("threshold_sigma", default: c.thresholdSigma, { $0 >= 0 && $0 < 1 }, expected: "a number in [0, 1)")
        c.amplitude = try t.float("amplitude", default: c.amplitude, { $0 >= 0 && $0 <= 16 }, expected: "a number of pixels in 0...16")
        c.microSteps = try t.int("micro_steps", default: c.microSteps, in: 3...3000)
        guard c.microSteps % 3 == 0 else {
            throw SessionError.badValue(file: t.file, field: t.prefix + "micro_steps", expected: "a multiple of 3 (a third per saccade)", found: "\(c.microSteps)")
        }
        c.logOffset = try t.float("log_offset", default: c.logOffset, { $0 > 0 && $0 <= 1 }, expected: "a number in (0, 1]")
        c.durationUs = Int64(try t.int("duration_us", default: Int(c.durationUs), in: c.microSteps...(1 << 31)))
        c.seed = UInt64(try t.int("seed", default: Int(seed), in: 0...Int.max))
        return EventInput(camera: c, binning: b)
    }

    static func write(_ e: EventInput) -> String {
        let b = e.binning, c = e.camera
        return """
            bins = "\(b.split.rawValue)"
            polarity = "\(b.polarity.rawValue)"
            downsample = \(b.downsample)
            refractory_us = \(b.refractoryUs)
            denoise_us = \(b.denoiseUs)
            threshold = \(c.threshold)
            threshold_sigma = \(c.thresholdSigma)
            amplitude = \(c.amplitude)
            micro_steps = \(c.microSteps)
            log_offset = \(c.logOffset)
            duration_us = \(c.durationUs)
            seed = \(c.seed)

            """
    }
}
