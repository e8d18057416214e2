/// A key press or terminal event, as returned by `Terminal.readKey`.
public enum Key: Equatable, Hashable, Sendable {
    /// A printable character (including space).
    case char(Character)
    /// Arrow and paging keys.
    case up, down, left, right, pageUp, pageDown, home, end
    /// Editing and navigation keys.
    case tab, backTab, enter, escape, backspace, delete, insert
    /// Function key F1...F12.
    case function(Int)
    /// Ctrl + a letter other than the ones above (Ctrl-C has its own case).
    case ctrl(Character)
    /// Ctrl-C read as a key (in raw mode or from a script; with cbreak it is SIGINT).
    case ctrlC
    /// The terminal changed size; read `Terminal.size` again.
    case resize
    /// A left click at cell (x, y); scroll wheel as `.scrollUp`/`.scrollDown`.
    case mouse(x: Int, y: Int)
    /// Mouse wheel.
    case scrollUp, scrollDown

    /// The key for a control or printable code point as a terminal sends it (nil: not a key).
    public static func fromCodePoint(_ code: UInt32) -> Key? {
        switch code {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            return Unicode.Scalar(code + 96).map { .ctrl(Character($0)) }
        case 0, 28...31: return nil
        default: return Unicode.Scalar(code).map { .char(Character($0)) }
        }
    }
}
