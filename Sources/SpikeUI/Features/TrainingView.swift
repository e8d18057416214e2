import SpikeTerm
import SpikeTrain
// The training view: progress, figures and live loss and accuracy curves of the run, drawn in
// the left column in place of the raster and membrane panes. Reads only the state.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A positive value as mantissa and power of ten with one decimal ("2.9e-3"); "-" otherwise.
func scientific(_ v: Double) -> String {
    guard v.isFinite, v > 0 else { return "-" }
    var e = Int(floor(log10(v)))
    var m = v / pow(10, Double(e))
    if (m * 10).rounded() >= 100 { m /= 10; e += 1 }
    return fixed(m, 1) + "e" + String(e)
}

/// Run description, progress bar, loss / accuracy / samples per second, the keys, then a loss
/// chart (per batch) above an accuracy chart (training accuracy per batch, test accuracy per epoch).
func drawTrainingView(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    let ascii = !state.glyphs.isUnicode
    let block = Block(title: "Training".asciiIf(ascii), focused: true, theme: theme, glyphs: state.glyphs)
    block.render(area, into: &buffer)
    let inner = block.inner(area)
    guard !inner.isEmpty else { return }
    guard let s = state.training.snapshot else {
        Paragraph(["nothing trained yet: T or :train [EPOCHS] starts a run"], style: theme.dim, glyphs: state.glyphs)
            .render(inner, into: &buffer)
        return
    }
    var lines: [[Span]] = [[Span(s.summary.asciiIf(ascii), style: theme.dim)]]
    // Progress: epoch, batch, a bar of the whole run, throughput.
    let fraction = s.fractionDone
    let barWidth = max(0, min(24, inner.width - 50))
    let filled = Int((Double(barWidth) * fraction).rounded())
    let bar = String(repeating: ascii ? "#" : "█", count: filled)
        + String(repeating: ascii ? "." : "░", count: barWidth - filled)
    let where_ = s.batchesPerEpoch > 0
        ? "epoch \(s.epoch + 1)/\(s.epochs)  batch \(s.batch + 1)/\(s.batchesPerEpoch)  " : "loading data  "
    var progress = [Span(where_, style: theme.title)]
    if barWidth > 0 { progress.append(Span(bar + " ", style: theme.bar)) }
    progress.append(Span("\(Int((100 * fraction).rounded()))%  ", style: theme.text))
    if s.samplesPerSecond > 0 { progress.append(Span("\(grouped(Int(s.samplesPerSecond.rounded()))) samples/s", style: theme.text)) }
    lines.append(progress)
    var figures = [Span("loss \(fixed(s.loss, 4))  train acc \(percent(s.accuracy))", style: theme.text)]
    if let t = s.testAccuracy.last { figures.append(Span("  test acc \(percent(t))", style: theme.barHighlight)) }
    if s.learningRate > 0 { figures.append(Span("  lr \(scientific(s.learningRate))", style: theme.dim)) }
    lines.append(figures)
    let stateLine: Span
    switch state.training {
    case .running(_, true): stateLine = Span("stopping after this batch...", style: theme.warning)
    case .running: stateLine = Span("x or T stops (the weights so far are used) · Esc hides this view".asciiIf(ascii), style: theme.dim)
    case .ended:
        if case .failed = s.outcome {
            stateLine = Span(state.training.text, style: theme.warning)
        } else {
            stateLine = Span(state.training.text + " · stepping uses them" + (state.weightsUnsaved ? " · :save NAME keeps them" : ""),
                             style: theme.title)
        }
    case .idle: stateLine = Span("", style: theme.dim)
    }
    lines.append([stateLine])
    let head = Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height, lines.count))
    Paragraph(spans: lines, glyphs: state.glyphs).render(head, into: &buffer)
    let charts = inner.inset(top: min(inner.height, lines.count + 1))
    guard charts.height >= 4 else { return }
    let halves = charts.split(.vertical, [.fill(1), .fill(1)])
    let dx = state.glyphs.braille ? 2 : 1
    // Loss per batch.
    buffer.setString(x: halves[0].x, y: halves[0].y, "loss per batch", style: theme.title, clip: halves[0])
    let lossArea = halves[0].inset(top: 1)
    let hi = max(s.lossCurve.points.filter(\.isFinite).max() ?? 1, 1e-3)
    let lossProbe = LineChart(series: [], yRange: 0...hi, glyphs: state.glyphs)
    let total = s.epochs * s.batchesPerEpoch
    let lossPoints = s.lossCurve.plotted(columns: lossProbe.plotArea(for: lossArea).width * dx, total: total)
    LineChart(series: [lossPoints], firstStep: 0, yRange: 0...hi, seriesStyles: [theme.membrane[0]],
              axisStyle: theme.axis, glyphs: state.glyphs).render(lossArea, into: &buffer)
    // Training accuracy per batch; test accuracy per epoch as steps under the batches of that epoch.
    var x = buffer.setString(x: halves[1].x, y: halves[1].y, "accuracy: ", style: theme.title, clip: halves[1])
    x = buffer.setString(x: x, y: halves[1].y, "train", style: theme.membrane[1], clip: halves[1])
    if !s.testAccuracy.isEmpty {
        x = buffer.setString(x: x, y: halves[1].y, "  test (per epoch)", style: theme.membrane[2], clip: halves[1])
    }
    let accArea = halves[1].inset(top: 1)
    let width = LineChart(series: [], yRange: 0...1, glyphs: state.glyphs).plotArea(for: accArea).width * dx
    let train = s.accuracyCurve.plotted(columns: width, total: total)
    var test = [Float](repeating: .nan, count: train.count)
    if s.batchesPerEpoch > 0, !s.testAccuracy.isEmpty {
        for i in test.indices {
            let batch = i * max(total, 1) / max(1, train.count)
            let epoch = batch / s.batchesPerEpoch
            if epoch < s.testAccuracy.count { test[i] = Float(s.testAccuracy[epoch]) }
        }
    }
    LineChart(series: [train, test], firstStep: 0, yRange: 0...1, seriesStyles: [theme.membrane[1], theme.membrane[2]],
              axisStyle: theme.axis, glyphs: state.glyphs).render(accArea, into: &buffer)
}
