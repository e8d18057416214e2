/// A terminal size in cells.
public struct Size: Equatable, Hashable, Sendable {
    /// Columns and rows.
    public var width: Int, height: Int
    /// Creates a size.
    public init(width: Int, height: Int) { (self.width, self.height) = (width, height) }
}

/// Where frames go and keys come from: ncurses on a real terminal, headless in tests.
///
/// One thread owns a terminal. `draw` writes only the cells that differ from the previous
/// frame; `readKey` blocks up to `timeoutMs` (negative: until a key), so a paused app sleeps.
public protocol Terminal: AnyObject {
    /// Current size in cells.
    var size: Size { get }
    /// Shows `buffer`, writing only cells that changed since the last frame.
    func draw(_ buffer: Buffer)
    /// The next key, waiting at most `timeoutMs` milliseconds (< 0 waits forever); nil on timeout.
    func readKey(timeoutMs: Int) -> Key?
    /// Gives the terminal back (idempotent).
    func restore()
}

/// Why a terminal could not be opened; `description` is the message for the user.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a TTY (piped, redirected, or no terminal at all).
    case notATerminal(stream: String)
    /// ncurses could not start.
    case initFailed(term: String)
    /// TERM names no terminal the workbench can draw on (unknown, or `dumb`).
    case unusableTerm(term: String, reason: String)

    /// The message printed for the user.
    public var description: String {
        switch self {
        case .notATerminal(let stream):
            return "spikescope: \(stream) is not a terminal; the TUI needs one "
                + "(use `spikescope run` for batch output)"
        case .initFailed(let term):
            return "spikescope: cannot start the terminal UI (TERM='\(term)')"
        case let .unusableTerm(term, reason):
            return "spikescope: TERM='\(term)' cannot show the workbench (\(reason)); set TERM to your "
                + "terminal (e.g. xterm-256color), or use `spikescope run` for batch output"
        }
    }
}

/// One changed cell of a frame.
public struct CellChange: Equatable, Sendable {
    /// Position.
    public var x: Int, y: Int
    /// New content.
    public var cell: Cell
    /// Creates a change.
    public init(x: Int, y: Int, cell: Cell) { (self.x, self.y, self.cell) = (x, y, cell) }
}

/// Computes which cells a terminal must write to go from one frame to the next.
public enum FrameDiff {
    /// Appends to `changes` (after emptying it, keeping its capacity) every cell of `next`
    /// that differs from `previous`; all cells when there is no previous frame or the size
    /// changed. Row-major order. O(width·height).
    public static func changes(from previous: Buffer?, to next: Buffer, into changes: inout [CellChange]) {
        changes.removeAll(keepingCapacity: true)
        let w = next.width
        if let p = previous, p.width == next.width, p.height == next.height {
            p.cells.withUnsafeBufferPointer { old in
                next.cells.withUnsafeBufferPointer { new in
                    for i in 0..<new.count where new[i] != old[i] {
                        changes.append(CellChange(x: i % w, y: i / w, cell: new[i]))
                    }
                }
            }
        } else {
            for (i, cell) in next.cells.enumerated() {
                changes.append(CellChange(x: i % w, y: i / w, cell: cell))
            }
        }
    }

    /// The cells of `next` that differ from `previous` (all when nil or resized).
    public static func changes(from previous: Buffer?, to next: Buffer) -> [CellChange] {
        var out: [CellChange] = []
        changes(from: previous, to: next, into: &out)
        return out
    }
}
