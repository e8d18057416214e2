// The weights pane: a learning layer's weights as they change (a session's [plasticity]).

import SpikeCore
import SpikeLearn
import SpikeSession
import SpikeTerm

/// The weights pane (shown when the session has a `[plasticity]` rule): the selected neuron's
/// incoming weights as an image (its receptive field), the histogram of all the layer's weights
/// between its bounds (watch it turn bimodal under STDP), and the rule's running state (R-STDP:
/// the dopamine level and the mean eligibility). When the layer has more than one neuron (and no
/// reward traces to draw), every neuron's field is also drawn as a thumbnail (one cell per pixel column),
/// the selected one marked: the whole layer learning at once, as Diehl & Cook's weight grids show it.
enum WeightsPane: PaneView {
    static let help = [
        "the learning layer's weights, redrawn as the rule changes them: the selected neuron's incoming",
        "weights as an image (its receptive field), the histogram of every weight between the rule's bounds,",
        "and for reward-modulated STDP the dopamine level and the mean eligibility. With several neurons, every",
        "neuron's field is drawn small beside the numbers as room allows, the selected one marked (j/k).",
        "Fields are grey from the lower bound (black) to the largest weight now (white): 'scale'.",
        "Stepping back shows earlier spikes but not earlier weights: learning is not rewound.",
    ]

    /// What the pane shows, computed from the state (so tests read the same numbers).
    struct Summary {
        var neuron: Int
        /// Neurons of the learning layer (each has a field of `field.count` weights).
        var outputs: Int
        /// The fields' image shape (rows, columns): the input's when the layer reads an image input, else the squarest.
        var shape: (height: Int, width: Int)
        var field: [Float]
        var bins: [Int]
        /// The rule's bounds: the histogram's axis.
        var range: ClosedRange<Float>
        /// The fields' grey scale: the lower bound (black) to the largest weight now (white), so a
        /// layer whose weights stay well below w_max (a fixed sum per neuron) still shows its shapes.
        var imageRange: ClosedRange<Float>
        var mean: Float
        var dopamine: Float?, eligibility: Float?
        /// Short-term plasticity: synapse 0's x, u and what it released at each spike so far.
        var shortTerm: (x: Float, u: Float, releases: [Float])?
    }

