import Testing
@testable import SpikeTerm

@Test func frameDiffOfOneChangedCellWritesExactlyOneCell() {
    let before = Buffer(lines: ["abc", "def"])
    var after = before
    after[1, 1] = Cell("E", style: Style(bold: true))
    #expect(FrameDiff.changes(from: before, to: after)
            == [CellChange(x: 1, y: 1, cell: Cell("E", style: Style(bold: true)))])
    #expect(FrameDiff.changes(from: before, to: before).isEmpty)
    var styleOnly = before
    styleOnly[2, 0].style = Style(fg: .index(3))
    #expect(FrameDiff.changes(from: before, to: styleOnly).map { [$0.x, $0.y] } == [[2, 0]])
    #expect(FrameDiff.changes(from: nil, to: before).count == 6)
    #expect(FrameDiff.changes(from: Buffer(lines: ["ab"]), to: before).count == 6)
}

@Test func headlessTerminalWritesOnlyChangedCellsAndReplaysKeys() {
    let term = HeadlessTerminal(width: 4, height: 2, keys: [.char("q"), .down])
    var frame = Buffer(width: 4, height: 2)
    frame.setString(x: 0, y: 0, "ab")
    term.draw(frame)
    #expect(term.lastWrites.count == 8)
    frame.setString(x: 3, y: 1, "z")
    term.draw(frame)
    #expect(term.lastWrites == [CellChange(x: 3, y: 1, cell: Cell("z"))])
    #expect(term.screen.lines == ["ab  ", "   z"])
    #expect(term.readKey(timeoutMs: 100) == .char("q"))
    term.resize(width: 5, height: 2)
    #expect(term.readKey(timeoutMs: 100) == .resize)
    #expect(term.size == Size(width: 5, height: 2))
    #expect(term.readKey(timeoutMs: -1) == .down)
    #expect(term.readKey(timeoutMs: 50) == nil)
    #expect(term.waits == [100, 100, -1, 50])
    term.restore()
    term.restore()
    #expect(term.restores == 1)
}

@Test func notATerminalErrorSaysWhatToDo() {
    #expect(TerminalError.notATerminal(stream: "stdout").description
            == "spikescope: stdout is not a terminal; the TUI needs one (use `spikescope run` for batch output)")
}

#if canImport(Glibc)
    import Glibc
#endif

@Test func ncursesRefusesToStartWithoutATerminal() throws {
    guard isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 else { return }  // on a TTY: nothing to check
    #expect(throws: TerminalError.self) { try NCursesTerminal() }
}

/// Draws one frame on the real terminal; runs only with SPIKESCOPE_TTY_SMOKE=1 (under tmux).
@Test func ncursesSmokeOnARealTerminal() throws {
    guard getenv("SPIKESCOPE_TTY_SMOKE") != nil else { return }
    let term = try NCursesTerminal()
    defer { term.restore() }
    let size = term.size
    var frame = Buffer(width: size.width, height: size.height)
    let theme = Theme.dark.adapted(to: term.colours, noColor: false)
    Block(title: "smoke", focused: true, theme: theme).render(frame.area, into: &frame)
    Raster(spikes: (0..<8).map { n in (0..<16).map { ($0 + n) % 3 == 0 } }, style: theme.spike)
        .render(Rect(x: 2, y: 2, width: 8, height: 2), into: &frame)
    frame.setString(x: 2, y: 5, "utf8=\(term.localeIsUTF8) colours=\(term.colours)", style: theme.text)
    term.draw(frame)
    frame.setString(x: 2, y: 6, "second frame", style: theme.warning)
    term.draw(frame)
    _ = term.readKey(timeoutMs: 1500)
}
