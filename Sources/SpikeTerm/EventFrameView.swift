/// One event frame: each pixel ON (more ON than OFF events), OFF (more OFF) or empty, in the
/// two colours of the theme. Half blocks '▀' carry two pixel rows per cell (fg the upper pixel,
/// bg the lower) when colours are available; otherwise a character per cell, '+' for ON, '-'
/// for OFF, '±' ('*' in ASCII) when the cell's two pixels disagree.
///
/// Scale as `ImageView`: s = min(areaWidth / w, 2·areaHeight / h), floored to an integer when
/// at least 1, nearest-neighbour sampling; top-left of the area.
public struct EventFrameView: Widget {
    /// ON and OFF counts of each pixel, row-major `width`×`height`.
    public var on: [Float], off: [Float]
    /// Frame size in pixels.
    public var width: Int, height: Int
    /// Styles whose foreground colours mark ON and OFF pixels.
    public var onStyle: Style, offStyle: Style
    /// Style of empty cells (its background fills empty half-pixels too).
    public var background: Style
    /// Whether to draw half blocks in colour (else characters).
    public var colour: Bool
    /// Characters for the ASCII fallback.
    public var glyphs: Glyphs

    /// Creates the view; `off` may be empty (a merged-polarity frame shows every event as ON).
    public init(on: [Float], off: [Float], width: Int, height: Int, onStyle: Style, offStyle: Style,
                background: Style = .plain, colour: Bool, glyphs: Glyphs) {
        (self.on, self.off, self.width, self.height) = (on, off, max(0, width), max(0, height))
        (self.onStyle, self.offStyle, self.background, self.colour, self.glyphs) = (onStyle, offStyle, background, colour, glyphs)
    }

    /// +1 ON, −1 OFF, 0 empty (or outside).
    func polarity(_ x: Int, _ y: Int) -> Int {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        let i = y * width + x
        let a = i < on.count ? on[i] : 0, b = i < off.count ? off[i] : 0
        return a > b ? 1 : b > a ? -1 : 0
    }

    /// The scale factor used in `area`.
    public func scale(for area: Rect) -> Float {
        guard width > 0, height > 0 else { return 0 }
        let s = min(Float(area.width) / Float(width), 2 * Float(area.height) / Float(height))
        return s >= 1 ? s.rounded(.down) : s
    }

    /// Draws the frame at the top-left of `area`.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        let s = scale(for: area)
        guard !area.isEmpty, s > 0 else { return }
        let outW = min(area.width, Int(Float(width) * s)), outH = Int(Float(height) * s)
        let rows = min(area.height, (outH + 1) / 2)
        func at(_ px: Int, _ py: Int) -> Int { py < outH ? polarity(Int(Float(px) / s), Int(Float(py) / s)) : 0 }
        func colourOf(_ p: Int) -> Color { p > 0 ? onStyle.fg : p < 0 ? offStyle.fg : background.bg }
        for row in 0..<rows {
            for col in 0..<outW {
                let upper = at(col, 2 * row), lower = at(col, 2 * row + 1)
                if colour {
                    if upper == 0 && lower == 0 { buffer.set(area.x + col, area.y + row, " ", background); continue }
                    buffer.set(area.x + col, area.y + row, "▀", Style(fg: colourOf(upper), bg: colourOf(lower)))
                } else {
                    let p = upper != 0 && lower != 0 && upper != lower ? 2 : upper != 0 ? upper : lower
                    let symbol: Character = p == 2 ? (glyphs.isUnicode ? "±" : "*") : p > 0 ? "+" : p < 0 ? "-" : " "
                    buffer.set(area.x + col, area.y + row, symbol, p == 0 ? background : p < 0 ? offStyle : onStyle)
                }
            }
        }
    }
}
