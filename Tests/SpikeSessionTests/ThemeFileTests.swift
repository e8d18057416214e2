import Testing
@testable import SpikeSession

@Test func themeFileParsesColoursAndAttributes() throws {
    let text = """
        name = "mine"
        membrane = [39, "#ff0000", "bright_red", { fg = 7.0, bold = true }]
        [title]
        fg = "#FF0000"
        bg = "default"
        bold = true
        [text]
        fg = "grey"
        """
    let theme = try ThemeFile.parse(text, file: "themes/x.toml")
    #expect(theme.name == "mine" && theme.base == "dark")
    #expect(theme.roles["title"] == ThemeRoleStyle(fg: .rgb(r: 255, g: 0, b: 0), bold: true))
    #expect(theme.roles["text"] == ThemeRoleStyle(fg: .index(8)))
    #expect(theme.lists["membrane"] == [
        ThemeRoleStyle(fg: .index(39)), ThemeRoleStyle(fg: .rgb(r: 255, g: 0, b: 0)),
        ThemeRoleStyle(fg: .index(9)), ThemeRoleStyle(fg: .index(7), bold: true),
    ])
    #expect(try ThemeFile.parse("", file: "a/b/plain.toml").name == "plain")
}

@Test func hexColoursParse() {
    #expect(ThemeFile.parseHex("#12345") == nil)
    #expect(ThemeFile.parseHex("#E69f00")! == (0xE6, 0x9F, 0x00))
}

let colourExpected = "a colour name, 0-255 or \"#rrggbb\""
let badThemes: [(String, String)] = [
    ("[text]\nfg = 300", "t.toml: 'text.fg' must be \(colourExpected), found '300'"),
    ("[text]\nfg = 1.5", "t.toml: 'text.fg' must be \(colourExpected), found '1.5'"),
    ("[text]\nfg = \"#12345\"", "t.toml: 'text.fg' must be \(colourExpected), found '#12345'"),
    ("[text]\nbg = \"purple\"", "t.toml: 'text.bg' must be \(colourExpected), found 'purple'"),
    ("[title]\nbold = 1", "t.toml: 'title.bold' must be true or false, found '1'"),
    ("membrane = [1, 2, 3]", "t.toml: 'membrane' must be 4 entries, found '3 entries'"),
    ("heat_ramp = [1]", "t.toml: 'heat_ramp' must be 2-24 entries, found '1 entries'"),
    ("membrane = [1, 2, true, 4]", "t.toml: 'membrane[2]' must be \(colourExpected), found 'true'"),
    ("membrane = 3", "t.toml: 'membrane' must be an array of colours or styles, found '3'"),
    ("text = 3", "t.toml: 'text' must be a table of fg, bg, bold, ..., found '3'"),
    ("base = \"neon\"", "t.toml: 'base' must be one of dark, light, high-contrast, colorblind, found 'neon'"),
    ("name = 5", "t.toml: 'name' must be a non-empty string, found '5'"),
    ("[text]\ncolour = 1",
     "t.toml: unknown field 'text.colour', expected one of: fg, bg, bold, dim, reverse, underline"),
    ("[txt]\nfg = 1",
     "t.toml: unknown field 'txt', expected one of: name, base, membrane, class_colours, heat_ramp, "
        + "text, dim, title, focus_border, border, axis, spike, threshold, bar, bar_highlight, "
        + "event_on, event_off, status, status_key, warning, selection, canvas"),
]

@Test(arguments: badThemes)
func themeFileErrorsNameFileFieldExpectedAndFound(text: String, message: String) {
    #expect {
        try ThemeFile.parse(text, file: "t.toml")
    } throws: { error in
        (error as? ThemeFileError)?.description == message
    }
}

@Test func themeFileSyntaxErrorsCarryLineAndColumn() {
    #expect {
        try ThemeFile.parse("[text]\nfg = = 1", file: "t.toml")
    } throws: { error in
        guard case .syntax(let file, let line, _, _)? = error as? ThemeFileError else { return false }
        return file == "t.toml" && line == 2
    }
    #expect(throws: ThemeFileError.unreadable(file: "/nonexistent/x.toml",
                                               reason: "missing, unreadable or not UTF-8")) {
        try ThemeFile.load(path: "/nonexistent/x.toml")
    }
}
