import CNCurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal through ncursesw: colours, mouse, resize, and diff-only frames.
///
/// Opening checks that stdin and stdout are TTYs, then sets the locale from the environment,
/// starts curses (cbreak, noecho, keypad, hidden cursor, 25 ms Escape delay), colours
/// (default colours; all 256 when COLORS ≥ 256) and left-click reporting. Ctrl-C (SIGINT)
/// arrives as the key `.ctrlC`, so the app can ask before losing work; SIGTERM restores the
/// terminal and exits with 143. `restore()` is idempotent and also runs
/// from `deinit`. Only one instance may be open at a time (curses has one screen).
/// Not handled: wide (two-column) characters.
public final class NCursesTerminal: Terminal {
    /// Colours the terminal reports (COLORS; 0 without colour support).
    public let colours: Int
    /// True when the locale's character set is UTF-8 (else use `Glyphs.ascii`).
    public let localeIsUTF8: Bool
    private var previous: Buffer?
    private var changes: [CellChange] = []
    private var pairs: [PairKey: Int32] = [:]
    private var restored = false
    private let maxPairs: Int

    private struct PairKey: Hashable { var fg: Int32, bg: Int32 }

    /// Opens the terminal; throws `TerminalError.notATerminal` when stdin or stdout is not a TTY.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "stdin") }
        guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "stdout") }
        setlocale(LC_ALL, "")
        localeIsUTF8 = spk_locale_is_utf8() != 0
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        switch spk_term_check() {
        case 1: throw TerminalError.unusableTerm(term: term, reason: "no terminfo entry for it")
        case 2: throw TerminalError.unusableTerm(term: term, reason: "it cannot move the cursor")
        default: break
        }
        guard initscr() != nil else {
            throw TerminalError.initFailed(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        OutputGate.reopen()
        NCursesTerminal.active = true
        cbreak()
        noecho()
        let screen = spk_stdscr()
        keypad(screen, true)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
            colours = Int(spk_colors())
            maxPairs = Int(spk_color_pairs())
        } else {
            colours = 0
            maxPairs = 0
        }
        mousemask(spk_button1_pressed() | spk_button1_clicked() | spk_button4_pressed()
                  | spk_button5_pressed(), nil)
        mouseinterval(0)
        // Ctrl-C becomes a key (`.ctrlC`), so the app can ask before it loses work: the handler
        // only raises a flag, and without SA_RESTART the blocked read returns at once.
        var interrupt = sigaction()
        #if canImport(Glibc)
        interrupt.__sigaction_handler = .init(sa_handler: spikescopeInterrupt)
        #else
        interrupt.__sigaction_u = .init(__sa_handler: spikescopeInterrupt)
        #endif
        sigemptyset(&interrupt.sa_mask)
        interrupt.sa_flags = 0
        sigaction(SIGINT, &interrupt, nil)
        signal(SIGTERM, spikescopeRestoreAndExit)
    }

    deinit { restore() }

    /// True while curses owns the screen (read by the signal handler).
    nonisolated(unsafe) static var active = false
    /// Raised by SIGINT (Ctrl-C); `readKey` turns it into `.ctrlC`.
    nonisolated(unsafe) static var interrupted = false

    /// Current size in cells.
    public var size: Size {
        let s = spk_stdscr()
        return Size(width: Int(spk_max_x(s)), height: Int(spk_max_y(s)))
    }

    /// Writes the cells that changed since the last frame, then refreshes once.
    public func draw(_ buffer: Buffer) {
        guard !restored, OutputGate.enter() else { return }
        defer { OutputGate.leave() }
        let s = size
        if let p = previous, p.width != buffer.width || p.height != buffer.height
            || s.width != buffer.width || s.height != buffer.height {
            previous = nil
            werase(spk_stdscr())
        }
        FrameDiff.changes(from: previous, to: buffer, into: &changes)
        var wide: [wchar_t] = [0, 0, 0, 0, 0, 0]
        for c in changes where c.x < s.width && c.y < s.height {
            var n = 0
            for scalar in c.cell.symbol.unicodeScalars where n < 5 {
                wide[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
            wide[n] = 0
            let style = c.cell.style
            var attrs = spk_a_normal()
            if style.bold { attrs |= spk_a_bold() }
            if style.dim { attrs |= spk_a_dim() }
            if style.reverse { attrs |= spk_a_reverse() }
            if style.underline { attrs |= spk_a_underline() }
            let pair = self.pair(style.fg, style.bg)
            _ = spk_put_cell(Int32(c.y), Int32(c.x), wide, attrs, pair)  // ERR at the corner is fine
        }
        previous = buffer
        refresh()
    }

    /// The colour pair for (fg, bg), allocated on first use; 0 (default) when out of pairs.
    private func pair(_ fg: Color, _ bg: Color) -> Int32 {
        guard colours > 0 else { return 0 }
        func number(_ c: Color) -> Int32 {
            switch c {
            case .terminalDefault: return -1
            case .index(let i): return Int(i) < colours ? Int32(i) : Int32(i % 8)
            }
        }
        let key = PairKey(fg: number(fg), bg: number(bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        let next = Int32(pairs.count + 1)
        guard Int(next) < maxPairs, init_extended_pair(next, key.fg, key.bg) == OK else { return 0 }
        pairs[key] = next
        return next
    }

    /// Waits up to `timeoutMs` for a key (blocking in ncurses, no polling); nil on timeout.
    public func readKey(timeoutMs: Int) -> Key? {
        guard !restored else { return nil }
        if NCursesTerminal.interrupted { NCursesTerminal.interrupted = false; return .ctrlC }
        let screen = spk_stdscr()
        wtimeout(screen, Int32(clamping: timeoutMs < 0 ? -1 : timeoutMs))
        var ch: wint_t = 0
        let r = wget_wch(screen, &ch)
        if NCursesTerminal.interrupted { NCursesTerminal.interrupted = false; return .ctrlC }
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return functionKey(Int32(ch)) }
        return Key.fromCodePoint(UInt32(ch))
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_RESIZE:
            previous = nil
            return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            if event.bstate & spk_button4_pressed() != 0 { return .scrollUp }
            if spk_button5_pressed() != 0, event.bstate & spk_button5_pressed() != 0 {
                return .scrollDown
            }
            return .mouse(x: Int(event.x), y: Int(event.y))
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// Ends curses and puts the terminal back; later calls do nothing.
    public func restore() {
        guard !restored else { return }
        restored = true
        NCursesTerminal.active = false
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        OutputGate.close()
        OutputGate.clearScreen()
        endwin()
    }
}

/// SIGINT handler: only raises the flag `readKey` turns into `.ctrlC`.
private func spikescopeInterrupt(_ signal: Int32) {
    NCursesTerminal.interrupted = true
}

/// SIGTERM handler (on whichever thread the signal reached): waits for a frame in flight, ends
/// curses, exits with 128 + signal.
private func spikescopeRestoreAndExit(_ signal: Int32) {
    OutputGate.close()
    if NCursesTerminal.active { OutputGate.clearScreen(); endwin() }
    _exit(128 + signal)
}
