// The raster pane.

import SpikeCore
import SpikeData
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The raster pane: its drawing and the clicks it owns.
enum RasterPane: PaneView {
    static let help = [
        "spikes of the selected layer: a row per neuron (or per group of neurons when",
        "the layer is taller than the pane: \"k per dot\"), a column per step; the",
        "current step is marked, the selected neuron highlighted; the bottom row is the",
        "population rate (share of the layer spiking) at each step. Click a row or use",
        "the wheel to select a neuron.",
    ]

    /// Raster of the selected layer (neurons × steps, aggregated when larger than the pane), the
    /// current step's column marked, the selected neuron's row highlighted, population rate below.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme
        let plot = RasterPane.plot(in: area)
        guard let r = state.recorder, state.layer < r.layers.count else {
            let inner = drawFrame(state, .raster, area, title: "Raster", into: &buffer)
            Paragraph(["this model has no neuron layers"], style: theme.dim).render(inner, into: &buffer)
            return
        }
        let rec = r.layers[state.layer]
        let g = Raster.groupSize(neurons: rec.neurons, rows: plot.height, braille: state.glyphs.braille)
        let rowsPer = g * (state.glyphs.braille ? 4 : 1)
        let title = "Raster \(rec.name) · \(counted(rec.neurons, "neuron"))"
            + (rec.neurons > plot.height ? " · \(rowsPer) per row" : "")
            + " · n\(state.neuron) · rate row: share spiking, full = 100 %"
        _ = drawFrame(state, .raster, area, title: state.glyphs.isUnicode ? title : title.replacingDots, into: &buffer)
        let dx = state.glyphs.braille ? 2 : 1
        let window = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: plot.width * dx)
        var matrix = SpikeMatrix(neurons: rec.neurons, steps: window.count * window.stretch)
        let last = min(state.cursor, window.first + window.count - 1)
        if last >= window.first {
            for s in window.first...last {
                guard let words = r.spikeBits(layer: state.layer, step: s) else { continue }
                let c0 = window.column(of: s)
                for (w, word) in words.enumerated() {
                    var bits = word
                    while bits != 0 {
                        let n = w * 64 + bits.trailingZeroBitCount
                        bits &= bits - 1
                        for j in 0..<window.filled { matrix[n, c0 + j] = true }
                    }
                }
            }
        }
        Raster(spikes: matrix, firstStep: 0, currentStep: nil, highlightNeuron: state.neuron, style: theme.spike,
               currentStyle: theme.selection, highlightStyle: theme.selection, glyphs: state.glyphs)
            .render(plot, into: &buffer)
        if state.cursor >= 1, window.contains(state.cursor) {
            let c0 = window.column(of: state.cursor) / dx
            let c1 = (window.column(of: state.cursor) + window.filled - 1) / dx
            buffer.patchStyle(Rect(x: plot.x + c0, y: plot.y, width: c1 - c0 + 1, height: plot.height),
                              Style(reverse: true))
        }
        // Population rate: per cell, the highest rate of the steps it shows.
        let spark = RasterPane.sparkline(in: area)
        guard !spark.isEmpty else { return }
        var rates = [Float](repeating: .nan, count: spark.width)
        for cell in 0..<spark.width {
            for d in (cell * dx)..<(cell * dx + dx) {
                let s = window.first + d / window.stretch
                guard d % window.stretch < window.filled, window.contains(s), s <= state.cursor, s >= 1 else { continue }
                let rate = Float(r.spikeCount(layer: state.layer, step: s)) / Float(max(1, rec.neurons))
                rates[cell] = rates[cell].isNaN ? rate : max(rates[cell], rate)
            }
        }
        Sparkline(values: rates, maximum: 1, style: theme.bar, glyphs: state.glyphs).render(spark, into: &buffer)
        // The gutter: which neurons the rows are (channels of a conv layer), and the rate row.
        let gutter = Rect(x: area.x + 1, y: plot.y, width: stepGutter - 1, height: plot.height)
        if plot.x - area.x > stepGutter - 1 {
            let shape = state.workspace.network.shapes[rec.index].output
            var taken = -1
            func label(_ row: Int, _ text: String) {
                guard row > taken, row < plot.height else { return }
                buffer.setString(x: gutter.x, y: gutter.y + row, text, style: theme.dim, clip: gutter)
                taken = row
            }
            if !shape.isFlat && shape.channels > 1 {
                for c in 0..<shape.channels { label(c * shape.height * shape.width / rowsPer, "c\(c)") }
            } else {
                label(0, "n0")
                let lastRow = min(plot.height - 1, (rec.neurons - 1) / rowsPer)
                if lastRow > 1 { label(lastRow, "n\(lastRow * rowsPer)") }
            }
            buffer.setString(x: gutter.x, y: spark.y, "rate", style: theme.dim, clip: Rect(x: gutter.x, y: spark.y, width: gutter.width, height: 1))
        }
    }

    /// The raster plot inside the pane `area` (above the population-rate sparkline).
    static func plot(in area: Rect) -> Rect {
        var inner = area.inset(1)
        if inner.width > stepGutter + 10 { inner = inner.inset(left: stepGutter) }
        return inner.height >= 2 ? inner.inset(bottom: 1) : inner
    }

    /// The population-rate sparkline row of the pane (empty when there is no room).
    static func sparkline(in area: Rect) -> Rect {
        let plot = plot(in: area), inner = area.inset(1)
        return inner.height >= 2 ? Rect(x: plot.x, y: inner.maxY - 1, width: plot.width, height: 1) : .zero
    }

    /// The mouse wheel moves the selection by one row of the plot.
    static func key(_ key: Key, _ state: inout AppState) -> Effect? {
        guard key == .scrollUp || key == .scrollDown else { return nil }
        let rows = max(1, state.size.height / 2)
        let g = Raster.groupSize(neurons: state.layerSize, rows: rows, braille: state.glyphs.braille) * (state.glyphs.braille ? 4 : 1)
        state.selectNeuron(state.neuron + (key == .scrollDown ? g : -g))
        return .redraw
    }

    /// A click on a row of the plot selects the first neuron drawn there.
    static func click(x: Int, y: Int, area: Rect, _ state: inout AppState) {
        let plot = plot(in: area)
        guard plot.contains(x: x, y: y) else { return }
        let g = Raster.groupSize(neurons: state.layerSize, rows: plot.height, braille: state.glyphs.braille)
        let n = (y - plot.y) * (state.glyphs.braille ? 4 : 1) * g
        if n < state.layerSize { state.selectNeuron(n) }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
