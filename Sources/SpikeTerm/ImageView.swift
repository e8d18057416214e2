/// A grey image: half blocks '▀' (fg = upper pixel, bg = lower pixel, grey ramp 232-255),
/// or, for ASCII or colourless terminals, one ramp character per cell (" .:-=+*#%@").
///
/// Scale: s = min(areaWidth / w, 2·areaHeight / h): one pixel per column, two per row (in ramp
/// mode a cell shows the mean of its two pixels); s ≥ 1 is floored to an integer. Pixels are sampled nearest-neighbour
/// (no averaging when shrinking). The image sits at the top-left; other cells are untouched.
public struct ImageView: Widget {
    /// How pixels become cells.
    public enum Mode: Equatable, Sendable {
        /// Two pixels per cell with grey-ramp colours (needs 256 colours).
        case halfBlock
        /// One character of the ramp per cell, no colour needed.
        case ramp
    }

    /// Brightness 0...1, row-major, `width`×`height` (non-finite counts as 0).
    public var pixels: [Float]
    /// Image size in pixels.
    public var width: Int, height: Int
    /// Drawing mode.
    public var mode: Mode
    /// Style of ramp characters.
    public var style: Style
    /// Characters (the ramp).
    public var glyphs: Glyphs

    /// Creates an image from brightness values in 0...1.
    public init(pixels: [Float], width: Int, height: Int, mode: Mode = .halfBlock,
                style: Style = .plain, glyphs: Glyphs = .unicode) {
        (self.pixels, self.width, self.height) = (pixels, max(0, width), max(0, height))
        (self.mode, self.style, self.glyphs) = (mode, style, glyphs)
    }

    /// Creates an image from bytes (0 black ... 255 white).
    public init(bytes: [UInt8], width: Int, height: Int, mode: Mode = .halfBlock,
                glyphs: Glyphs = .unicode) {
        self.init(pixels: bytes.map { Float($0) / 255 }, width: width, height: height, mode: mode,
                  glyphs: glyphs)
    }

    /// Pixel (x, y) in 0...1; 0 outside or non-finite.
    func pixel(_ x: Int, _ y: Int) -> Float {
        guard x >= 0, y >= 0, x < width, y < height, y * width + x < pixels.count else { return 0 }
        let v = pixels[y * width + x]
        return v.isFinite ? min(max(v, 0), 1) : 0
    }

    /// The scale factor used in `area`.
    public func scale(for area: Rect) -> Float {
        guard width > 0, height > 0 else { return 0 }
        let s = min(Float(area.width) / Float(width), 2 * Float(area.height) / Float(height))
        return s >= 1 ? s.rounded(.down) : s
    }

    /// Draws the image at the top-left of `area`.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let s = scale(for: area)
        guard s > 0 else { return }
        let outW = min(area.width, Int(Float(width) * s))
        let outH = Int(Float(height) * s)                   // output pixel rows
        let rows = min(area.height, (outH + 1) / 2)
        let sample = { (px: Int, py: Int) -> Float? in
            py < outH ? self.pixel(Int(Float(px) / s), Int(Float(py) / s)) : nil
        }
        for row in 0..<rows {
            for col in 0..<outW {
                let upper = sample(col, 2 * row) ?? 0
                let lower = sample(col, 2 * row + 1)
                switch mode {
                case .halfBlock:
                    let st = Style(fg: .grey(upper), bg: lower.map(Color.grey) ?? .terminalDefault)
                    buffer.set(area.x + col, area.y + row, "▀", st)
                case .ramp:
                    let v = lower.map { (upper + $0) / 2 } ?? upper
                    let ramp = glyphs.ramp
                    let i = min(ramp.count - 1, Int((v * Float(ramp.count - 1)).rounded()))
                    buffer.set(area.x + col, area.y + row, ramp[i], style)
                }
            }
        }
    }
}
