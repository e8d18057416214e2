/// A width×height grid of cells that widgets draw into and terminals show.
///
/// Reads outside the grid return a blank cell and writes outside are ignored, so a widget can
/// never crash the frame. Storage is row-major and allocated once; `reset` reuses it.
public struct Buffer: Equatable, Sendable, CustomStringConvertible {
    /// Size in cells.
    public private(set) var width: Int, height: Int
    /// Row-major cells, `cells[y * width + x]`.
    public private(set) var cells: [Cell]

    /// Creates a buffer filled with `fill`.
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: fill, count: self.width * self.height)
    }

    /// Creates a buffer from text rows in plain style, padding short rows with spaces.
    public init(lines: [String]) {
        let w = lines.map(\.count).max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { setString(x: 0, y: y, line) }
    }

    /// The whole buffer as a rectangle at the origin.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); blank when outside, and writes outside are ignored.
    /// Gives every cell that uses the terminal's default foreground or background `canvas`'s
    /// colours instead (a theme that paints its own background).
    public mutating func paint(canvas: Style) {
        guard canvas.fg != .terminalDefault || canvas.bg != .terminalDefault else { return }
        for i in cells.indices {
            if cells[i].style.fg == .terminalDefault { cells[i].style.fg = canvas.fg }
            if cells[i].style.bg == .terminalDefault { cells[i].style.bg = canvas.bg }
        }
    }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Sets one cell's symbol and style; ignored outside the buffer.
    @inline(__always)
    public mutating func set(_ x: Int, _ y: Int, _ symbol: Character, _ style: Style) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(symbol, style: style)
    }

    /// Writes `text` from (x, y) rightwards, one character per cell, clipped to `clip` and to
    /// the buffer; with `ellipsis`, a text cut at the right edge ends in that glyph. Returns the
    /// column after the last character written (or `x` if none).
    @discardableResult
    public mutating func setString(x: Int, y: Int, _ text: String, style: Style = .plain,
                                   clip: Rect? = nil, ellipsis: Character? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        guard y >= bounds.y, y < bounds.maxY else { return x }
        var text = text
        if let ellipsis, text.count > bounds.maxX - x, bounds.maxX - x >= 1 {
            text = String(text.prefix(bounds.maxX - x - 1)) + String(ellipsis)
        }
        var cx = x
        for ch in text {
            if cx >= bounds.maxX { break }
            if cx >= bounds.x { cells[y * width + cx] = Cell(ch, style: style) }
            cx += 1
        }
        return cx
    }

    /// Fills `rect` (clipped to the buffer) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            let row = y * width
            for x in r.x..<r.maxX { cells[row + x] = cell }
        }
    }

    /// Replaces the style of every cell in `rect` (clipped), keeping the symbols.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = style }
        }
    }

    /// Patches every cell's style in `rect` (clipped) with `style` (see `Style.patched`).
    public mutating func patchStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX {
                cells[y * width + x].style = cells[y * width + x].style.patched(with: style)
            }
        }
    }

    /// Blanks every cell, keeping the storage.
    public mutating func reset(fill: Cell = .blank) {
        for i in cells.indices { cells[i] = fill }
    }

    /// Changes the size, blanking all cells; keeps the storage when the area is unchanged.
    public mutating func resize(width w: Int, height h: Int) {
        let (nw, nh) = (max(0, w), max(0, h))
        if nw * nh == cells.count { (width, height) = (nw, nh); reset(); return }
        self = Buffer(width: nw, height: nh)
    }

    /// The rows as strings (symbols only), for tests and logs.
    public var lines: [String] {
        (0..<height).map { y in String(cells[(y * width)..<(y * width + width)].map(\.symbol)) }
    }

    /// The rows joined by newlines.
    public var description: String { lines.joined(separator: "\n") }
}
