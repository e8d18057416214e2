/// A terminal colour: the terminal's default or an entry of the 256-colour palette (no RGB).
public enum Color: Equatable, Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case terminalDefault
    /// Palette entry 0-255 (0-7 exist on every colour terminal; 232-255 are the grey ramp).
    case index(UInt8)

    /// The grey-ramp entry (232-255) for a brightness in 0...1; non-finite counts as 0.
    public static func grey(_ level: Float) -> Color {
        let f = level.isFinite ? min(max(level, 0), 1) : 0
        return .index(232 + UInt8((f * 23).rounded()))
    }
}

/// How a cell is drawn: colours and attributes.
public struct Style: Equatable, Hashable, Sendable {
    /// Foreground colour.
    public var fg: Color
    /// Background colour.
    public var bg: Color
    /// Attributes.
    public var bold: Bool, dim: Bool, reverse: Bool, underline: Bool

    /// Creates a style; the default is the terminal's plain text.
    public init(fg: Color = .terminalDefault, bg: Color = .terminalDefault, bold: Bool = false,
                dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        (self.fg, self.bg) = (fg, bg)
        (self.bold, self.dim, self.reverse, self.underline) = (bold, dim, reverse, underline)
    }

    /// Plain terminal text.
    public static let plain = Style()

    /// This style with a different foreground.
    public func fg(_ colour: Color) -> Style { var s = self; s.fg = colour; return s }
    /// This style with a different background.
    public func bg(_ colour: Color) -> Style { var s = self; s.bg = colour; return s }
    /// This style with bold added.
    public var bolded: Style { var s = self; s.bold = true; return s }
    /// This style with reverse video added.
    public var reversed: Style { var s = self; s.reverse = true; return s }

    /// `other` drawn on top of this style: its non-default colours win, attributes combine.
    public func patched(with other: Style) -> Style {
        var s = self
        if other.fg != .terminalDefault { s.fg = other.fg }
        if other.bg != .terminalDefault { s.bg = other.bg }
        s.bold = s.bold || other.bold
        s.dim = s.dim || other.dim
        s.reverse = s.reverse || other.reverse
        s.underline = s.underline || other.underline
        return s
    }
}

/// One terminal cell: a character (assumed one column wide) and its style.
public struct Cell: Equatable, Hashable, Sendable {
    /// The character shown; wide (two-column) characters are not supported.
    public var symbol: Character
    /// Colours and attributes.
    public var style: Style

    /// Creates a cell.
    public init(_ symbol: Character = " ", style: Style = .plain) {
        (self.symbol, self.style) = (symbol, style)
    }

    /// A space in plain style.
    public static let blank = Cell()
}
