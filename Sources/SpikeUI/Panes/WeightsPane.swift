// The weights pane: a learning layer's weights as they change (a session's [plasticity]).

import SpikeCore
import SpikeLearn
import SpikeSession
import SpikeTerm

/// The weights pane (shown when the session has a `[plasticity]` rule): the selected neuron's
/// incoming weights as an image (its receptive field), the histogram of all the layer's weights
/// between its bounds (watch it turn bimodal under STDP), and the rule's running state (R-STDP:
/// the dopamine level and the mean eligibility).
enum WeightsPane: PaneView {
    static let help = [
        "the learning layer's weights, redrawn as the rule changes them: the selected neuron's incoming",
        "weights as an image (its receptive field), the histogram of every weight between the rule's bounds,",
        "and for reward-modulated STDP the dopamine level and the mean eligibility.",
        "Stepping back shows earlier spikes but not earlier weights: learning is not rewound.",
    ]

    /// What the pane shows, computed from the state (so tests read the same numbers).
    struct Summary {
        var neuron: Int
        var field: [Float]
        var bins: [Int]
        var range: ClosedRange<Float>
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
        var s = Summary(neuron: neuron, field: Array(w[(neuron * inputs)..<((neuron + 1) * inputs)]), bins: bins, range: range,
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
        let inner = drawFrame(state, .weights, area, title: "Weights" + (settings.map { " · \($0.layer) · \($0.ruleName)" } ?? "") + behind, into: &buffer)
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
                [Span("released u·x at each spike (\(stp.releases.count) so far"
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
        let shape = state.workspace.session.model.inputShape
        let n = s.field.count
        let (h, w) = state.plasticity?.layer == 0 && shape.height * shape.width * shape.channels == n && shape.height > 1
            ? (shape.height, shape.width) : { let side = Int(Float(n).squareRoot().rounded(.up)); return ((n + side - 1) / max(side, 1), side) }()
        let span = max(s.range.upperBound - s.range.lowerBound, .leastNormalMagnitude)
        var pixels = s.field.prefix(h * w).map { ($0 - s.range.lowerBound) / span }
        pixels += [Float](repeating: 0, count: max(0, h * w - pixels.count))
        let histogramRows = 3
        let imageArea = Rect(x: inner.x, y: inner.y, width: min(inner.width, inner.width / 2), height: max(0, inner.height - histogramRows))
        let mode: ImageView.Mode = state.glyphs.isUnicode && theme.depth == .palette256 ? .halfBlock : .ramp
        let image = ImageView(pixels: pixels, width: w, height: h, mode: mode, style: theme.text, glyphs: state.glyphs)
        image.render(imageArea, into: &buffer)
        let used = Int(Float(w) * image.scale(for: imageArea))
        var lines: [[Span]] = [[Span("neuron \(s.neuron)", style: theme.title)],
                               [Span("w̄ \(formatValue(s.mean))", style: theme.text)],
                               [Span("\(formatValue(s.range.lowerBound))…\(formatValue(s.range.upperBound))", style: theme.dim)]]
        if let d = s.dopamine { lines.append([Span("dopamine \(formatValue(d))", style: theme.warning)]) }
        if let e = s.eligibility { lines.append([Span("eligibility \(formatValue(e))", style: theme.membrane[1 % theme.membrane.count])]) }
        let textArea = Rect(x: inner.x + min(inner.width, used + 2), y: inner.y, width: max(0, inner.width - used - 2), height: imageArea.height)
        Paragraph(spans: lines, glyphs: state.glyphs).render(textArea, into: &buffer)
        // R-STDP: dopamine and mean eligibility over the recent steps, under the numbers
        if let history = state.plasticity?.modulation, !history.isEmpty, textArea.height > lines.count + 2 {
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
}
