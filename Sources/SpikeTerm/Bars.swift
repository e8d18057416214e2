/// Horizontal bars, one row per label: "label bar value", with eighth-block precision.
///
/// Layout per row: label (right-padded to the longest label, at most half the width), a space,
/// the bar, a space, the value text (right-aligned to the longest). When the bar would get no
/// cell, the value text is dropped, then the label.
public struct Bars: Widget {
    /// Row labels.
    public var labels: [String]
    /// One value per label (missing values count as 0; non-finite as 0).
    public var values: [Float]
    /// The value that fills the bar; nil uses the largest value.
    public var maximum: Float?
    /// Row drawn in `highlightStyle` (e.g. the predicted class).
    public var highlight: Int?
    /// Styles.
    public var labelStyle: Style, barStyle: Style, highlightStyle: Style, valueStyle: Style
    /// Formats the value text; nil hides it.
    public var valueText: ((Float) -> String)?
    /// Characters.
    public var glyphs: Glyphs

    /// Creates bars; the value text defaults to `formatValue`.
    public init(labels: [String], values: [Float], maximum: Float? = nil, highlight: Int? = nil,
                labelStyle: Style = .plain, barStyle: Style = .plain,
                highlightStyle: Style = Style(bold: true), valueStyle: Style = .plain,
                valueText: ((Float) -> String)? = { formatValue($0) }, glyphs: Glyphs = .unicode) {
        (self.labels, self.values, self.maximum, self.highlight) = (labels, values, maximum, highlight)
        (self.labelStyle, self.barStyle) = (labelStyle, barStyle)
        (self.highlightStyle, self.valueStyle) = (highlightStyle, valueStyle)
        (self.valueText, self.glyphs) = (valueText, glyphs)
    }

    /// Bar length in eighths of a cell: round(8·width·v/maximum), clamped to 0...8·width.
    public static func eighths(value: Float, maximum: Float, width: Int) -> Int {
        guard value.isFinite, maximum.isFinite, maximum > 0, width > 0 else { return 0 }
        let f = min(max(value / maximum, 0), 1)
        return Int((f * Float(width * 8)).rounded())
    }

    /// Draws one row per label, top to bottom, clipped to `area`.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, !labels.isEmpty else { return }
        let value = { (i: Int) -> Float in i < values.count && values[i].isFinite ? values[i] : 0 }
        let top = maximum ?? (0..<labels.count).map(value).max() ?? 0
        let texts = valueText.map { f in (0..<labels.count).map { f(value($0)) } } ?? []
        var labelW = min(labels.map(\.count).max() ?? 0, area.width / 2)
        var valueW = texts.map(\.count).max() ?? 0
        var barW = area.width - (labelW > 0 ? labelW + 1 : 0) - (valueW > 0 ? valueW + 1 : 0)
        if barW < 1, valueW > 0 {
            valueW = 0
            barW = area.width - (labelW > 0 ? labelW + 1 : 0)
        }
        if barW < 1 { labelW = 0; barW = area.width }
        for row in 0..<min(labels.count, area.height) {
            let y = area.y + row
            let lit = row == highlight
            var x = area.x
            if labelW > 0 {
                let label = truncate(labels[row], to: labelW, ellipsis: glyphs.ellipsis)
                let pad = String(repeating: " ", count: labelW - label.count + 1)
                buffer.setString(x: x, y: y, label + pad, style: lit ? highlightStyle : labelStyle,
                                 clip: area)
                x += labelW + 1
            }
            let n = Bars.eighths(value: value(row), maximum: top, width: barW)
            let style = lit ? highlightStyle : barStyle
            for c in 0..<barW {
                let level = min(8, max(0, n - c * 8))
                buffer.set(x + c, y, glyphs.barEighths[level], style)
            }
            x += barW
            if valueW > 0 {
                let text = texts[row]
                let padded = String(repeating: " ", count: valueW - text.count + 1) + text
                buffer.setString(x: x, y: y, padded, style: lit ? highlightStyle : valueStyle,
                                 clip: area)
            }
        }
    }
}

/// Compact number text for axes and bars: integers when |v| ≥ 100, else up to two decimals
/// with trailing zeros dropped ("1", "0.5", "-12.3", "0.25"); "nan"/"inf" for non-finite.
public func formatValue(_ v: Float) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    let a = abs(v)
    let decimals = a >= 100 ? 0 : (a >= 10 ? 1 : 2)
    var scale: Float = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((a * scale).rounded())
    if scaled == 0 { return "0" }
    let whole = scaled / Int64(scale), frac = scaled % Int64(scale)
    var text = (v < 0 ? "-" : "") + String(whole)
    if frac > 0 {
        var digits = String(frac)
        while digits.count < decimals { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        text += "." + digits
    }
    return text
}
