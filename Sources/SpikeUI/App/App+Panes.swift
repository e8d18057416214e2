import SpikeTerm
import SpikeTrain
// The panes of the workbench as small view functions; each reads only the state.

import SpikeCore
import SpikeData
import SpikeSession

/// Raster of the selected layer (neurons × steps, aggregated when larger than the pane), the
/// current step's column marked, the selected neuron's row highlighted, population rate below.
func drawRasterPane(_ state: AppState, _ layout: AppLayout, into buffer: inout Buffer) {
    let theme = state.theme
    let plot = layout.rasterPlot
    guard let r = state.recorder, state.layer < r.layers.count else {
        let inner = drawFrame(state, .raster, layout[.raster], title: "Raster", into: &buffer)
        Paragraph(["this model has no neuron layers"], style: theme.dim).render(inner, into: &buffer)
        return
    }
    let rec = r.layers[state.layer]
    let g = Raster.groupSize(neurons: rec.neurons, rows: plot.height, braille: state.glyphs.braille)
    let title = "Raster \(rec.name) · \(rec.neurons) neurons" + (g > 1 ? " · \(g) per dot" : "")
        + " · n\(state.neuron)"
    _ = drawFrame(state, .raster, layout[.raster], title: state.glyphs.isUnicode ? title : title.replacingDots, into: &buffer)
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
    let spark = layout.rasterSparkline
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
    Sparkline(values: rates, maximum: nil, style: theme.bar, glyphs: state.glyphs).render(spark, into: &buffer)
}

/// Membrane potentials of up to 4 neurons over the steps shown, threshold line, spike markers
/// of the selected neuron, y-axis labels and a legend.
func drawMembranePane(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    guard let r = state.recorder, state.layer < r.layers.count else {
        _ = drawFrame(state, .membrane, area, title: "Membrane", into: &buffer)
        return
    }
    let rec = r.layers[state.layer]
    let neurons = state.plotted
    var inner = drawFrame(state, .membrane, area, title: "Membrane \(rec.name)" + (rec.threshold.map { " · θ=\(formatValue($0))" } ?? "")
                          .asciiIf(!state.glyphs.isUnicode), into: &buffer)
    guard !inner.isEmpty else { return }
    if inner.height >= 4 {
        var x = inner.x
        for (i, n) in neurons.enumerated() {
            let mark = state.glyphs.isUnicode ? "━ " : "- "
            x = buffer.setString(x: x, y: inner.y, mark, style: theme.membrane[i % 4], clip: inner)
            let recorded = rec.membraneNeurons.count == rec.neurons || rec.membraneNeurons.contains(n)
            x = buffer.setString(x: x, y: inner.y, "n\(n)" + (recorded ? "" : " (not recorded)") + "  ",
                                 style: i == 0 ? theme.title : theme.text, clip: inner)
        }
        inner = inner.inset(top: 1)
    }
    // Value range over every recorded step shown, with the threshold and 0.
    let probe = state.glyphs.braille ? 2 : 1
    var lo: Float = 0, hi = rec.threshold ?? 0
    let index: [Int?] = neurons.map { n in
        rec.membraneNeurons.count == rec.neurons ? n : rec.membraneNeurons.firstIndex(of: n)
    }
    let wide = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: max(1, inner.width - 7) * probe)
    let last = min(state.cursor, wide.first + wide.count - 1)
    if last >= wide.first {
        for s in wide.first...last {
            guard let m = r.membranes(layer: state.layer, step: s) else { continue }
            for case let k? in index where m.startIndex + k < m.endIndex {
                let v = m[m.startIndex + k]
                if v.isFinite { lo = min(lo, v); hi = max(hi, v) }
            }
        }
    }
    if hi <= lo { hi = lo + 1 }
    let range = lo...hi
    let styles = theme.membrane
    let plotWidth = LineChart(series: [], yRange: range, threshold: rec.threshold, glyphs: state.glyphs)
        .plotArea(for: inner).width
    let window = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: plotWidth * probe)
    var series = [[Float]](repeating: [Float](repeating: .nan, count: window.count * window.stretch),
                           count: neurons.count)
    var spikes: [Int] = []
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
            if let n = neurons.first, r.spiked(layer: state.layer, step: s, neuron: n) { spikes.append(c0) }
        }
    }
    LineChart(series: series, firstStep: 0, yRange: range, threshold: rec.threshold, spikeSteps: spikes,
              seriesStyles: styles, thresholdStyle: theme.threshold, axisStyle: theme.axis,
              spikeStyle: theme.spike, glyphs: state.glyphs).render(inner, into: &buffer)
}

