import Testing
@testable import SpikeTerm

@Test func degradingToEightColoursKeepsRolesApart() {
    let t = Theme.dark.adapted(to: 8, noColor: false)
    #expect(t.depth == .basic)
    #expect(t.spike == Style(fg: .index(3), bold: true))                  // 221 → yellow
    #expect(t.membrane.map(\.fg) == [.index(6), .index(3), .index(2), .index(5)])
    #expect(t.status == Style(reverse: true))                              // dark grey bg → reverse
    #expect(t.selection == Style(reverse: true))
    #expect(t.dim == Style(dim: true))                                     // 244 → dim default
    #expect(t.text == .plain)
    let light = Theme.light.adapted(to: 8, noColor: false)
    #expect(light.status == Style(reverse: true))                          // light grey bg on light
    #expect(light.dim == Style(dim: true))
    let all = [t.text, t.dim, t.title, t.focusBorder, t.border, t.axis, t.spike, t.threshold,
               t.bar, t.barHighlight, t.eventOn, t.eventOff, t.status, t.statusKey, t.warning,
               t.selection] + t.membrane + t.classColours + t.heatRamp
    for s in all {
        for c in [s.fg, s.bg] {
            if case .index(let i) = c { #expect(i < 8) }
        }
    }
}

@Test func noColourUsesAttributesOnly() {
    for theme in Theme.builtins {
        let t = theme.adapted(to: 256, noColor: true)
        #expect(t.depth == .none)
        #expect(t.focusBorder == Style(bold: true))
        #expect(t.spike == Style(bold: true))
        #expect(t.selection == Style(reverse: true))
        #expect(t.barHighlight == Style(reverse: true))
        #expect(t.heatRamp.isEmpty)
        #expect(t.membrane == [Style(bold: true), .plain, Style(dim: true), Style(underline: true)])
    }
    #expect(Theme.dark.adapted(to: 2, noColor: false).depth == .none)
    #expect(Theme.dark.adapted(to: 256, noColor: false) == Theme.dark)
}

@Test func noColorNeedsANonEmptyValue() {
    #expect(Theme.noColorRequested(["NO_COLOR": "1"]))
    #expect(!Theme.noColorRequested(["NO_COLOR": ""]))
    #expect(!Theme.noColorRequested([:]))
}

@Test func nearestPaletteEntries() {
    #expect(XtermPalette.nearest(r: 0xE6, g: 0x9F, b: 0x00) == 178)
    #expect(XtermPalette.nearest(r: 128, g: 128, b: 128) == 244)
    #expect(XtermPalette.rgb(16) == (0, 0, 0) && XtermPalette.rgb(231) == (255, 255, 255))
}
