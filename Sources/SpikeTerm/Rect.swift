/// A rectangle of cells; x grows right, y grows down. Sizes are never negative.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Left column and top row.
    public var x: Int, y: Int
    /// Size in cells (≥ 0).
    public var width: Int, height: Int

    /// Creates a rectangle; negative sizes become 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        (self.x, self.y, self.width, self.height) = (x, y, max(0, width), max(0, height))
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
    /// True when the rectangle holds no cells.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// One past the rightmost column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Number of cells.
    public var area: Int { width * height }
    /// "WxH+X+Y".
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// True when (px, py) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// True when every cell of `other` lies inside (an empty `other` lies inside nothing).
    public func contains(_ other: Rect) -> Bool {
        !other.isEmpty && other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
    }

    /// The cells shared with `other` (empty when they do not overlap).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        guard x1 > x0, y1 > y0 else { return Rect(x: x0, y: y0, width: 0, height: 0) }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Shrinks every side by `margin` cells (never below an empty rectangle).
    public func inset(_ margin: Int) -> Rect {
        inset(top: margin, left: margin, bottom: margin, right: margin)
    }

    /// Shrinks each side by its own margin (never below an empty rectangle).
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let w = max(0, width - left - right), h = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: w, height: h)
    }

    /// Splits along `axis` into consecutive parts sized by `sizes` (see `LayoutSize`).
    ///
    /// Fixed and ratio parts are taken first, in order, each clipped to what is left; `fill`
    /// parts share the rest by weight, the last fill taking the rounding remainder. Parts that
    /// do not fit come back empty. Always returns `sizes.count` rectangles.
    public func split(_ axis: Axis, _ sizes: [LayoutSize]) -> [Rect] {
        let total = axis == .horizontal ? width : height
        var lengths = [Int](repeating: 0, count: sizes.count)
        var left = total
        for (i, s) in sizes.enumerated() {
            switch s {
            case .fixed(let n): lengths[i] = min(max(0, n), left)
            case .ratio(let num, let den):
                lengths[i] = den > 0 ? min(max(0, total * num / den), left) : 0
            case .fill: continue
            }
            left -= lengths[i]
        }
        let weights = sizes.map { s -> Int in if case .fill(let w) = s { return max(0, w) }; return 0 }
        let weightSum = weights.reduce(0, +)
        if weightSum > 0 {
            let lastFill = weights.lastIndex(where: { $0 > 0 }) ?? 0
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                lengths[i] = i == lastFill ? left - given : left * weights[i] / weightSum
                given += lengths[i]
            }
        }
        var rects: [Rect] = []
        rects.reserveCapacity(sizes.count)
        var offset = 0
        for n in lengths {
            rects.append(axis == .horizontal
                ? Rect(x: x + offset, y: y, width: n, height: height)
                : Rect(x: x, y: y + offset, width: width, height: n))
            offset += n
        }
        return rects
    }
}

/// Direction of a split: `.horizontal` places parts left to right, `.vertical` top to bottom.
public enum Axis: Equatable, Sendable {
    /// Parts side by side (columns).
    case horizontal
    /// Parts stacked (rows).
    case vertical
}

/// The length of one part of a `Rect.split`.
public enum LayoutSize: Equatable, Sendable {
    /// Exactly n cells (less if the space runs out).
    case fixed(Int)
    /// total·num/den cells, rounded down.
    case ratio(Int, Int)
    /// A share of what is left after fixed and ratio parts, by weight.
    case fill(Int)
}