/// Readout probabilities of the step shown and the running answer; or, in compare mode, the
/// T=1 run against the T=N run with KL divergence and per-step entropy.
func drawOutputsPane(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    let title = state.compareMode ? "Outputs · compare T=1 vs T=\(state.timesteps)" : "Outputs"
    let inner = drawFrame(state, .outputs, area, title: title.asciiIf(!state.glyphs.isUnicode), into: &buffer)
    guard !inner.isEmpty else { return }
    let classes = state.recorder?.classes ?? 0
    guard classes > 0 else {
        Paragraph(["no readout layer in this model"], style: theme.dim, glyphs: state.glyphs).render(inner, into: &buffer)
        return
    }
    let labels = (0..<classes).map(String.init)
    func bars(_ p: [Float], highlight: Int?) -> Bars {
        Bars(labels: labels, values: p, maximum: 1, highlight: highlight, labelStyle: theme.text,
             barStyle: theme.bar, highlightStyle: theme.barHighlight, valueStyle: theme.dim,
             valueText: { formatValue($0) }, glyphs: state.glyphs)
    }
    let halves = inner.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
    if state.compareMode {
        guard let c = state.compare else {
            Paragraph(["compare: no result"], style: theme.warning).render(inner, into: &buffer)
            return
        }
        let one = "T=1: \(c.topOne) p \(formatValue(c.probabilitiesOne[c.topOne]))"
        let many = "T=\(c.timesteps): \(c.topN) p \(formatValue(c.probabilitiesN[c.topN]))"
        buffer.setString(x: halves[0].x, y: inner.y, one, style: theme.title, clip: halves[0])
        buffer.setString(x: halves[2].x, y: inner.y, many, style: theme.title, clip: halves[2])
        guard inner.height >= 2 else { return }
        let kl = "KL \(formatSmall(c.klDivergence))  H/step "
        let end = buffer.setString(x: inner.x, y: inner.y + 1, kl, style: theme.text, clip: inner)
        let maxEntropy = Float(logf(Float(classes)))
        Sparkline(values: c.entropy, maximum: maxEntropy, style: theme.bar, glyphs: state.glyphs)
            .render(Rect(x: end, y: inner.y + 1, width: max(0, inner.maxX - end), height: 1), into: &buffer)
        var rows = inner.inset(top: 2)
        if inner.height >= 5 {
            let text: String
            if let a = state.accuracyByT {
                text = "accuracy by T: " + a.text + (a.samples > 0 ? " (n=\(grouped(a.samples)))" : "")
            } else if let problem = state.accuracyProblem {
                text = "accuracy by T: " + problem
            } else {
                text = state.accuracyPending || state.hasBackgroundWork ? "accuracy by T: computing..." : "accuracy by T: -"
            }
            buffer.setString(x: inner.x, y: inner.y + 2, text, style: theme.text, clip: inner)
            rows = inner.inset(top: 3)
        }
        let cols = rows.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
        bars(c.probabilitiesOne, highlight: c.topOne).render(cols[0], into: &buffer)
        bars(c.probabilitiesN, highlight: c.topN).render(cols[2], into: &buffer)
        return
    }
    let t = state.cursor
    let stepP = state.logits(step: t).map { softmax(Array($0)) }
    let running = state.runningLogits(upTo: t).map(softmax)
    let answer = running.flatMap(argmax)
    let stepText = stepP.flatMap { p in argmax(p).map { "step \(t): \($0) p \(formatValue(p[$0]))" } } ?? "step \(t): -"
    let answerText = answer.map { "answer: \($0) p \(formatValue(running?[$0] ?? 0))" } ?? "answer: -"
    let wide = inner.width >= 40
    if wide {
        buffer.setString(x: halves[0].x, y: inner.y, stepText, style: theme.text, clip: halves[0])
        buffer.setString(x: halves[2].x, y: inner.y, answerText, style: theme.title, clip: halves[2])
        let rows = inner.inset(top: 1)
        let cols = rows.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
        bars(stepP ?? [], highlight: stepP.flatMap(argmax)).render(cols[0], into: &buffer)
        bars(running ?? [], highlight: answer).render(cols[2], into: &buffer)
    } else {
        buffer.setString(x: inner.x, y: inner.y, answerText + "  (" + stepText + ")", style: theme.title, clip: inner)
        bars(stepP ?? [Float](repeating: 0, count: classes), highlight: answer)
            .render(inner.inset(top: 1), into: &buffer)
    }
}

