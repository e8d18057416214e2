// The input pane.

import SpikeCore
import SpikeData
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The input pane: its drawing.
enum InputPane: PaneView {
    static let help = [
        "the sample (image, label, prediction) or the stimulus current over time;",
        "event input: the frame of the current step (ON and OFF in two colours), its time window and counts.",
    ]

    /// The sample as an image with label and prediction; for a stimulus, the current over time.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme
        let inner = drawFrame(state, .input, area, title: "Input", into: &buffer)
        guard !inner.isEmpty else { return }
        let ws = state.workspace
        guard let dataset = ws.dataset else {
            let stim = ws.session.data.stimulus
            let t = max(1, state.cursor)
            let head = "stimulus I(t)=\(formatValue(stim.current(at: t))) on \(stim.onset)-\(stim.offset == Int.max ? "end" : String(stim.offset))"
            buffer.setString(x: inner.x, y: inner.y, head, style: theme.text, clip: inner, ellipsis: state.glyphs.ellipsis)
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
        let imageArea = inner.inset(right: min(inner.width, 16))
        let used: Int
        var lines: [[Span]] = [[Span("sample \(state.sample)", style: theme.text)]]
        if let view = ws.eventView(state.sample, timesteps: state.timesteps) {
            // Event input: the frame of the current step (the first before the run starts), ON and OFF in the theme's colours.
            let (c, h, w) = (view.frameShape[0], view.frameShape[1], view.frameShape[2]), plane = h * w
            let k = min(max(state.cursor, 1), view.timesteps) - 1, base = k * c * plane
            let on = Array(view.frames[base..<(base + plane)])
            let off = c == 2 ? Array(view.frames[(base + plane)..<(base + 2 * plane)]) : []
            let frame = EventFrameView(on: on, off: off, width: w, height: h, onStyle: theme.eventOn, offStyle: theme.eventOff,
                                       background: theme.canvas, colour: state.theme.depth != .none && state.glyphs.isUnicode, glyphs: state.glyphs)
            frame.render(imageArea, into: &buffer)
            used = Int(Float(w) * frame.scale(for: imageArea))
            let window = view.windows[k]
            lines.append([Span("frame \(k + 1)/\(view.timesteps)", style: theme.text)])
            lines.append([Span(String(format: "%.1f-%.1f ms", Double(window.start) / 1000, Double(window.end) / 1000), style: theme.dim)])
            lines.append([Span("on \(Int(on.reduce(0, +)))", style: theme.eventOn)]
                         + (c == 2 ? [Span(" off \(Int(off.reduce(0, +)))", style: theme.eventOff)] : []))
        } else {
            let shape = dataset.sampleShape
            let (h, w) = shape.count == 3 ? (shape[1], shape[2]) : (1, dataset.featureCount)
            let pixels = Array(ws.image(state.sample).prefix(h * w))
            let mode: ImageView.Mode = state.glyphs.isUnicode && state.theme.depth == .palette256 ? .halfBlock : .ramp
            let image = ImageView(pixels: pixels, width: w, height: h, mode: mode, style: theme.text, glyphs: state.glyphs)
            image.render(imageArea, into: &buffer)
            used = Int(Float(w) * image.scale(for: imageArea))
        }
        let textArea = inner.inset(left: min(inner.width, used + 2))
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
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
