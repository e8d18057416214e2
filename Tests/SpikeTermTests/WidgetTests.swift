import Testing
@testable import SpikeTerm

private func grid(_ width: Int, _ height: Int) -> Buffer {
    Buffer(lines: Array(repeating: String(repeating: "x", count: width), count: height))
}

@Test func blockDrawsBorderAndTitleButNotItsInside() {
    var buffer = grid(5, 3)
    Block(title: "ab").render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["┌ab─┐", "│xxx│", "└───┘"])
    var focused = grid(5, 3)
    Block(title: "abcdef", focused: true).render(focused.area, into: &focused)
    #expect(focused.lines == ["┏ab…┓", "┃xxx┃", "┗━━━┛"])
    var ascii = grid(5, 3)
    Block(title: "ab", glyphs: .ascii).render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["+ab-+", "|xxx|", "+---+"])
    #expect(Block().inner(buffer.area) == Rect(x: 1, y: 1, width: 3, height: 1))
}

@Test func focusedBlockUsesFocusStyle() {
    var buffer = grid(4, 3)
    let theme = Theme.dark
    Block(title: "", focused: true, theme: theme).render(buffer.area, into: &buffer)
    #expect(buffer[0, 0].style == theme.focusBorder)
    #expect(buffer[1, 1].style == .plain)
}

@Test func paragraphTruncatesWithEllipsisAndClipsRows() {
    var buffer = grid(5, 2)
    Paragraph(["hello world", "ok", "never"]).render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["hell…", "okxxx"])
    var ascii = grid(5, 1)
    Paragraph(["hello world"], glyphs: .ascii).render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["hell~"])
    var spans = grid(6, 1)
    Paragraph(spans: [[Span("q", style: Style(bold: true)), Span(" quit")]]).render(spans.area, into: &spans)
    #expect(spans.lines == ["q quit"])
    #expect(spans[0, 0].style.bold && !spans[1, 0].style.bold)
}

@Test func sparklineDrawsLevelsAndLeavesOtherCellsAlone() {
    var buffer = Buffer(lines: ["xxxxxx"])
    Sparkline(values: [0, 0.5, 1], maximum: 1).render(buffer.area, into: &buffer)
    #expect(buffer.lines == [" ▄█xxx"])
    var all = Buffer(lines: ["xxxxxxxxx"])
    Sparkline(values: (0...8).map(Float.init)).render(all.area, into: &all)
    #expect(all.lines == [" ▁▂▃▄▅▆▇█"])
    var recent = Buffer(lines: ["xx"])
    Sparkline(values: [8, .nan, 4], maximum: 8, glyphs: .ascii).render(recent.area, into: &recent)
    #expect(recent.lines == [" ="])          // last two values: NaN → empty, 4/8 → level 4
}

@Test func barsHaveEighthPrecisionAndValueText() {
    var buffer = grid(10, 3)
    Bars(labels: ["a", "bb"], values: [1, 0.5], maximum: 1, valueText: nil)
        .render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["a  ███████", "bb ███▌   ", "xxxxxxxxxx"])
    var texts = grid(10, 2)
    Bars(labels: ["a", "bb"], values: [1, 0.5], highlight: 1).render(texts.area, into: &texts)
    #expect(texts.lines == ["a  ███   1", "bb █▌  0.5"])
    #expect(texts[3, 1].style == Style(bold: true) && texts[3, 0].style == .plain)
    #expect(Bars.eighths(value: 0.3, maximum: 1, width: 10) == 24)
    var ascii = grid(6, 1)
    Bars(labels: ["c"], values: [0.55], maximum: 1, valueText: nil, glyphs: .ascii)
        .render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["c ##  "])       // 0.55·4 cells = 2.2 → 2 whole cells
}

