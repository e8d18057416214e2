// The help overlay: every key, then a section per pane saying what it shows; it scrolls
// (j/k, arrows, PgUp/PgDn) and filters its lines with `/`, as less and htop do.

import SpikeTerm

/// The help overlay's scroll position and search.
public struct HelpState: Equatable, Sendable {
    /// First line shown.
    public var scroll = 0
    /// The search text: only lines containing it are shown ("" shows all).
    public var filter = ""
    /// True while the search text is being typed.
    public var typing = false
}

extension AppState {
    /// Every help line: the keys, then each pane's section.
    static func helpLines() -> [KeyHelp] {
        var lines = AppState.keyHelp
        for pane in Pane.allCases {
            lines.append(KeyHelp(keys: "", action: ""))
            lines.append(KeyHelp(keys: pane.title, action: ""))
            lines += pane.view.help.map { KeyHelp(keys: "", action: $0) }
        }
        return lines
    }

    /// The help lines the search keeps.
    var shownHelpLines: [KeyHelp] {
        let all = AppState.helpLines()
        guard !help.filter.isEmpty else { return all }
        let q = help.filter.lowercased()
        return all.filter { $0.keys.lowercased().contains(q) || $0.action.lowercased().contains(q) }
    }

    /// A key while help is shown: scrolling and search are help's own; Esc and `?` close it;
    /// any other key closes it and then acts as usual (it is not swallowed). Nil means "act as usual".
    mutating func handleHelpKey(_ key: Key) -> Effect? {
        if help.typing {
            switch key {
            case .enter: help.typing = false
            case .escape: help.typing = false; help.filter = ""
            case .backspace: if !help.filter.isEmpty { help.filter.removeLast() }
            case .char(let c): help.filter.append(c); help.scroll = 0
            default: break
            }
            return .redraw
        }
        let page = max(1, size.height - 6)
        switch key {
        case .char("j"), .down: help.scroll += 1
        case .char("k"), .up: help.scroll = max(0, help.scroll - 1)
        case .pageDown, .char(" "): help.scroll += page
        case .pageUp: help.scroll = max(0, help.scroll - page)
        case .char("/"): help.typing = true; help.filter = ""
        case .escape, .char("?"): setHelp(false)
        case .resize: return .redraw
        default:
            setHelp(false)
            return nil
        }
        // The last page ends at the last line (the overlay's body is its height less border and footer).
        let body = max(1, min(size.height - 2, AppState.helpLines().count + 3) - 3)
        help.scroll = min(help.scroll, max(0, shownHelpLines.count - body))
        return .redraw
    }
}

/// Draws the help overlay: the lines from the scroll position, a footer with the help keys.
func drawHelp(_ state: AppState, into buffer: inout Buffer) {
    let rows = state.shownHelpLines
    let keyW = max(8, rows.map(\.keys.count).max() ?? 0)
    let width = min(buffer.width - 2, max(44, keyW + 2 + (AppState.helpLines().map(\.action.count).max() ?? 0) + 4))
    let height = min(buffer.height - 2, AppState.helpLines().count + 3)
    let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
    buffer.fill(area, with: Cell(" ", style: state.theme.text))
    let block = Block(title: "Help · Esc or ? closes", focused: true, theme: state.theme, glyphs: state.glyphs)
    block.render(area, into: &buffer)
    let inner = block.inner(area).inset(left: 1, right: 1)
    guard inner.height >= 2 else { return }
    let body = inner.inset(bottom: 1)
    let first = min(state.help.scroll, max(0, rows.count - 1))
    let lines = rows.dropFirst(first).prefix(body.height).map { row in
        [Span(row.keys.padding(to: keyW + 2), style: state.theme.title), Span(row.action, style: state.theme.text)]
    }
    Paragraph(spans: lines, glyphs: state.glyphs).render(body, into: &buffer)
    let more = first + body.height < rows.count ? " · more below (j)" : ""
    let footer = state.help.typing ? "/" + state.help.filter + "_  (Enter keeps, Esc clears)"
        : (state.help.filter.isEmpty ? "j/k scroll · / search" : "search: \(state.help.filter) · / again") + more + " · q quits"
    buffer.setString(x: inner.x, y: inner.maxY - 1, footer, style: state.theme.dim, clip: inner)
}
