/// A box border with an optional title; the focused pane gets `focusStyle` and heavy lines.
public struct Block: Widget {
    /// Text on the top edge (truncated to fit).
    public var title: String
    /// True for the pane that has the keyboard.
    public var focused: Bool
    /// Border style when not focused.
    public var borderStyle: Style
    /// Border style when focused.
    public var focusStyle: Style
    /// Title style.
    public var titleStyle: Style
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a block.
    public init(title: String = "", focused: Bool = false, borderStyle: Style = .plain,
                focusStyle: Style = Style(bold: true), titleStyle: Style = Style(bold: true),
                glyphs: Glyphs = .unicode) {
        (self.title, self.focused, self.glyphs) = (title, focused, glyphs)
        (self.borderStyle, self.focusStyle, self.titleStyle) = (borderStyle, focusStyle, titleStyle)
    }

    /// Creates a block styled by a theme's border, focusBorder and title roles.
    public init(title: String, focused: Bool, theme: Theme, glyphs: Glyphs = .unicode) {
        self.init(title: title, focused: focused, borderStyle: theme.border,
                  focusStyle: theme.focusBorder, titleStyle: theme.title, glyphs: glyphs)
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(1) }

    /// Draws the border (nothing when narrower or lower than 2) and the title.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard area.width >= 2, area.height >= 2 else { return }
        let g = focused ? glyphs.focusedBorder : glyphs.border
        let style = focused ? focusStyle : borderStyle
        let (x0, y0, x1, y1) = (area.x, area.y, area.maxX - 1, area.maxY - 1)
        for x in (x0 + 1)..<x1 {
            buffer.set(x, y0, g[4], style)
            buffer.set(x, y1, g[4], style)
        }
        for y in (y0 + 1)..<y1 {
            buffer.set(x0, y, g[5], style)
            buffer.set(x1, y, g[5], style)
        }
        buffer.set(x0, y0, g[0], style)
        buffer.set(x1, y0, g[1], style)
        buffer.set(x0, y1, g[2], style)
        buffer.set(x1, y1, g[3], style)
        guard !title.isEmpty, area.width > 2 else { return }
        let room = area.width - 2
        let text = truncate(title, to: room, ellipsis: glyphs.ellipsis)
        buffer.setString(x: x0 + 1, y: y0, text,
                         style: focused ? titleStyle.patched(with: Style(bold: true)) : titleStyle,
                         clip: Rect(x: x0 + 1, y: y0, width: room, height: 1))
    }
}

/// `text` cut to at most `width` characters, ending in `ellipsis` when cut.
func truncate(_ text: String, to width: Int, ellipsis: Character) -> String {
    guard width > 0 else { return "" }
    guard text.count > width else { return text }
    return String(text.prefix(width - 1)) + String(ellipsis)
}
