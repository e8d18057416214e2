/// A grid of dots drawn as braille (2×4 dots per cell) or, without braille, one dot per cell.
///
/// Braille cell = U+2800 + bits, where dot (dx, dy) has bit `DotCanvas.dotBits[dx][dy]`:
/// (0,0)=0x01 (0,1)=0x02 (0,2)=0x04 (0,3)=0x40 (1,0)=0x08 (1,1)=0x10 (1,2)=0x20 (1,3)=0x80.
/// Each cell remembers the layer of the last dot set in it, which picks its style and its
/// ASCII symbol. Empty cells draw as spaces.
public struct DotCanvas: Sendable {
    /// Size in cells.
    public let columns: Int, rows: Int
    /// True: 2×4 dots per cell; false: 1×1.
    public let braille: Bool
    /// Dots per cell horizontally and vertically.
    public var dotsPerCell: (x: Int, y: Int) { braille ? (2, 4) : (1, 1) }
    /// Size in dots.
    public var dotWidth: Int { columns * dotsPerCell.x }
    /// Size in dots.
    public var dotHeight: Int { rows * dotsPerCell.y }
    private var bits: [UInt8]
    private var layers: [UInt8]

    /// Braille bit of dot (dx, dy) within a cell, indexed `[dx][dy]`.
    public static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Creates an empty canvas of `columns`×`rows` cells.
    public init(columns: Int, rows: Int, braille: Bool) {
        (self.columns, self.rows, self.braille) = (max(0, columns), max(0, rows), braille)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        layers = bits
    }

    /// Sets the dot at (x, y) in dot coordinates; ignored outside the canvas.
    @inline(__always)
    public mutating func set(x: Int, y: Int, layer: Int = 0) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let (dx, dy) = dotsPerCell
        let i = (y / dy) * columns + x / dx
        bits[i] |= braille ? DotCanvas.dotBits[x % 2][y % 4] : 1
        layers[i] = UInt8(truncatingIfNeeded: layer)
    }

    /// The dot bits of cell (column, row); 0 outside.
    public func cellBits(column: Int, row: Int) -> UInt8 {
        guard column >= 0, row >= 0, column < columns, row < rows else { return 0 }
        return bits[row * columns + column]
    }

    /// The braille character for a bit pattern.
    public static func braille(_ bits: UInt8) -> Character {
        Character(Unicode.Scalar(0x2800 + UInt32(bits)) ?? " ")
    }

    /// Writes every cell at (x, y) onward: spaces for empty cells, braille (or the layer's
    /// symbol) in the layer's style otherwise. Missing styles/symbols fall back to the first.
    public func render(x: Int, y: Int, into buffer: inout Buffer, styles: [Style],
                       symbols: [Character] = Array("*"), empty: Style = .plain) {
        for row in 0..<rows {
            for column in 0..<columns {
                let i = row * columns + column
                let b = bits[i]
                guard b != 0 else { buffer.set(x + column, y + row, " ", empty); continue }
                let layer = Int(layers[i])
                let style = layer < styles.count ? styles[layer] : (styles.first ?? .plain)
                let symbol: Character = braille
                    ? DotCanvas.braille(b)
                    : (layer < symbols.count ? symbols[layer] : (symbols.first ?? "*"))
                buffer.set(x + column, y + row, symbol, style)
            }
        }
    }
}
