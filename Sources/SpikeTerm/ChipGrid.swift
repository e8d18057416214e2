/// A chip's cores as a grid of cells, each shaded by a value in 0...1 (the ramp's glyph, and its
/// colour where the theme has one), with the mesh links between tiles drawn in the gaps.
///
/// Cores sit in tiles of `tileWidth × tileHeight` cells, tiles on a `tilesAcross × tilesDown`
/// mesh. When the area has room, tiles are drawn one cell apart and the links between
/// neighbouring tiles in the gaps (─ east-west, │ north-south; the busiest in `busyLinkStyle`);
/// else without gaps; else each cell shows the largest value of a block of cores.
public struct ChipGrid: Widget {
    /// Mesh size in tiles, and tile size in cells.
    public var tilesAcross: Int, tilesDown: Int, tileWidth: Int, tileHeight: Int
    /// One value per cell, row-major over the whole grid (tilesAcross·tileWidth wide); nil for
    /// a cell with no core in use.
    public var values: [Float?]
    /// Cells drawn as selected (the selected layer's cores).
    public var selected: Set<Int>
    /// Load of the link east of tile (x, y) and south of it, 0...1, indexed y·tilesAcross + x.
    public var east: [Float], south: [Float]
    /// Styles: the heat ramp (may be empty: glyphs alone then), unused cells, selected cells, links.
    public var ramp: [Style], unused: Style, selectedStyle: Style, linkStyle: Style, busyLinkStyle: Style
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a grid.
    public init(tilesAcross: Int, tilesDown: Int, tileWidth: Int, tileHeight: Int, values: [Float?],
                selected: Set<Int> = [], east: [Float] = [], south: [Float] = [], ramp: [Style], unused: Style,
                selectedStyle: Style, linkStyle: Style, busyLinkStyle: Style, glyphs: Glyphs) {
        (self.tilesAcross, self.tilesDown, self.tileWidth, self.tileHeight) = (tilesAcross, tilesDown, tileWidth, tileHeight)
        (self.values, self.selected, self.east, self.south) = (values, selected, east, south)
        (self.ramp, self.unused, self.selectedStyle, self.linkStyle, self.busyLinkStyle) = (ramp, unused, selectedStyle, linkStyle, busyLinkStyle)
        self.glyphs = glyphs
    }

    /// Cells across and down.
    public var columns: Int { tilesAcross * tileWidth }
    /// Cells down.
    public var rows: Int { tilesDown * tileHeight }

    /// The size drawn in `area`: with gaps, without, or blocks of `factor × factor` cells.
    public func size(in area: Rect) -> (width: Int, height: Int, gaps: Bool, factor: Int) {
        let gw = tilesAcross * (tileWidth + 1) - 1, gh = tilesDown * (tileHeight + 1) - 1
        if gw <= area.width && gh <= area.height { return (gw, gh, true, 1) }
        var f = 1
        while (columns + f - 1) / f > area.width || (rows + f - 1) / f > area.height { f += 1 }
        return ((columns + f - 1) / f, (rows + f - 1) / f, false, f)
    }

    /// The glyph and style of a value.
    func cell(_ v: Float?, selected: Bool) -> (Character, Style) {
        guard let v else { return (glyphs.isUnicode ? "·" : ".", unused) }
        let levels = glyphs.isUnicode ? Array("▁▂▃▄▅▆▇█") : Array(".:-=+*#@")
        let f = min(max(v.isFinite ? v : 0, 0), 1)
        let ch = levels[min(levels.count - 1, Int(f * Float(levels.count - 1) + 0.5))]
        var style = ramp.isEmpty ? Style() : ramp[min(ramp.count - 1, Int(f * Float(ramp.count - 1) + 0.5))]
        if selected { style = style.patched(with: selectedStyle) }
        return (ch, style)
    }

    /// Draws the grid at the top left of `area`.
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty, columns > 0, rows > 0 else { return }
        let (_, _, gaps, f) = size(in: area)
        if gaps {
            for ty in 0..<tilesDown {
                for tx in 0..<tilesAcross {
                    let x0 = area.x + tx * (tileWidth + 1), y0 = area.y + ty * (tileHeight + 1)
                    for cy in 0..<tileHeight {
                        for cx in 0..<tileWidth {
                            let i = (ty * tileHeight + cy) * columns + tx * tileWidth + cx
                            let (ch, st) = cell(i < values.count ? values[i] : nil, selected: selected.contains(i))
                            buffer.set(x0 + cx, y0 + cy, ch, st)
                        }
                    }
                    let t = ty * tilesAcross + tx
                    if tx + 1 < tilesAcross, t < east.count, east[t] > 0 {
                        buffer.set(x0 + tileWidth, y0 + (tileHeight - 1) / 2, glyphs.isUnicode ? "─" : "-",
                                   east[t] >= 0.75 ? busyLinkStyle : linkStyle)
                    }
                    if ty + 1 < tilesDown, t < south.count, south[t] > 0 {
                        buffer.set(x0 + (tileWidth - 1) / 2, y0 + tileHeight, glyphs.isUnicode ? "│" : "|",
                                   south[t] >= 0.75 ? busyLinkStyle : linkStyle)
                    }
                }
            }
            return
        }
        for by in 0..<((rows + f - 1) / f) where by < area.height {
            for bx in 0..<((columns + f - 1) / f) where bx < area.width {
                var best: Float? = nil, sel = false
                for y in (by * f)..<min(rows, (by + 1) * f) {
                    for x in (bx * f)..<min(columns, (bx + 1) * f) {
                        let i = y * columns + x
                        if i < values.count, let v = values[i] { best = max(best ?? 0, v) }
                        if selected.contains(i) { sel = true }
                    }
                }
                let (ch, st) = cell(best, selected: sel)
                buffer.set(area.x + bx, area.y + by, ch, st)
            }
        }
    }
}
