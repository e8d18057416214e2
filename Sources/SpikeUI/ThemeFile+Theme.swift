// A theme file (SpikeSession) made into the widget kit's Theme (SpikeTerm).
import SpikeSession
import SpikeTerm

extension Theme {
    /// A theme file's roles over its base built-in theme (roles left out come from the base).
    public init(_ file: ThemeFile) {
        var t = Theme.builtin(named: file.base) ?? .dark
        t.name = file.name
        func style(_ s: ThemeRoleStyle) -> Style {
            func colour(_ c: ThemeColour) -> Color {
                switch c {
                case .terminalDefault: return .terminalDefault
                case .index(let i): return .index(i)
                case let .rgb(r, g, b): return .index(XtermPalette.nearest(r: r, g: g, b: b))
                }
            }
            return Style(fg: colour(s.fg), bg: colour(s.bg), bold: s.bold, dim: s.dim,
                         reverse: s.reverse, underline: s.underline)
        }
        let single: [(String, WritableKeyPath<Theme, Style>)] = [
            ("text", \.text), ("dim", \.dim), ("title", \.title), ("focus_border", \.focusBorder),
            ("border", \.border), ("axis", \.axis), ("spike", \.spike),
            ("threshold", \.threshold), ("bar", \.bar), ("bar_highlight", \.barHighlight),
            ("event_on", \.eventOn), ("event_off", \.eventOff), ("status", \.status),
            ("status_key", \.statusKey), ("warning", \.warning), ("selection", \.selection), ("canvas", \.canvas),
        ]
        for (key, path) in single { if let s = file.roles[key] { t[keyPath: path] = style(s) } }
        if let m = file.lists["membrane"], !m.isEmpty {
            t.membrane = (0..<4).map { style(m[$0 % m.count]) }
        }
        if let c = file.lists["class_colours"], !c.isEmpty { t.classColours = c.map(style) }
        if let h = file.lists["heat_ramp"], !h.isEmpty { t.heatRamp = h.map(style) }
        self = t
    }
}