/// The sample as an image with label and prediction; for a stimulus, the current over time.
func drawInputPane(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    let inner = drawFrame(state, .input, area, title: "Input", into: &buffer)
    guard !inner.isEmpty else { return }
    let ws = state.workspace
    guard let dataset = ws.dataset else {
        let stim = ws.session.data.stimulus
        let t = max(1, state.cursor)
        let head = "stimulus I(t)=\(formatValue(stim.current(at: t))) on \(stim.onset)-\(stim.offset == Int.max ? "end" : String(stim.offset))"
        buffer.setString(x: inner.x, y: inner.y, head, style: theme.text, clip: inner)
        let chartArea = inner.inset(top: 1)
        guard !chartArea.isEmpty else { return }
        let dx = state.glyphs.braille ? 2 : 1
        let window = StepWindow(timesteps: state.timesteps, cursor: state.cursor, dotWidth: max(1, chartArea.width - 6) * dx)
        var values = [Float](repeating: .nan, count: window.count * window.stretch)
        for s in window.first..<(window.first + window.count) where s <= state.cursor {
            for j in 0..<window.stretch { values[window.column(of: s) + j] = stim.current(at: s) }
        }
        LineChart(series: [values], firstStep: 0, yRange: min(0, stim.amplitude)...max(stim.amplitude, 0.0001),
                  seriesStyles: [theme.membrane[0]], axisStyle: theme.axis, glyphs: state.glyphs)
            .render(chartArea, into: &buffer)
        return
    }
    let shape = dataset.sampleShape
    let (h, w) = shape.count == 3 ? (shape[1], shape[2]) : (1, dataset.featureCount)
    let pixels = Array(ws.image(state.sample).prefix(h * w))
    let mode: ImageView.Mode = state.glyphs.isUnicode && state.theme.depth == .palette256 ? .halfBlock : .ramp
    let image = ImageView(pixels: pixels, width: w, height: h, mode: mode, style: theme.text, glyphs: state.glyphs)
    let imageArea = inner.inset(right: min(inner.width, 14))
    image.render(imageArea, into: &buffer)
    let used = Int(Float(w) * image.scale(for: imageArea))
    let textArea = inner.inset(left: min(inner.width, used + 2))
    var lines: [[Span]] = [[Span("sample \(state.sample)", style: theme.text)]]
    let label = ws.label(state.sample)
    if let label { lines.append([Span("label  \(label)", style: theme.title)]) }
    if let p = state.prediction {
        let right = label == p
        lines.append([Span("pred   \(p)", style: right ? theme.barHighlight : theme.warning)])
        lines.append([Span(right ? "correct" : "wrong", style: right ? theme.dim : theme.warning)])
    } else {
        lines.append([Span("pred   -", style: theme.dim)])
    }
    Paragraph(spans: lines, glyphs: state.glyphs).render(textArea, into: &buffer)
}

/// Network size, spikes and synaptic operations (spikes × fan-out) at the step shown and in
/// total; one line on training.
func drawHardwarePane(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    let inner = drawFrame(state, .hardware, area, title: "Hardware", into: &buffer)
    guard !inner.isEmpty else { return }
    let net = state.workspace.network
    let t = state.cursor
    var totalSpikes = 0, totalOps = 0
    if t >= 1, let steps = state.recorder?.steps {
        for s in max(1, steps.lowerBound)...min(t, steps.upperBound) {
            totalSpikes += state.spikes(step: s)
            totalOps += state.synapticOps(step: s)
        }
    }
    var lines: [[Span]] = [
        [Span("neurons  ", style: theme.dim), Span(grouped(net.neuronCount), style: theme.text),
         Span("   synapses ", style: theme.dim), Span(grouped(net.synapseCount), style: theme.text)],
        [Span("spikes   ", style: theme.dim), Span("t \(grouped(state.spikes(step: t)))", style: theme.spike),
         Span("  total \(grouped(totalSpikes))", style: theme.text)],
        [Span("syn ops  ", style: theme.dim), Span("t \(grouped(state.synapticOps(step: t)))", style: theme.text),
         Span("  total \(grouped(totalOps))", style: theme.text)],
        [Span("mapping to a target: not yet", style: theme.dim)],
    ]
    lines.append([Span(state.training.text, style: theme.dim)])
    Paragraph(spans: lines, glyphs: state.glyphs).render(inner, into: &buffer)
}

/// `formatValue`, except that positive values below 0.005 (which it rounds to "0") read "<0.01".
func formatSmall(_ v: Float) -> String {
    v > 0 && v < 0.005 ? "<0.01" : formatValue(v)
}

/// An integer with thousands separators ("12,345").
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

extension String {
    /// The text with the non-ASCII punctuation used in titles replaced ("·" → "-", "θ" → "th").
    var replacingDots: String {
        var out = ""
        for ch in self {
            switch ch {
            case "·": out.append("-")
            case "θ": out.append("th")
            default: out.append(ch)
            }
        }
        return out
    }

    /// `replacingDots` when `ascii` is true.
    func asciiIf(_ ascii: Bool) -> String { ascii ? replacingDots : self }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
