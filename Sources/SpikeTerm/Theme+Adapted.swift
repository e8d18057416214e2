
extension Theme {
    /// This theme for a terminal with `colours` colours (the caller reads COLORS and NO_COLOR).
    ///
    /// - 256 or more (and not `noColor`): unchanged.
    /// - 8 to 255: each colour goes to the basic colour whose channels it lights
    ///   (channel on when ≥ half the brightest channel: index = r + 2g + 4b); grey foregrounds
    ///   become the default colour, dimmed when faint (below 160 on a dark theme, above 96 on
    ///   a light one); a grey background of the theme's own tone becomes reverse video, one of
    ///   the opposite tone becomes black or white; 0-15 stay when
    ///   the terminal has 16 colours.
    /// - Fewer than 8 or `noColor`: no colour at all; roles keep apart by attributes: focus,
    ///   titles and spikes bold, selection, status and the highlighted bar reversed, warnings
    ///   bold+underlined, the four traces bold / plain / dim / underlined.
    public func adapted(to colours: Int, noColor: Bool) -> Theme {
        if noColor || colours < 8 { return monochrome() }
        if colours >= 256 { var t = self; t.depth = .palette256; return t }
        var t = self
        t.canvas = Style()          // fewer colours: the terminal's own text and background
        t.depth = .basic
        let keep16 = colours >= 16
        let map = { (s: Style) in self.basicStyle(s, keep16: keep16) }
        for path in Theme.singleRoles { t[keyPath: path] = map(self[keyPath: path]) }
        t.membrane = membrane.map(map)
        t.classColours = classColours.map(map)
        t.heatRamp = heatRamp.map(map)
        return t
    }

    /// Key paths of the single-style roles.
    static let singleRoles: [WritableKeyPath<Theme, Style>] = [
        \.text, \.dim, \.title, \.focusBorder, \.border, \.axis, \.spike, \.threshold, \.bar,
        \.barHighlight, \.eventOn, \.eventOff, \.status, \.statusKey, \.warning, \.selection,
    ]

    private func monochrome() -> Theme {
        let plain = Style()
        var t = Theme(
            name: name, isDark: isDark, text: plain, dim: Style(dim: true),
            title: Style(bold: true), focusBorder: Style(bold: true), border: plain, axis: plain,
            spike: Style(bold: true),
            membrane: [Style(bold: true), plain, Style(dim: true), Style(underline: true)],
            threshold: Style(dim: true), bar: plain, barHighlight: Style(reverse: true),
            classColours: [plain], eventOn: Style(bold: true), eventOff: Style(dim: true),
            heatRamp: [], status: Style(reverse: true), statusKey: Style(bold: true, reverse: true),
            warning: Style(bold: true, underline: true), selection: Style(reverse: true))
        t.depth = .none
        return t
    }

    private func basicStyle(_ s: Style, keep16: Bool) -> Style {
        var out = s
        out.fg = .terminalDefault
        out.bg = .terminalDefault
        if case .index(let i) = s.bg {
            switch Theme.basicColour(i, keep16: keep16) {
            case .colour(let c): out.bg = .index(c)
            case .grey(let lum):
                let light = lum >= 128
                if light == isDark { out.bg = .index(light ? 7 : 0) } else { out.reverse.toggle() }
            }
        }
        if case .index(let i) = s.fg {
            switch Theme.basicColour(i, keep16: keep16) {
            case .colour(let c): out.fg = .index(c)
            case .grey(let lum):
                let faint = isDark ? lum < 160 : lum > 96
                if faint && !out.reverse { out.dim = true }
            }
        }
        if out.fg != .terminalDefault, out.fg == out.bg {
            out.fg = out.bg == .index(0) ? .index(7) : .index(0)
        }
        return out
    }

    private enum Basic { case colour(UInt8), grey(luminance: Int) }

    /// The basic colour for a palette entry, or "grey" with its lightness.
    private static func basicColour(_ i: UInt8, keep16: Bool) -> Basic {
        if i < 8 || (keep16 && i < 16) { return .colour(i) }
        if i < 16 { return .colour(i - 8) }
        let (r, g, b) = XtermPalette.rgb(i)
        let hi = max(r, g, b), lo = min(r, g, b)
        if hi - lo < 48 { return .grey(luminance: (r + g + b) / 3) }
        let on = { (c: Int) in c * 2 >= hi ? 1 : 0 }
        return .colour(UInt8(on(r) + 2 * on(g) + 4 * on(b)))
    }
}

extension Theme {
    /// True when the environment asks for no colour (NO_COLOR set and non-empty, no-color.org).
    public static func noColorRequested(_ environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }
}