    /// The summary for `state`, nil without a learning rule.
    static func summary(_ state: AppState, bins count: Int = 20) -> Summary? {
        guard let p = state.plasticity, let settings = state.workspace.session.plasticity else { return nil }
        let w = p.weights
        let outputs = state.sim.network.spec.layers.indices.contains(p.layer)
            ? state.sim.network.spec.layers[p.layer].kind.denseOutputs ?? 1 : 1
        let inputs = w.count / max(outputs, 1)
        let shown = state.recorder?.layers.indices.contains(state.layer) == true && state.recorder?.layers[state.layer].name == settings.layer
        let neuron = shown ? min(state.neuron, outputs - 1) : 0
        let range: ClosedRange<Float>
        switch settings.rule {
        case .stdp(let q): range = q.wMin...q.wMax
        case .rewardSTDP(let q): range = q.wMin...q.wMax
        case .vdsp: range = 0...1
        case .shortTerm: range = min(0, p.base.min() ?? 0)...max(p.base.max() ?? 1, .leastNormalMagnitude)
        }
        var bins = [Int](repeating: 0, count: max(1, count))
        let span = max(range.upperBound - range.lowerBound, .leastNormalMagnitude)
        for x in w {
            let k = Int((x - range.lowerBound) / span * Float(bins.count))
            bins[min(max(k, 0), bins.count - 1)] += 1
        }
        let input = state.workspace.session.model.inputShape
        let isImage = p.layer == 0 && input.height * input.width * input.channels == inputs && input.height > 1
        let side = Int(Float(inputs).squareRoot().rounded(.up))
        let shape = isImage ? (input.height, input.width) : ((inputs + side - 1) / max(side, 1), side)
        var s = Summary(neuron: neuron, outputs: outputs, shape: shape,
                        field: Array(w[(neuron * inputs)..<((neuron + 1) * inputs)]), bins: bins, range: range,
                        imageRange: range.lowerBound...max(w.max() ?? range.upperBound, range.lowerBound + .leastNormalMagnitude),
                        mean: w.isEmpty ? 0 : w.reduce(0, +) / Float(w.count))
        if case .shortTerm(let r) = p.rule, !r.x.isEmpty { s.shortTerm = (r.x[0], r.u[0], p.releases) }
        if case .reward(let r) = p.rule {
            s.dopamine = r.dopamine
            s.eligibility = r.eligibility.isEmpty ? 0 : r.eligibility.reduce(0, +) / Float(r.eligibility.count)
        }
        return s
    }

    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme
        let settings = state.workspace.session.plasticity
        // stepping back shows older recorded steps; the learned weights stay those of the newest step
        let behind = state.cursor < state.sim.t ? " · as at step \(state.sim.t) (not rewound)" : ""
        let title = "Weights" + (settings.map { " · \($0.layer) · \($0.ruleName)" } ?? "") + behind
        let inner = drawFrame(state, .weights, area, title: title.asciiIf(!state.glyphs.isUnicode), into: &buffer)
        guard !inner.isEmpty else { return }
        guard let s = summary(state, bins: max(4, inner.width - 2)) else {
            buffer.setString(x: inner.x, y: inner.y, "no learning rule in this session ([plasticity])", style: theme.dim, clip: inner, ellipsis: state.glyphs.ellipsis)
            return
        }
        if let stp = s.shortTerm {
            // the synapse of input 0: its resources and utilisation now, and each spike's release
            let lines: [[Span]] = [
                [Span("input 0's synapse  ", style: theme.title), Span("x \(formatValue(stp.x))  ", style: theme.text),
                 Span("u \(formatValue(stp.u))", style: theme.text)],
                [Span("released u\(state.glyphs.isUnicode ? "·" : "*")x at each spike (\(stp.releases.count) so far"
                      + (stp.releases.last.map { ", last \(formatValue($0))" } ?? "") + "):", style: theme.dim)],
            ]
            Paragraph(spans: lines, glyphs: state.glyphs).render(Rect(x: inner.x, y: inner.y, width: inner.width, height: min(2, inner.height)), into: &buffer)
            let top = max(stp.releases.max() ?? 1, .leastNormalMagnitude)
            let bars = Array(stp.releases.suffix(max(1, inner.width)))
            let rows = max(0, inner.height - 2)
            for row in 0..<rows {
                let level = rows - 1 - row
                let values = bars.map { max(0, min(1, $0 / top * Float(rows) - Float(level))) }
                Sparkline(values: values, maximum: 1, style: theme.membrane[0], glyphs: state.glyphs)
                    .render(Rect(x: inner.x, y: inner.y + 2 + row, width: min(inner.width, values.count), height: 1), into: &buffer)
            }
            return
        }
        // the receptive field: the input's image shape when the layer reads the input, else a square
        let (h, w) = s.shape
        let span = max(s.imageRange.upperBound - s.imageRange.lowerBound, .leastNormalMagnitude)
        func scaled(_ field: ArraySlice<Float>) -> [Float] {
            var pixels = field.prefix(h * w).map { ($0 - s.imageRange.lowerBound) / span }
            pixels += [Float](repeating: 0, count: max(0, h * w - pixels.count))
            return pixels
        }
        let pixels = scaled(s.field[...])
        let histogramRows = 3
        let imageArea = Rect(x: inner.x, y: inner.y, width: min(inner.width, inner.width / 2), height: max(0, inner.height - histogramRows))
        let mode: ImageView.Mode = state.glyphs.isUnicode && theme.depth == .palette256 ? .halfBlock : .ramp
        let image = ImageView(pixels: pixels, width: w, height: h, mode: mode, style: theme.text, glyphs: state.glyphs)
        image.render(imageArea, into: &buffer)
        let used = Int(Float(w) * image.scale(for: imageArea))
        var lines: [[Span]] = [[Span("neuron \(s.neuron)", style: theme.title)],
                               [Span((state.glyphs.isUnicode ? "w̄ " : "mean w ") + formatValue(s.mean), style: theme.text)],
                               [Span("scale \(formatValue(s.imageRange.lowerBound))\(state.glyphs.isUnicode ? "…" : "..")\(formatValue(s.imageRange.upperBound))", style: theme.dim)]]
        if let d = s.dopamine { lines.append([Span("dopamine \(formatValue(d))", style: theme.warning)]) }
        if let e = s.eligibility { lines.append([Span("eligibility \(formatValue(e))", style: theme.membrane[1 % theme.membrane.count])]) }
        let textArea = Rect(x: inner.x + min(inner.width, used + 2), y: inner.y, width: max(0, inner.width - used - 2), height: imageArea.height)
        let history = state.plasticity?.modulation ?? []
        if history.isEmpty, s.outputs > 1, let weights = state.plasticity?.weights {
            // every neuron's field, small, under one line of numbers (the selected one marked)
            let area = Rect(x: textArea.x, y: textArea.y + 1, width: textArea.width, height: max(0, textArea.height - 1))
            let grid = thumbnailGrid(outputs: s.outputs, height: h, width: w, area: area, selected: s.neuron)
            var header = lines.flatMap { [Span("  ")] + $0 }.dropFirst()
            if !grid.shown.isEmpty {
                header.append(Span(grid.shown.count == s.outputs ? "  all \(s.outputs) fields:"
                                   : "  fields \(grid.shown.lowerBound)-\(grid.shown.upperBound - 1) of \(s.outputs):", style: theme.dim))
            }
            Paragraph(spans: [Array(header)], glyphs: state.glyphs).render(Rect(x: textArea.x, y: textArea.y, width: textArea.width, height: min(1, textArea.height)), into: &buffer)
            let inputs = weights.count / s.outputs
            for (k, cell) in zip(grid.shown, grid.cells) {
                if k == s.neuron { buffer.setString(x: cell.x - 1, y: cell.y, state.glyphs.isUnicode ? "▸" : ">", style: theme.title, clip: area) }
                ImageView(pixels: scaled(weights[(k * inputs)..<((k + 1) * inputs)]), width: w, height: h, mode: mode, style: theme.text, glyphs: state.glyphs)
                    .render(cell, into: &buffer)
            }
        } else {
            Paragraph(spans: lines, glyphs: state.glyphs).render(textArea, into: &buffer)
        }
        // R-STDP: dopamine and mean eligibility over the recent steps, under the numbers
        if !history.isEmpty, textArea.height > lines.count + 2 {
            let chart = Rect(x: textArea.x, y: textArea.y + lines.count + 1, width: textArea.width, height: textArea.height - lines.count - 1)
            let recent = history.suffix(max(1, chart.width * (state.glyphs.braille ? 2 : 1)))
            let d = recent.map(\.dopamine), e = recent.map(\.eligibility)
            let lo = min(d.min() ?? 0, e.min() ?? 0), hi = max(d.max() ?? 1, e.max() ?? 1, lo + 1e-6)
            LineChart(series: [d, e], firstStep: 0, yRange: lo...hi,
                      seriesStyles: [theme.warning, theme.membrane[1 % theme.membrane.count]], axisStyle: theme.axis, glyphs: state.glyphs)
                .render(chart, into: &buffer)
        }
        // the histogram of every weight, w_min at the left
        let histY = inner.y + inner.height - histogramRows
        guard histY >= inner.y, inner.height >= histogramRows else { return }
        let top = Float(s.bins.max() ?? 1)
        for row in 0..<(histogramRows - 1) {
            // two rows of eighth blocks: the lower row fills first
            let level = (histogramRows - 2 - row)
            let values = s.bins.map { max(0, min(1, Float($0) / max(top, 1) * Float(histogramRows - 1) - Float(level))) }
            Sparkline(values: values, maximum: 1, style: theme.membrane[0], glyphs: state.glyphs)
                .render(Rect(x: inner.x, y: histY + row, width: min(inner.width, values.count), height: 1), into: &buffer)
        }
        buffer.setString(x: inner.x, y: histY + histogramRows - 1,
                         "histogram of \(state.plasticity?.weights.count ?? 0) weights, \(formatValue(s.range.lowerBound)) to \(formatValue(s.range.upperBound))",
                         style: theme.dim, clip: inner, ellipsis: state.glyphs.ellipsis)
    }

    /// Where the thumbnails go in `area`: cells of `width` columns and ⌈height/2⌉ rows (one cell per
    /// pixel column, two pixel rows per cell: a field at its own size), each after one column for
    /// the selection mark, rows touching (a field's edge is its input's border, mostly unlearned and
    /// dark); as many neurons as fit, the page of them that holds `selected`.
    static func thumbnailGrid(outputs: Int, height: Int, width: Int, area: Rect, selected: Int) -> (shown: Range<Int>, cells: [Rect]) {
        let rows = (height + 1) / 2
        guard outputs > 0, width > 0, rows > 0 else { return (0..<0, []) }
        let across = area.width / (width + 1), down = area.height / rows
        let page = across * down
        guard page > 0 else { return (0..<0, []) }
        let first = (min(max(selected, 0), outputs - 1) / page) * page
        let shown = first..<min(outputs, first + page)
        let cells = shown.map { k -> Rect in
            let i = k - first
            return Rect(x: area.x + 1 + (i % across) * (width + 1), y: area.y + (i / across) * rows, width: width, height: rows)
        }
        return (shown, cells)
    }
}
