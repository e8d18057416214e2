/// One row of eighth-block levels, the most recent `width` values, left-aligned.
public struct Sparkline: Widget {
    /// Values; non-finite values draw as empty.
    public var values: [Float]
    /// The value that fills a cell; nil uses the largest finite value.
    public var maximum: Float?
    /// Style of the levels.
    public var style: Style
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a sparkline.
    public init(values: [Float], maximum: Float? = nil, style: Style = .plain,
                glyphs: Glyphs = .unicode) {
        (self.values, self.maximum, self.style, self.glyphs) = (values, maximum, style, glyphs)
    }

    /// Draws level round(8·v/maximum) (clamped to 0...8) per value in the top row of `area`.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard area.height > 0, area.width > 0 else { return }
        let shown = values.suffix(area.width)
        let top = maximum ?? shown.filter(\.isFinite).max() ?? 0
        let levels = glyphs.sparkline
        for (i, value) in shown.enumerated() {
            let f = value.isFinite && top > 0 ? min(max(value / top, 0), 1) : 0
            buffer.set(area.x + i, area.y, levels[Int((f * 8).rounded())], style)
        }
    }
}
