import Testing
@testable import SpikeTerm

@Test func bufferFromLinesPadsAndPrintsRows() {
    let buffer = Buffer(lines: ["ab", "c"])
    #expect(buffer.width == 2 && buffer.height == 2)
    #expect(buffer.lines == ["ab", "c "])
    #expect(buffer.description == "ab\nc ")
}

@Test func setStringClipsToRectAndBuffer() {
    var buffer = Buffer(lines: ["xxxxx", "xxxxx"])
    let end = buffer.setString(x: 3, y: 0, "abcdef")
    buffer.setString(x: -1, y: 1, "12345", clip: Rect(x: 1, y: 1, width: 2, height: 1)) // "3", "4" land
    buffer.setString(x: 0, y: 5, "zz")                       // off the buffer: ignored
    #expect(buffer.lines == ["xxxab", "x34xx"])
    #expect(end == 5)
}

@Test func outOfRangeCellsReadBlankAndIgnoreWrites() {
    var buffer = Buffer(lines: ["xx"])
    buffer[5, 0] = Cell("y")
    buffer[-1, 0] = Cell("y")
    #expect(buffer[9, 9] == .blank)
    #expect(buffer.lines == ["xx"])
}

@Test func fillAndStyleStayInsideTheirRect() {
    var buffer = Buffer(lines: ["xxxx", "xxxx", "xxxx"])
    buffer.fill(Rect(x: 1, y: 1, width: 9, height: 1), with: Cell("o"))
    buffer.setStyle(Rect(x: 0, y: 0, width: 1, height: 1), Style(bold: true))
    #expect(buffer.lines == ["xxxx", "xooo", "xxxx"])
    #expect(buffer[0, 0].style.bold && !buffer[1, 0].style.bold)
}

@Test func splitTakesFixedAndRatioFirstThenFills() {
    let parts = Rect(x: 0, y: 0, width: 10, height: 4)
        .split(.horizontal, [.fixed(3), .fill(1), .ratio(1, 5)])
    #expect(parts == [Rect(x: 0, y: 0, width: 3, height: 4), Rect(x: 3, y: 0, width: 5, height: 4),
                      Rect(x: 8, y: 0, width: 2, height: 4)])
    let rows = Rect(x: 2, y: 1, width: 5, height: 7).split(.vertical, [.fill(1), .fill(2), .fixed(9)])
    #expect(rows.map(\.height) == [0, 0, 7])
    let shared = Rect(x: 0, y: 0, width: 5, height: 7).split(.vertical, [.fill(1), .fill(1)])
    #expect(shared.map(\.height) == [3, 4] && shared[1].y == 3)
}

@Test func insetNeverGoesNegative() {
    #expect(Rect(x: 1, y: 1, width: 5, height: 3).inset(1) == Rect(x: 2, y: 2, width: 3, height: 1))
    #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset(1).isEmpty)
    #expect(Rect(x: 0, y: 0, width: 4, height: 4).intersection(Rect(x: 6, y: 0, width: 2, height: 2)).isEmpty)
}

@Test func formatValueIsCompact() {
    #expect([1, 0.5, -12.34, 0.25, 150.6, 0, 0.001].map(formatValue)
            == ["1", "0.5", "-12.3", "0.25", "151", "0", "0"])
}

@Test func keysFromCodePoints() {
    #expect(Key.fromCodePoint(3) == .ctrlC)
    #expect(Key.fromCodePoint(13) == .enter)
    #expect(Key.fromCodePoint(127) == .backspace)
    #expect(Key.fromCodePoint(1) == .ctrl("a"))
    #expect(Key.fromCodePoint(113) == .char("q"))
}
