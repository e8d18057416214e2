/// A braille line plot of up to 4 series over steps, with y-axis labels, an optional
/// horizontal threshold line and spike markers.
///
/// Layout: a label column (the y maximum on the top row, the minimum on the bottom row, the
/// threshold on its row when that row is free), an axis column, then the plot. One step per
/// dot column (2 per cell in braille, 1 in ASCII); steps shown are `firstStep` onward or (nil)
/// the most recent ones. A value v maps to dot row round((hi − v)/(hi − lo)·(dotRows − 1)),
/// and consecutive points of a series are joined by a vertical run of dots. Spike markers sit
/// in a row of their own above the plot (so they never hide a value), in the column of their
/// step, each series with its own glyph and style (`Glyphs.seriesMarkers`; `manyMarker` where
/// several fall in one cell). Drawing order: threshold, series 0...3. Labels are dropped when
/// the area is narrower than labels + axis + 1.
public struct LineChart: Widget {
    /// Up to 4 series, each indexed by step; non-finite values leave gaps.
    public var series: [[Float]]
    /// First step shown; nil shows the most recent steps.
    public var firstStep: Int?
    /// Value range of the y axis; nil spans the finite data and the threshold.
    public var yRange: ClosedRange<Float>?
    /// Value of the horizontal threshold line.
    public var threshold: Float?
    /// Steps that get a spike marker, per series.
    public var spikeMarks: [[Int]]
    /// Styles: one per series (cycled), threshold, axis and labels, markers.
    public var seriesStyles: [Style], thresholdStyle: Style, axisStyle: Style, spikeStyle: Style
    /// Characters.
    public var glyphs: Glyphs
    /// Width of the label column when fixed (so that plots in different panes line up); nil
    /// fits the labels.
    public var fixedLabelWidth: Int?

    /// Creates a line chart.
    public init(series: [[Float]], firstStep: Int? = nil, yRange: ClosedRange<Float>? = nil,
                threshold: Float? = nil, spikeMarks: [[Int]] = [],
                seriesStyles: [Style] = [.plain], thresholdStyle: Style = Style(dim: true),
                axisStyle: Style = .plain, spikeStyle: Style = Style(bold: true),
                glyphs: Glyphs = .unicode) {
        (self.series, self.firstStep, self.yRange) = (Array(series.prefix(4)), firstStep, yRange)
        (self.threshold, self.spikeMarks, self.seriesStyles) = (threshold, spikeMarks, seriesStyles)
        (self.thresholdStyle, self.axisStyle, self.spikeStyle) = (thresholdStyle, axisStyle, spikeStyle)
        self.glyphs = glyphs
    }