@Test func rasterDrawsKnownBraille() {
    // neuron n spikes at step n: dots (0,0) (1,1) | (0,2) (1,3) → 0x01|0x10, 0x04|0x80
    let spikes = (0..<4).map { n in (0..<4).map { $0 == n } }
    var buffer = grid(4, 3)
    Raster(spikes: spikes).render(Rect(x: 1, y: 1, width: 2, height: 1), into: &buffer)
    #expect(buffer.lines == ["xxxx", "x\u{2811}\u{2884}x", "xxxx"])
    var ascii = grid(4, 4)
    Raster(spikes: spikes, glyphs: .ascii).render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["*   ", " *  ", "  * ", "   *"])
}

@Test func rasterAggregatesHundredNeuronsIntoGroups() {
    var spikes = SpikeMatrix(neurons: 100, steps: 2)
    spikes[99, 0] = true        // group 99/13 = 7: cell row 1, dot row 3, left
    spikes[0, 1] = true         // group 0: cell row 0, dot row 0, right
    spikes[12, 1] = true        // same group, same dot
    let raster = Raster(spikes: spikes)
    let area = Rect(x: 0, y: 0, width: 1, height: 2)
    #expect(raster.groupSize(for: area) == 13)
    #expect(Raster.groupSize(neurons: 100, rows: 25, braille: true) == 1)
    var buffer = grid(2, 2)
    raster.render(area, into: &buffer)
    #expect(buffer.lines == ["\u{2808}x", "\u{2840}x"])
}

@Test func rasterShowsRecentStepsAndMarksCurrentStepAndNeuron() {
    var spikes = SpikeMatrix(neurons: 1, steps: 70)
    spikes[0, 69] = true
    spikes[0, 66] = true
    let raster = Raster(spikes: spikes, currentStep: 69, highlightNeuron: 0,
                        currentStyle: Style(reverse: true), highlightStyle: Style(underline: true))
    var buffer = grid(2, 1)
    raster.render(buffer.area, into: &buffer)
    #expect(raster.visibleSteps(for: buffer.area) == 66..<70)
    #expect(buffer.lines == ["\u{2801}\u{2808}"])
    #expect(buffer[1, 0].style == Style(reverse: true, underline: true))
    #expect(buffer[0, 0].style == Style(underline: true))
    let bits = SpikeMatrix(bitRows: [[0b1001]], steps: 3)
    #expect((0..<4).map { bits[0, $0] } == [true, false, false, false])
}

@Test func lineChartDrawsThresholdRowSeriesAndMarkers() {
    // Markers get a row above the plot, so a value at the top is never hidden.
    let chart = LineChart(series: [[0, 0, 0, 0]], yRange: 0...1, threshold: 1, spikeMarks: [[2]])
    var buffer = grid(5, 3)
    chart.render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["   ● ", "1┤⠉⠉⠉", "0┤⣀⣀ "])
    #expect(chart.plotArea(for: buffer.area) == Rect(x: 2, y: 1, width: 3, height: 2))
    // Two series: each marks with its own glyph; where both spike in one cell, the shared mark.
    let pair = LineChart(series: [[0, 0, 0, 0], [1, 1, 1, 1]], yRange: 0...1, spikeMarks: [[0, 2], [2, 3]])
    var b2 = grid(5, 3)
    pair.render(b2.area, into: &b2)
    #expect(b2.lines[0] == "  ●✱ ")      // steps 0-1 in cell 0 (series 0), steps 2-3 in cell 1 (both series)
    // A rising line joins consecutive points with vertical runs; threshold mid-height.
    let rising = LineChart(series: [[0, 1]], yRange: 0...1, threshold: 0.5,
                           thresholdStyle: Style(dim: true))
    var two = grid(6, 2)
    rising.render(two.area, into: &two)
    // Dot rows 0-7; threshold at round(0.5·7) = 4 (cell row 1, top dots); the step-1 point
    // (row 0) is joined to the step-0 point (row 7) by a full column of right-hand dots.
    // The threshold label would sit on the bottom row, which the minimum already holds.
    #expect(two.lines == ["  1┤⢸ ", "  0┤⣹⠉"])
    var ascii = grid(6, 3)
    LineChart(series: [[0, 2, 1]], threshold: 1, glyphs: .ascii).render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["2+ ** ", "1+-**-", "0+**  "])
}

