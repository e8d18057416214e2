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
