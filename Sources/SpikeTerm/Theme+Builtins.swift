// Mirrors themes/*.toml role for role; change both together
// (ThemeTests.themeFilesMatchBuiltins checks that each file parses to its built-in).

extension Theme {
    /// Default: light text on a dark background.
    public static let dark = Theme(
        name: "dark", isDark: true,
        text: Style(),
        dim: Style(fg: .index(244)),
        title: Style(fg: .index(255), bold: true),
        focusBorder: Style(fg: .index(45), bold: true),
        border: Style(fg: .index(240)),
        axis: Style(fg: .index(246)),
        spike: Style(fg: .index(221), bold: true),
        membrane: [Style(fg: .index(39)), Style(fg: .index(208)), Style(fg: .index(76)), Style(fg: .index(170))],
        threshold: Style(fg: .index(203)),
        bar: Style(fg: .index(33)),
        barHighlight: Style(fg: .index(214), bold: true),
        classColours: [Style(fg: .index(196)), Style(fg: .index(208)), Style(fg: .index(226)), Style(fg: .index(46)), Style(fg: .index(51)), Style(fg: .index(33)), Style(fg: .index(129)), Style(fg: .index(201)), Style(fg: .index(250)), Style(fg: .index(137))],
        eventOn: Style(fg: .index(46)),
        eventOff: Style(fg: .index(197)),
        heatRamp: [Style(fg: .index(16)), Style(fg: .index(53)), Style(fg: .index(90)), Style(fg: .index(126)), Style(fg: .index(161)), Style(fg: .index(196)), Style(fg: .index(202)), Style(fg: .index(208)), Style(fg: .index(214)), Style(fg: .index(220)), Style(fg: .index(226)), Style(fg: .index(230))],
        status: Style(fg: .index(252), bg: .index(236)),
        statusKey: Style(fg: .index(45), bg: .index(236), bold: true),
        warning: Style(fg: .index(196), bold: true),
        selection: Style(bg: .index(238)))

    /// Dark text on a light background.
    public static let light: Theme = {
        var t = lightColours
        t.canvas = Style(fg: .index(235), bg: .index(231))   // dark grey on white, whatever the terminal's colours
        return t
    }()

    private static let lightColours = Theme(
        name: "light", isDark: false,
        text: Style(),
        dim: Style(fg: .index(243)),
        title: Style(fg: .index(16), bold: true),
        focusBorder: Style(fg: .index(25), bold: true),
        border: Style(fg: .index(248)),
        axis: Style(fg: .index(242)),
        spike: Style(fg: .index(160), bold: true),
        membrane: [Style(fg: .index(25)), Style(fg: .index(166)), Style(fg: .index(28)), Style(fg: .index(127))],
        threshold: Style(fg: .index(244)),
        bar: Style(fg: .index(25)),
        barHighlight: Style(fg: .index(166), bold: true),
        classColours: [Style(fg: .index(160)), Style(fg: .index(166)), Style(fg: .index(136)), Style(fg: .index(28)), Style(fg: .index(30)), Style(fg: .index(25)), Style(fg: .index(91)), Style(fg: .index(127)), Style(fg: .index(240)), Style(fg: .index(94))],
        eventOn: Style(fg: .index(28)),
        eventOff: Style(fg: .index(160)),
        heatRamp: [Style(fg: .index(231)), Style(fg: .index(224)), Style(fg: .index(217)), Style(fg: .index(210)), Style(fg: .index(203)), Style(fg: .index(196)), Style(fg: .index(160)), Style(fg: .index(124)), Style(fg: .index(88)), Style(fg: .index(52))],
        status: Style(fg: .index(16), bg: .index(252)),
        statusKey: Style(fg: .index(25), bg: .index(252), bold: true),
        warning: Style(fg: .index(160), bold: true),
        selection: Style(bg: .index(253)))

    /// Maximum contrast on black: bright colours, bold marks.
    public static let highContrast = Theme(
        name: "high-contrast", isDark: true,
        text: Style(fg: .index(15)),
        dim: Style(fg: .index(250)),
        title: Style(fg: .index(15), bold: true, underline: true),
        focusBorder: Style(fg: .index(226), bold: true),
        border: Style(fg: .index(15)),
        axis: Style(fg: .index(15)),
        spike: Style(fg: .index(226), bold: true),
        membrane: [Style(fg: .index(51)), Style(fg: .index(226)), Style(fg: .index(46)), Style(fg: .index(201))],
        threshold: Style(fg: .index(196), bold: true),
        bar: Style(fg: .index(51)),
        barHighlight: Style(fg: .index(226), bold: true),
        classColours: [Style(fg: .index(196)), Style(fg: .index(46)), Style(fg: .index(226)), Style(fg: .index(51)), Style(fg: .index(201)), Style(fg: .index(15)), Style(fg: .index(208)), Style(fg: .index(118)), Style(fg: .index(214)), Style(fg: .index(159))],
        eventOn: Style(fg: .index(46), bold: true),
        eventOff: Style(fg: .index(196), bold: true),
        heatRamp: [Style(fg: .index(16)), Style(fg: .index(52)), Style(fg: .index(124)), Style(fg: .index(196)), Style(fg: .index(208)), Style(fg: .index(226)), Style(fg: .index(231))],
        status: Style(fg: .index(16), bg: .index(15)),
        statusKey: Style(fg: .index(16), bg: .index(226), bold: true),
        warning: Style(fg: .index(16), bg: .index(196), bold: true),
        selection: Style(reverse: true))

    /// Okabe-Ito colours (safe for common colour-vision deficiencies) on a dark background.
    public static let colourBlindSafe = Theme(
        name: "colorblind", isDark: true,
        text: Style(),
        dim: Style(fg: .index(246)),
        title: Style(fg: .index(255), bold: true),
        focusBorder: Style(fg: .index(74), bold: true),
        border: Style(fg: .index(240)),
        axis: Style(fg: .index(246)),
        spike: Style(fg: .index(221), bold: true),
        membrane: [Style(fg: .index(74)), Style(fg: .index(178)), Style(fg: .index(35)), Style(fg: .index(175))],
        threshold: Style(fg: .index(166)),
        bar: Style(fg: .index(74)),
        barHighlight: Style(fg: .index(178), bold: true),
        classColours: [Style(fg: .index(178)), Style(fg: .index(74)), Style(fg: .index(35)), Style(fg: .index(221)), Style(fg: .index(25)), Style(fg: .index(166)), Style(fg: .index(175)), Style(fg: .index(246)), Style(fg: .index(231)), Style(fg: .index(240))],
        eventOn: Style(fg: .index(74)),
        eventOff: Style(fg: .index(178)),
        heatRamp: [Style(fg: .index(17)), Style(fg: .index(18)), Style(fg: .index(24)), Style(fg: .index(60)), Style(fg: .index(66)), Style(fg: .index(101)), Style(fg: .index(137)), Style(fg: .index(143)), Style(fg: .index(179)), Style(fg: .index(185)), Style(fg: .index(221)), Style(fg: .index(227))],
        status: Style(fg: .index(252), bg: .index(236)),
        statusKey: Style(fg: .index(221), bg: .index(236), bold: true),
        warning: Style(fg: .index(166), bold: true),
        selection: Style(bg: .index(238)))
}
