// Theme files (SpikeSession) made into themes (SpikeTerm).
import Testing
import SpikeSession
import SpikeTerm
@testable import SpikeUI

@Test(arguments: ["dark", "light", "high-contrast", "colorblind"])
func themeFilesMatchBuiltins(name: String) throws {
    let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
        .dropLast(3).joined(separator: "/"))
    let file = try ThemeFile.load(path: "\(root)/themes/\(name).toml")
    let theme = Theme(file)
    #expect(theme == Theme.builtin(named: name))
}

@Test func themeFileRolesOverrideTheBase() throws {
    let file = try ThemeFile.parse("base = \"light\"\n[spike]\nfg = \"red\"\n", file: "mine.toml")
    let t = Theme(file)
    #expect(t.name == "mine")
    #expect(t.spike == Style(fg: .index(1)))
    #expect(t.title == Theme.light.title)
}

@Test func hexColoursMapToTheNearestPaletteEntry() throws {
    let t = Theme(try ThemeFile.parse("[spike]\nfg = \"#E69F00\"\n", file: "mine.toml"))
    #expect(t.spike == Style(fg: .index(178)))
}

@Test func spikesAndThresholdDifferInEveryThemeAndLightPaintsItsOwnBackground() throws {
    for theme in Theme.builtins {
        #expect(theme.spike.fg != theme.threshold.fg, "\(theme.name): spike and threshold share a colour")
    }
    #expect(Theme.light.canvas.bg != .terminalDefault && Theme.light.canvas.fg != .terminalDefault)
    #expect(Theme.dark.canvas == Style())                       // the dark theme keeps the terminal's own
    #expect(Theme.light.adapted(to: 8, noColor: false).canvas == Style())
    var buffer = Buffer(width: 4, height: 1)
    buffer.set(0, 0, "x", Style(fg: .index(25)))
    buffer.paint(canvas: Theme.light.canvas)
    #expect(buffer[0, 0].style == Style(fg: .index(25), bg: .index(231)))   // a coloured cell keeps its colour
    #expect(buffer[1, 0].style == Theme.light.canvas)                       // an unstyled one gets the canvas
}
