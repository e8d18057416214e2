/// The xterm 256-colour palette as RGB, and nearest-index lookup for "#rrggbb" colours.
///
/// Indices 0-15 are the terminal's own (user-configurable) colours, so `nearest` only answers
/// with 16-255: the 6×6×6 cube (16-231, levels 0, 95, 135, 175, 215, 255) and the 24-step grey
/// ramp (232-255, 8 + 10·k). Distance is squared Euclidean in RGB; ties go to the lower index.
public enum XtermPalette {
    /// Channel levels of the 6×6×6 colour cube.
    public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// Approximate RGB of the 16 system colours (xterm defaults).
    public static let systemColours: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// RGB of palette entry `index` (0-255).
    public static func rgb(_ index: UInt8) -> (r: Int, g: Int, b: Int) {
        let i = Int(index)
        if i < 16 { return systemColours[i] }
        if i >= 232 { let v = 8 + 10 * (i - 232); return (v, v, v) }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    /// The palette index in 16-255 closest to an RGB colour.
    public static func nearest(r: Int, g: Int, b: Int) -> UInt8 {
        var best = 16, bestDistance = Int.max
        for i in 16...255 {
            let p = rgb(UInt8(i))
            let d = (p.r - r) * (p.r - r) + (p.g - g) * (p.g - g) + (p.b - b) * (p.b - b)
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return UInt8(best)
    }
}
