/// Rows of text in columns with a header row; the selected row is kept visible and styled.
///
/// Column widths: `widths` when given, else the longest cell of each column (header included);
/// the last column is cut to what is left. Columns are separated by one space. Cells longer
/// than their column end in the ellipsis glyph.
public struct Table: Widget {
    /// Column titles (their count sets the column count).
    public var header: [String]
    /// Cells, row by row; missing cells are empty.
    public var rows: [[String]]
    /// Fixed column widths; nil sizes columns to their content.
    public var widths: [Int]?
    /// Selected row index.
    public var selected: Int?
    /// Styles.
    public var headerStyle: Style, style: Style, selectedStyle: Style
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a table.
    public init(header: [String], rows: [[String]], widths: [Int]? = nil, selected: Int? = nil,
                headerStyle: Style = Style(bold: true), style: Style = .plain,
                selectedStyle: Style = Style(reverse: true), glyphs: Glyphs = .unicode) {
        (self.header, self.rows, self.widths, self.selected) = (header, rows, widths, selected)
        (self.headerStyle, self.style, self.selectedStyle) = (headerStyle, style, selectedStyle)
        self.glyphs = glyphs
    }

    /// The column widths used in `area`.
    public func columnWidths(for area: Rect) -> [Int] {
        var w = header.indices.map { c in
            widths.flatMap { c < $0.count ? max(0, $0[c]) : nil }
                ?? rows.reduce(header[c].count) { max($0, c < $1.count ? $1[c].count : 0) }
        }
        var x = 0
        for c in w.indices {
            w[c] = max(0, min(w[c], area.width - x))
            x += w[c] + 1
        }
        return w
    }

    /// First data row shown so that `selected` is visible in `area`.
    public func firstRow(for area: Rect) -> Int {
        let visible = max(0, area.height - 1)
        guard let s = selected, visible > 0, s >= visible else { return 0 }
        return s - visible + 1
    }

    /// Draws the header and the visible rows; the selected row is filled to the full width.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, !header.isEmpty else { return }
        let w = columnWidths(for: area)
        func drawRow(_ cells: [String], y: Int, style: Style) {
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), with: Cell(" ", style: style))
            var x = area.x
            for c in w.indices {
                let text = c < cells.count ? cells[c] : ""
                buffer.setString(x: x, y: y, truncate(text, to: w[c], ellipsis: glyphs.ellipsis),
                                 style: style, clip: area)
                x += w[c] + 1
            }
        }
        drawRow(header, y: area.y, style: headerStyle)
        let first = firstRow(for: area)
        for (i, row) in rows.enumerated().dropFirst(first).prefix(area.height - 1) {
            drawRow(row, y: area.y + 1 + i - first, style: i == selected ? selectedStyle : style)
        }
    }
}
