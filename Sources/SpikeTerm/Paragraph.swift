/// A run of text in one style.
public struct Span: Equatable, Sendable {
    /// The characters (one cell each).
    public var text: String
    /// Their style.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, style: Style = .plain) { (self.text, self.style) = (text, style) }
}

/// Lines of styled text, one per row, cut at the right edge (with an ellipsis by default).
public struct Paragraph: Widget {
    /// Rows of spans.
    public var lines: [[Span]]
    /// Index of the first line shown.
    public var scroll: Int
    /// True: a cut line ends with the ellipsis glyph; false: it is simply clipped.
    public var ellipsis: Bool
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a paragraph of styled lines.
    public init(spans: [[Span]], scroll: Int = 0, ellipsis: Bool = true, glyphs: Glyphs = .unicode) {
        (self.lines, self.scroll, self.ellipsis, self.glyphs) = (spans, scroll, ellipsis, glyphs)
    }

    /// Creates a paragraph of plain lines in one style.
    public init(_ lines: [String], style: Style = .plain, scroll: Int = 0, ellipsis: Bool = true,
                glyphs: Glyphs = .unicode) {
        self.init(spans: lines.map { [Span($0, style: style)] }, scroll: scroll,
                  ellipsis: ellipsis, glyphs: glyphs)
    }

    /// Draws the visible lines; cells right of a line's end are left untouched.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let first = max(0, scroll)
        guard first < lines.count else { return }
        for (row, line) in lines[first...].prefix(area.height).enumerated() {
            let y = area.y + row
            var x = area.x
            let total = line.reduce(0) { $0 + $1.text.count }
            for span in line {
                x = buffer.setString(x: x, y: y, span.text, style: span.style, clip: area)
                if x >= area.maxX { break }
            }
            if ellipsis, total > area.width {
                let last = buffer[area.maxX - 1, y].style
                buffer.set(area.maxX - 1, y, glyphs.ellipsis, last)
            }
        }
    }
}