@Test func imageHalfBlocksUseGreyRamp() {
    let image = ImageView(pixels: [0, 1, 1, 0], width: 2, height: 2)
    var buffer = grid(3, 2)
    image.render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["▀▀x", "xxx"])
    #expect(buffer[0, 0].style == Style(fg: .index(232), bg: .index(255)))
    #expect(buffer[1, 0].style == Style(fg: .index(255), bg: .index(232)))
    var ascii = grid(2, 1)
    ImageView(pixels: [0, 1, 1, 0], width: 2, height: 2, mode: .ramp, glyphs: .ascii)
        .render(ascii.area, into: &ascii)
    #expect(ascii.lines == ["++"])
    let big = ImageView(bytes: [UInt8](repeating: 255, count: 28 * 28), width: 28, height: 28)
    #expect(big.scale(for: Rect(x: 0, y: 0, width: 60, height: 30)) == 2)
    #expect(Color.grey(0.5) == .index(244))
}

@Test func tableSizesColumnsAndMarksSelection() {
    let table = Table(header: ["n", "rate"], rows: [["0", "1.5"], ["12", "0"], ["7", "3"]],
                      selected: 2)
    var buffer = grid(8, 3)
    table.render(buffer.area, into: &buffer)
    #expect(buffer.lines == ["n  rate ", "12 0    ", "7  3    "])
    #expect(buffer[7, 2].style == Style(reverse: true))
    #expect(buffer[0, 0].style == Style(bold: true))
}

@Test func everyWidgetIsSafeAtZeroAndOneCell() {
    let widgets: [(String, Widget)] = [
        ("block", Block(title: "t")), ("paragraph", Paragraph(["hello"])),
        ("sparkline", Sparkline(values: [1, 2, 3])),
        ("bars", Bars(labels: ["a", "b"], values: [1, 2])),
        ("raster", Raster(spikes: [[true, true], [true, false]], currentStep: 1, highlightNeuron: 1)),
        ("linechart", LineChart(series: [[0, 1, 2]], threshold: 1, spikeMarks: [[0, 1, 2]])),
        ("image", ImageView(pixels: [1, 1, 1, 1], width: 2, height: 2)),
        ("image-ramp", ImageView(pixels: [1, 1, 1, 1], width: 2, height: 2, mode: .ramp)),
        ("table", Table(header: ["a", "b"], rows: [["1", "2"]], selected: 0)),
        ("empty-linechart", LineChart(series: [])),
        ("empty-raster", Raster(spikes: SpikeMatrix(neurons: 0, steps: 0))),
    ]
    for (name, widget) in widgets {
        for size in [0, 1] {
            var buffer = grid(3, 3)
            widget.render(Rect(x: 1, y: 1, width: size, height: size), into: &buffer)
            let l = buffer.lines
            #expect(l[0] == "xxx" && l[2] == "xxx", "\(name) at \(size)x\(size)")
            #expect(l[1].first == "x" && l[1].last == "x", "\(name) at \(size)x\(size)")
            if size == 0 { #expect(l[1] == "xxx", "\(name) drew into 0x0") }
        }
        var tall = grid(3, 3)           // 1 wide, 3 high, and 3 wide, 1 high
        widget.render(Rect(x: 1, y: 0, width: 1, height: 3), into: &tall)
        #expect(tall.lines.allSatisfy { $0.first == "x" && $0.last == "x" }, "\(name) 1x3")
        var wide = grid(5, 3)
        widget.render(Rect(x: 1, y: 1, width: 3, height: 1), into: &wide)
        #expect(wide.lines[0] == "xxxxx" && wide.lines[2] == "xxxxx", "\(name) 3x1")
    }
}
