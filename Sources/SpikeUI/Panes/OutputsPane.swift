// The outputs pane.

import SpikeCore
import SpikeData
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The outputs pane: its drawing.
enum OutputsPane: PaneView {
    static let help = [
        "the readout's softmax at the step shown and the running answer (the mean of",
        "the logits so far), the true label marked ▸. Compare mode (c): the same",
        "sample at T=1 and T=N, right (✓) or wrong (✗), their KL divergence, the",
        "per-step entropy (0 certain to ln K uniform) and the test accuracy by T.",
        "Spikes mode (v, rate models): the rate network's answer beside the spikes'",
        "running answer, and each shown neuron's measured rate against its soft-LIF rate.",
    ]

    /// Readout probabilities of the step shown and the running answer; or, in compare mode, the
    /// T=1 run against the T=N run with KL divergence and per-step entropy.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme
        let classes = state.recorder?.classes ?? 0
        var title = state.compareMode ? "Outputs · compare T=1 vs T=\(state.timesteps)" : "Outputs"
        if state.spikingMode && !state.compareMode { title = "Outputs · rates vs spikes" }
        if state.untrained { title += " · untrained: seeded weights" }
        // When the pane is too short for every class, the KL divergence moves into the title.
        let innerHeight = area.height - 2
        let klInTitle = state.compareMode && innerHeight < classes + 2
        if klInTitle, let c = state.compare { title += " · KL \(formatSmall(c.klDivergence))" }
        let inner = drawFrame(state, .outputs, area, title: title.asciiIf(!state.glyphs.isUnicode), into: &buffer)
        guard !inner.isEmpty else { return }
        guard classes > 0 else {
            Paragraph(["no readout layer in this model"], style: theme.dim, glyphs: state.glyphs).render(inner, into: &buffer)
            return
        }
        // The true label's row is marked.
        let label = state.workspace.label(state.sample)
        let mark = state.glyphs.isUnicode ? "▸" : ">"
        let labels = (0..<classes).map { ($0 == label ? mark : " ") + String($0) }
        func verdict(_ answer: Int) -> String {
            guard let label else { return "" }
            return answer == label ? (state.glyphs.isUnicode ? " ✓" : " ok") : (state.glyphs.isUnicode ? " ✗" : " x")
        }
        func bars(_ p: [Float], highlight: Int?) -> Bars {
            Bars(labels: labels, values: p, maximum: 1, highlight: highlight, labelStyle: theme.text,
                 barStyle: theme.bar, highlightStyle: theme.barHighlight, valueStyle: theme.dim,
                 valueText: { fixed(Double($0), 2) }, glyphs: state.glyphs)
        }
        let halves = inner.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
        if state.spikingMode && !state.compareMode, let ref = state.rateReference {
            let spikes = state.spikingAnswer
            let left = "rates: \(ref.top)\(verdict(ref.top)) p \(fixed(Double(ref.probabilities[ref.top]), 2))"
            let right = spikes.flatMap { p in argmax(p).map { "spikes, \(state.cursor) steps: \($0)\(verdict($0)) p \(fixed(Double(p[$0]), 2))" } }
                ?? "spikes: settling (\(state.spikesSettle) steps)"
            buffer.setString(x: halves[0].x, y: inner.y, left, style: theme.title, clip: halves[0], ellipsis: state.glyphs.ellipsis)
            buffer.setString(x: halves[2].x, y: inner.y, right, style: theme.title, clip: halves[2], ellipsis: state.glyphs.ellipsis)
            // The shown neurons' measured rates against the rate network's, below the bars when they fit.
            let lines = state.traces.compactMap { n in
                state.spikingRate(neuron: n).map { "n\(n) \(fixed(Double($0.measured), 0)) Hz measured, \(fixed(Double($0.predicted), 0)) Hz rate" }
            }
            let linesFit = inner.height - 1 >= classes + lines.count
            let barRows = max(0, inner.height - 1 - (linesFit ? lines.count : 0))
            let rows = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: barRows)
            let cols = rows.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
            bars(ref.probabilities, highlight: ref.top).render(cols[0], into: &buffer)
            if let spikes { bars(spikes, highlight: argmax(spikes)).render(cols[2], into: &buffer) }
            for (i, line) in lines.enumerated() where linesFit {
                buffer.setString(x: inner.x, y: inner.y + 1 + barRows + i, line, style: theme.dim, clip: inner,
                                 ellipsis: state.glyphs.ellipsis)
            }
            return
        }
        if state.compareMode {
            guard let c = state.compare else {
                Paragraph(["compare: no result"], style: theme.warning).render(inner, into: &buffer)
                return
            }
            let one = "T=1: \(c.topOne)\(verdict(c.topOne)) p \(fixed(Double(c.probabilitiesOne[c.topOne]), 2))"
            let many = "T=\(c.timesteps): \(c.topN)\(verdict(c.topN)) p \(fixed(Double(c.probabilitiesN[c.topN]), 2))"
            buffer.setString(x: halves[0].x, y: inner.y, one, style: theme.title, clip: halves[0], ellipsis: state.glyphs.ellipsis)
            buffer.setString(x: halves[2].x, y: inner.y, many, style: theme.title, clip: halves[2], ellipsis: state.glyphs.ellipsis)
            guard inner.height >= 2 else { return }
            var rows = inner.inset(top: 1)
            if !klInTitle {
                // Per-step entropy of the T=N run on a fixed scale: 0 (certain) to ln K (uniform).
                let maxEntropy = Float(logf(Float(classes)))
                let kl = "KL \(formatSmall(c.klDivergence))  H/step "
                let end = buffer.setString(x: inner.x, y: inner.y + 1, kl, style: theme.text, clip: inner, ellipsis: state.glyphs.ellipsis)
                let scale = " 0-\(fixed(Double(maxEntropy), 2)) nats"
                let sparkWidth = max(0, min(c.entropy.count, inner.maxX - end - scale.count))
                Sparkline(values: c.entropy, maximum: maxEntropy, style: theme.bar, glyphs: state.glyphs)
                    .render(Rect(x: end, y: inner.y + 1, width: sparkWidth, height: 1), into: &buffer)
                buffer.setString(x: end + sparkWidth, y: inner.y + 1, scale, style: theme.dim, clip: inner, ellipsis: state.glyphs.ellipsis)
                rows = inner.inset(top: 2)
            }
            if inner.height >= classes + 3 {
                let text: String
                if let a = state.accuracyByT {
                    text = "accuracy " + a.compactText + (a.samples > 0 ? " (n=\(grouped(a.samples)))" : "")
                } else if let problem = state.accuracyProblem {
                    text = "accuracy: " + problem
                } else {
                    text = state.accuracyPending || state.hasBackgroundWork ? "accuracy: computing..." : "accuracy: -"
                }
                buffer.setString(x: inner.x, y: inner.y + 2, text, style: theme.text, clip: inner, ellipsis: state.glyphs.ellipsis)
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
        let stepText = stepP.flatMap { p in argmax(p).map { "step \(t): \($0) p \(fixed(Double(p[$0]), 2))" } } ?? "step \(t): -"
        let answerText = answer.map { "answer: \($0) p \(fixed(Double(running?[$0] ?? 0), 2))" } ?? "answer: -"
        let wide = inner.width >= 40
        if wide {
            buffer.setString(x: halves[0].x, y: inner.y, stepText, style: theme.text, clip: halves[0], ellipsis: state.glyphs.ellipsis)
            buffer.setString(x: halves[2].x, y: inner.y, answerText, style: theme.title, clip: halves[2], ellipsis: state.glyphs.ellipsis)
            let rows = inner.inset(top: 1)
            let cols = rows.split(.horizontal, [.fill(1), .fixed(1), .fill(1)])
            bars(stepP ?? [], highlight: stepP.flatMap(argmax)).render(cols[0], into: &buffer)
            bars(running ?? [], highlight: answer).render(cols[2], into: &buffer)
        } else {
            buffer.setString(x: inner.x, y: inner.y, answerText + "  (" + stepText + ")", style: theme.title, clip: inner, ellipsis: state.glyphs.ellipsis)
            bars(stepP ?? [Float](repeating: 0, count: classes), highlight: answer)
                .render(inner.inset(top: 1), into: &buffer)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
