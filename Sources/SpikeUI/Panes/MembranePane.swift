// The membrane pane.

import SpikeCore
import SpikeData
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The membrane pane: its drawing, and j/k (↓/↑) to move between the traces shown.
enum MembranePane: PaneView {
    static let help = [
        "up to 4 neurons' membrane u, the value each step compared with θ (before the",
        "reset), with the threshold line and a marker row of their spikes. Each trace",
        "keeps its colour and marker while shown; j/k move between them when focused.",
    ]

    static func key(_ key: Key, _ state: inout AppState) -> Effect? {
        let step: Int
        switch key {
        case .char("j"), .down: step = 1
        case .char("k"), .up: step = -1
        default: return nil
        }
        let traces = state.plotted
        guard let i = traces.firstIndex(of: state.neuron), traces.count > 1 else { return .redraw }
        state.selectNeuron(traces[(i + step + traces.count) % traces.count])
        return .redraw
    }

    /// The membrane value each step compared with θ (u, before the reset; the reset shows as the
    /// drop to the next step) of up to 4 neurons over the steps shown, the threshold line, every
    /// shown neuron's spikes in a marker row above the plot (its own glyph and colour), y-axis
    /// labels, and a legend. A neuron keeps its colour slot while it is shown.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme
        guard let r = state.recorder, state.layer < r.layers.count else {
            _ = drawFrame(state, .membrane, area, title: "Membrane", into: &buffer)
            return
        }
        let rec = r.layers[state.layer]
        let neurons = state.plotted
        // The selected neuron's inter-spike intervals so far: adaptation shows as their growth.
        var spikeSteps: [Int] = []
        if let steps = r.steps, state.cursor >= 1 {
            for s in steps.lowerBound...min(state.cursor, steps.upperBound) where r.spiked(layer: state.layer, step: s, neuron: state.neuron) {
                spikeSteps.append(s)
            }
        }
        let intervals = zip(spikeSteps.dropFirst(), spikeSteps).map { $0 - $1 }
        let isi = intervals.isEmpty || rec.threshold == nil ? "" : " · n\(state.neuron) intervals " + intervals.suffix(6).map(String.init).joined(separator: " ")
        var inner = drawFrame(state, .membrane, area, title: ("Membrane \(rec.name)" + (rec.threshold.map { " · θ=\(formatValue($0))" } ?? "") + isi)
                              .asciiIf(!state.glyphs.isUnicode), into: &buffer)
        guard !inner.isEmpty else { return }
        if inner.height >= 4 {
            var x = inner.x
            for (i, n) in neurons.enumerated() {
                // The trace's own mark (a line, or in ASCII the dot symbol it is drawn with) and its spike marker.
                let line = state.glyphs.braille ? "━" : String(state.glyphs.dotSymbols[i % 4])
                x = buffer.setString(x: x, y: inner.y, line + String(state.glyphs.seriesMarkers[i % 4]) + " ",
                                     style: theme.membrane[i % 4], clip: inner)
                let recorded = rec.membraneNeurons.count == rec.neurons || rec.membraneNeurons.contains(n)
                x = buffer.setString(x: x, y: inner.y, "n\(n)" + (recorded ? "" : " (not recorded)") + "  ",
                                     style: n == state.neuron ? theme.title : theme.text, clip: inner)
            }
            if let name = rec.secondState, neurons.count < 4 {
                let line = state.glyphs.braille ? "━" : String(state.glyphs.dotSymbols[neurons.count])
                x = buffer.setString(x: x, y: inner.y, line + " \(name)(n\(state.neuron))  ", style: theme.membrane[neurons.count], clip: inner)
            }
            if rec.threshold != nil {
                _ = buffer.setString(x: x, y: inner.y, "(u before reset; marks: spikes)", style: theme.dim, clip: inner)
            }
            inner = inner.inset(top: 1)
        }
        // The bottom row is the step axis shared with the raster.
        let axisRow = inner.height >= 4 ? Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1) : Rect.zero
        if !axisRow.isEmpty { inner = inner.inset(bottom: 1) }
        // Value range over every recorded step shown, with the threshold and 0.
        let probe = state.glyphs.braille ? 2 : 1
        var lo: Float = 0, hi = rec.threshold ?? 0
        let index: [Int?] = neurons.map { n in
            rec.membraneNeurons.count == rec.neurons ? n : rec.membraneNeurons.firstIndex(of: n)
        }
        // The selected neuron's second state (adaptation a, synaptic current i) as one more trace.
        let second: Int?? = rec.secondState != nil && neurons.count < 4 ? neurons.firstIndex(of: state.neuron).map { index[$0] } : nil
        let wide = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: max(1, inner.width - 7) * probe)
        let last = min(state.cursor, wide.first + wide.count - 1)
        if last >= wide.first {
            for s in wide.first...last {
                guard let m = r.membranes(layer: state.layer, step: s) else { continue }
                for case let k? in index where m.startIndex + k < m.endIndex {
                    let v = m[m.startIndex + k]
                    if v.isFinite { lo = min(lo, v); hi = max(hi, v) }
                }
                if case let k?? = second, let a = r.secondStates(layer: state.layer, step: s), a.startIndex + k < a.endIndex {
                    let v = a[a.startIndex + k]
                    if v.isFinite { lo = min(lo, v); hi = max(hi, v) }
                }
            }
        }
        if hi <= lo { hi = lo + 1 }
        let range = lo...hi
        let styles = theme.membrane
        var probeChart = LineChart(series: [], yRange: range, threshold: rec.threshold, spikeMarks: [[0]], glyphs: state.glyphs)
        probeChart.fixedLabelWidth = inner.width > stepGutter + 10 ? stepGutter - 1 : nil
        let plotArea = probeChart.plotArea(for: inner), plotWidth = plotArea.width
        let window = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: plotWidth * probe)
        var series = [[Float]](repeating: [Float](repeating: .nan, count: window.count * window.stretch),
                               count: neurons.count + (second == nil ? 0 : 1))
        var spikes = [[Int]](repeating: [], count: neurons.count)
        let lastShown = min(state.cursor, window.first + window.count - 1)
        if lastShown >= window.first {
            for s in window.first...lastShown {
                let c0 = window.column(of: s)
                if let m = r.membranes(layer: state.layer, step: s) {
                    for (i, k) in index.enumerated() {
                        guard let k, m.startIndex + k < m.endIndex else { continue }
                        for j in 0..<window.stretch { series[i][c0 + j] = m[m.startIndex + k] }
                    }
                }
                for (i, n) in neurons.enumerated() where r.spiked(layer: state.layer, step: s, neuron: n) { spikes[i].append(c0) }
                if case let k?? = second, let a = r.secondStates(layer: state.layer, step: s), a.startIndex + k < a.endIndex {
                    for j in 0..<window.stretch { series[neurons.count][c0 + j] = a[a.startIndex + k] }
                }
            }
        }
        // An empty mark list still reserves the marker row, so the plot does not jump when the first spike comes.
        if rec.threshold != nil && spikes.allSatisfy(\.isEmpty) { spikes = [[-1]] }
        var chart = LineChart(series: series, firstStep: 0, yRange: range, threshold: rec.threshold, spikeMarks: spikes,
                              seriesStyles: styles, thresholdStyle: theme.threshold, axisStyle: theme.axis,
                              spikeStyle: theme.spike, glyphs: state.glyphs)
        chart.fixedLabelWidth = probeChart.fixedLabelWidth
        chart.render(inner, into: &buffer)
        drawStepAxis(window, dotsPerCell: probe, plotX: plotArea.x, row: axisRow, style: theme.axis, into: &buffer)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