    /// The y range used: `yRange`, or the finite data and threshold (±1 when flat, 0...1 when empty).
    public var resolvedRange: ClosedRange<Float> {
        if let r = yRange, r.lowerBound.isFinite, r.upperBound.isFinite,
           r.upperBound > r.lowerBound { return r }
        var lo = Float.infinity, hi = -Float.infinity
        for s in series { for v in s where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        if let t = threshold, t.isFinite { lo = min(lo, t); hi = max(hi, t) }
        guard lo <= hi else { return 0...1 }
        return lo == hi ? (lo - 1)...(hi + 1) : lo...hi
    }

    /// True when a marker row is reserved above the plot (some series has marks).
    public var hasMarkerRow: Bool { spikeMarks.contains { !$0.isEmpty } }

    /// The part of `area` holding the plot (right of the labels and axis, below the marker row).
    public func plotArea(for area: Rect) -> Rect {
        let body = hasMarkerRow && area.height >= 2 ? area.inset(top: 1) : area
        let w = labelWidth(for: body)
        return w > 0 ? body.inset(left: w + 1) : body
    }

    /// The steps shown in `area`.
    public func visibleSteps(for area: Rect) -> Range<Int> {
        let plot = plotArea(for: area)
        let window = plot.width * (glyphs.braille ? 2 : 1)
        let steps = series.map(\.count).max() ?? 0
        let first = max(0, firstStep ?? (steps - window))
        return first..<(first + window)
    }

    private func labels() -> (top: String, bottom: String, threshold: String?) {
        let r = resolvedRange
        return (formatValue(r.upperBound), formatValue(r.lowerBound), threshold.map(formatValue))
    }

    private func labelWidth(for area: Rect) -> Int {
        if let w = fixedLabelWidth { return area.width >= w + 2 ? w : 0 }
        let l = labels()
        let w = max(l.top.count, l.bottom.count, l.threshold?.count ?? 0)
        return area.width >= w + 2 ? w : 0
    }

    /// Dot row of `v` on a plot `dotRows` high.
    private func dotRow(_ v: Float, _ r: ClosedRange<Float>, _ dotRows: Int) -> Int {
        let f = (r.upperBound - v) / (r.upperBound - r.lowerBound)
        return min(max(Int((f * Float(dotRows - 1)).rounded()), 0), dotRows - 1)
    }

    /// Draws labels, axis, threshold, series and markers; plot cells without dots become spaces.
    public func render(_ full: Rect, into buffer: inout Buffer) {
        guard !full.isEmpty else { return }
        let r = resolvedRange
        let plot = plotArea(for: full)
        let markerY = full.y
        let area = hasMarkerRow && full.height >= 2 ? full.inset(top: 1) : full
        let labelW = plot.x - area.x - (plot.x > area.x ? 1 : 0)
        var canvas = DotCanvas(columns: plot.width, rows: plot.height, braille: glyphs.braille)
        let dotRows = canvas.dotHeight
        let steps = visibleSteps(for: full)
        let (_, dy) = canvas.dotsPerCell
        var thresholdRow: Int?
        if let t = threshold, t.isFinite, dotRows > 0, t >= r.lowerBound, t <= r.upperBound {
            let ty = dotRow(t, r, dotRows)
            thresholdRow = ty / dy
            for x in 0..<canvas.dotWidth { canvas.set(x: x, y: ty, layer: 4) }
        }
        if dotRows > 0 {
            for (s, values) in series.enumerated() {
                var previous: Int?
                for t in steps {
                    guard t < values.count, values[t].isFinite else { previous = nil; continue }
                    let y = dotRow(values[t], r, dotRows)
                    let x = t - steps.lowerBound
                    let from = previous ?? y
                    for yy in min(from, y)...max(from, y) { canvas.set(x: x, y: yy, layer: s) }
                    previous = y
                }
            }
        }
        var styles = (0..<4).map { seriesStyles.isEmpty ? .plain : seriesStyles[$0 % seriesStyles.count] }
        styles.append(thresholdStyle)
        canvas.render(x: plot.x, y: plot.y, into: &buffer, styles: styles, symbols: glyphs.dotSymbols)
        let (dx, _) = canvas.dotsPerCell
        if hasMarkerRow && area.y > markerY {
            buffer.fill(Rect(x: full.x, y: markerY, width: full.width, height: 1), with: Cell(" ", style: axisStyle))
            var marked: [Int: Int] = [:]          // column → series, or -1 for several
            for (s, marks) in spikeMarks.prefix(4).enumerated() {
                for t in marks where steps.contains(t) {
                    let col = (t - steps.lowerBound) / dx
                    marked[col] = marked[col].map { $0 == s ? s : -1 } ?? s
                }
            }
            for (col, s) in marked where col < plot.width {
                buffer.set(plot.x + col, markerY, s >= 0 ? glyphs.seriesMarkers[s] : glyphs.manyMarker,
                           s >= 0 ? styles[s] : spikeStyle)
            }
        }
        guard labelW > 0 else { return }
        let l = labels()
        for row in 0..<area.height {
            let y = area.y + row
            var text = ""
            if row == 0 { text = l.top }
            else if row == area.height - 1 { text = l.bottom }
            else if row == thresholdRow, let t = l.threshold { text = t }
            if text.count > labelW { text = String(text.prefix(labelW)) }
            let padded = String(repeating: " ", count: labelW - text.count) + text
            buffer.setString(x: area.x, y: y, padded, style: axisStyle, clip: area)
            buffer.set(area.x + labelW, y, text.isEmpty ? glyphs.axisLine : glyphs.axisTick, axisStyle)
        }
    }
}
