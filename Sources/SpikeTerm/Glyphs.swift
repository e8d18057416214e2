/// The characters widgets draw with: Unicode (box drawing, eighth blocks, braille) or ASCII
/// for non-UTF-8 locales and `--ascii`.
public struct Glyphs: Equatable, Sendable {
    /// Border corners and edges: top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
    public var border: [Character]
    /// Border of the focused pane, same order.
    public var focusedBorder: [Character]
    /// Nine sparkline levels, empty to full.
    public var sparkline: [Character]
    /// Nine horizontal bar partials, 0/8 to 8/8 of a cell.
    public var barEighths: [Character]
    /// Marks cut-off text.
    public var ellipsis: Character
    /// True: dot plots use braille (2×4 dots per cell); false: one dot per cell.
    public var braille: Bool
    /// Dot symbols per layer when `braille` is false (series 0-3, then threshold).
    public var dotSymbols: [Character]
    /// Axis: tick, line.
    public var axisTick: Character, axisLine: Character
    /// Spike marker in line charts.
    public var spikeMarker: Character
    /// Spike markers of up to 4 series, one glyph each (and the mark where several coincide).
    public var seriesMarkers: [Character] { braille ? Array("●▲■◆") : Array("o^#*") }
    /// The mark where spikes of several series fall in one cell.
    public var manyMarker: Character { braille ? "✱" : "+" }
    /// Grey levels for images without colour, dark to light.
    public var ramp: [Character]
    /// True for the Unicode set.
    public var isUnicode: Bool { braille }

    /// Box drawing, eighth blocks and braille.
    public static let unicode = Glyphs(
        border: Array("┌┐└┘─│"), focusedBorder: Array("┏┓┗┛━┃"),
        sparkline: Array(" ▁▂▃▄▅▆▇█"), barEighths: Array(" ▏▎▍▌▋▊▉█"), ellipsis: "…",
        braille: true, dotSymbols: Array("*+ox-"), axisTick: "┤", axisLine: "│",
        spikeMarker: "▾", ramp: Array(" .:-=+*#%@"))

    /// Seven-bit ASCII only.
    public static let ascii = Glyphs(
        border: Array("++++-|"), focusedBorder: Array("####=#"),
        sparkline: Array(" .:-=+*#@"), barEighths: Array("    #####"), ellipsis: "~",
        braille: false, dotSymbols: Array("*+ox-"), axisTick: "+", axisLine: "|",
        spikeMarker: "v", ramp: Array(" .:-=+*#%@"))
}
