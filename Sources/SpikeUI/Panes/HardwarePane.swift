// The hardware pane.

import SpikeCore
import SpikeData
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The hardware pane: its drawing.
enum HardwarePane: PaneView {
    /// Network size, spikes and synaptic operations (spikes × fan-out) at the step shown and in
    /// total; one line on training.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
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
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
