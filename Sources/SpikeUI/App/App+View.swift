import SpikeTerm
import SpikeTrain
/// Where each pane sits for a terminal size: the panes of `arrangement`, column by column, with
/// a message line and the status bar at the bottom.
public struct AppLayout: Equatable, Sendable {
    /// The smallest terminal the workbench draws its panes in.
    public static let minimum = Size(width: 60, height: 18)

    /// The panes' places: columns left to right, each with its width and its panes top to
    /// bottom with their height weights. Adding a pane is one entry here.
    static let arrangement: [(width: LayoutSize, panes: [(Pane, weight: Int)])] = [
        (.ratio(3, 5), [(.raster, 3), (.membrane, 2)]),
        (.fill(1), [(.outputs, 2), (.input, 1), (.hardware, 1)]),
    ]

    /// With a learning rule (a session's `[plasticity]`), the weights pane joins the first column.
    static let learningArrangement: [(width: LayoutSize, panes: [(Pane, weight: Int)])] = [
        (.ratio(3, 5), [(.raster, 3), (.membrane, 2), (.weights, 3)]),
        (.fill(1), [(.outputs, 2), (.input, 1), (.hardware, 1)]),
    ]

    /// On short terminals (under 30 rows) the outputs pane takes more of its column, so that a
    /// 10-class readout keeps every class in view.
    static let shortArrangement: [(width: LayoutSize, panes: [(Pane, weight: Int)])] = [
        (.ratio(3, 5), [(.raster, 3), (.membrane, 2)]),
        (.fill(1), [(.outputs, 3), (.input, 1), (.hardware, 1)]),
    ]

    /// The terminal size laid out.
    public let size: Size
    /// True when the terminal is below `minimum` (only a message is drawn).
    public let tooSmall: Bool
    /// Each pane with its rectangle, in arrangement order.
    public let panes: [(pane: Pane, area: Rect)]
    /// The columns' rectangles.
    public let columns: [Rect]
    /// Everything above the message line (where a zoomed pane goes).
    public let main: Rect
    /// The message / command line and the status bar (one row each).
    public let message: Rect, status: Rect

    /// Lays out `size`; `learning` adds the weights pane.
    public init(size: Size, learning: Bool = false) {
        self.size = size
        tooSmall = size.width < AppLayout.minimum.width || size.height < AppLayout.minimum.height
        let main = Rect(x: 0, y: 0, width: size.width, height: max(0, size.height - 2))
        self.main = main
        message = Rect(x: 0, y: max(0, size.height - 2), width: size.width, height: size.height >= 2 ? 1 : 0)
        status = Rect(x: 0, y: max(0, size.height - 1), width: size.width, height: size.height >= 1 ? 1 : 0)
        let arrangement = learning ? AppLayout.learningArrangement
            : size.height < 30 ? AppLayout.shortArrangement : AppLayout.arrangement
        columns = main.split(.horizontal, arrangement.map(\.width))
        var panes: [(Pane, Rect)] = []
        for (column, entry) in zip(columns, arrangement) {
            let rows = column.split(.vertical, entry.panes.map { .fill($0.weight) })
            panes += zip(entry.panes.map(\.0), rows).map { ($0, $1) }
        }
        self.panes = panes
    }

    public static func == (a: AppLayout, b: AppLayout) -> Bool { a.size == b.size }

    /// The training view's place: the first column (where the raster and membrane panes sit).
    public var training: Rect { columns.first ?? .zero }

    /// The rectangle of `pane` (empty when the arrangement leaves it out).
    public subscript(pane: Pane) -> Rect { panes.first { $0.pane == pane }?.area ?? .zero }

    /// The raster plot inside the raster pane (above the population-rate sparkline).
    public var rasterPlot: Rect { RasterPane.plot(in: self[.raster]) }
}

/// The columns left of the raster and membrane plots (row labels, y labels and the axis), the
/// same in both so that a step sits in the same column of each.
let stepGutter = 6

/// The step axis under a plot: step numbers at their columns, as many as fit one space apart.
func drawStepAxis(_ window: StepWindow, dotsPerCell dx: Int, plotX: Int, row: Rect, style: Style, into buffer: inout Buffer) {
    guard !row.isEmpty, window.count > 0 else { return }
    let last = window.first + window.count - 1
    let digits = String(last).count
    let cellsPerStep = Double(window.stretch) / Double(dx)
    var every = 1
    for k in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] {
        every = k
        if Double(k) * cellsPerStep >= Double(digits + 1) { break }
    }
    var end = row.x
    var s = window.first == 1 ? 1 : ((window.first + every - 1) / every) * every
    while s <= last {
        let x = plotX + window.column(of: s) / dx
        let text = String(s)
        if x >= end, x + text.count <= row.maxX {
            end = buffer.setString(x: x, y: row.y, text, style: style, clip: row) + 1
        }
        s = s == 1 && every > 1 ? every : s + every
    }
    if row.width > stepGutter { buffer.setString(x: row.x, y: row.y, "step", style: style, clip: Rect(x: row.x, y: row.y, width: stepGutter - 1, height: 1)) }
}

/// Which steps a plot shows and how many dot columns each step takes.
///
/// Steps 1...max(T, cursor) when they fit in `dotWidth` dot columns, each stretched to
/// k = min(16, dotWidth / span) columns (a spike fills k−1 of them, leaving a gap); else the
/// most recent `dotWidth` steps up to the cursor, one column each.
public struct StepWindow: Equatable, Sendable {
    /// First step shown (≥ 1) and number of steps.
    public let first: Int, count: Int
    /// Dot columns per step.
    public let stretch: Int

    /// The window for a plot `dotWidth` dots wide.
    public init(timesteps: Int, cursor: Int, dotWidth: Int) {
        let span = max(timesteps, cursor, 1)
        if span <= dotWidth {
            (first, count, stretch) = (1, span, min(16, max(1, dotWidth / span)))
        } else {
            (first, count, stretch) = (max(1, cursor - dotWidth + 1), max(0, dotWidth), 1)
        }
    }

    /// Dot columns a spike fills within its step.
    public var filled: Int { stretch >= 2 ? stretch - 1 : 1 }
    /// Dot column where step `s` starts.
    public func column(of s: Int) -> Int { (s - first) * stretch }
    /// True when step `s` is in the window.
    public func contains(_ s: Int) -> Bool { s >= first && s < first + count }
}

/// Draws the whole workbench for `state` into `buffer` (sized to the terminal); reads only `state`.
public func view(_ state: AppState, into buffer: inout Buffer) {
    let theme = state.theme
    buffer.reset(fill: Cell(" ", style: theme.text))
    let layout = state.layout(for: Size(width: buffer.width, height: buffer.height))
    if layout.tooSmall {
        drawTooSmall(state, into: &buffer)
        return
    }
    if state.zoomed {
        state.focus.view.draw(state, layout.main, into: &buffer)
    } else {
        for (pane, area) in layout.panes where !(state.showTraining && layout.training.contains(area)) {
            pane.view.draw(state, area, into: &buffer)
        }
        if state.showTraining { drawTrainingView(state, layout.training, into: &buffer) }
    }
    drawMessageLine(state, layout.message, into: &buffer)
    drawStatusBar(state, layout.status, into: &buffer)
    if state.showHelp { drawHelp(state, into: &buffer) }
    buffer.paint(canvas: state.theme.canvas)
}

/// The pane's border and title; returns the area inside.
func drawFrame(_ state: AppState, _ pane: Pane, _ area: Rect, title: String, into buffer: inout Buffer) -> Rect {
    let block = Block(title: title, focused: state.focus == pane, theme: state.theme, glyphs: state.glyphs)
    block.render(area, into: &buffer)
    return block.inner(area)
}

private func drawTooSmall(_ state: AppState, into buffer: inout Buffer) {
    let w = buffer.width, h = buffer.height
    let min = AppLayout.minimum
    let lines = ["Terminal too small (\(w)x\(h)).", "Please enlarge it to at least \(min.width)x\(min.height).",
                 "q quits."]
    let top = max(0, (h - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        let x = max(0, (w - line.count) / 2)
        buffer.setString(x: x, y: top + i, line, style: i == 0 ? state.theme.warning : state.theme.text)
    }
}

private func drawMessageLine(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    if let question = state.confirmation {
        Paragraph([question.question], style: theme.warning, glyphs: state.glyphs).render(area, into: &buffer)
    } else if let text = state.commandLine {
        // The text with the cursor cell in reverse video; a long line scrolls to keep the cursor in view.
        let cursor = state.commandEditor.cursor, width = max(1, area.width - 1)
        let first = max(0, cursor + 1 - width)
        let shown = Array(":" + text + " ")
        for (k, ch) in shown.dropFirst(first).prefix(width + 1).enumerated() where area.x + k < area.maxX {
            let style = first + k == cursor + 1 ? theme.text.patched(with: Style(reverse: true)) : theme.text
            buffer.set(area.x + k, area.y, ch, style)
        }
    } else if let m = state.message {
        Paragraph([m.text], style: m.isError ? theme.warning : theme.text, glyphs: state.glyphs)
            .render(area, into: &buffer)
    } else if let note = state.currentNote {
        Paragraph(spans: [[Span("note (step \(note.step)): ", style: theme.title), Span(note.text, style: theme.text)]],
                  glyphs: state.glyphs).render(area, into: &buffer)
    } else if !state.workspace.session.notes.isEmpty {
        Paragraph(["guided tour: press n to take the first step"], style: theme.dim, glyphs: state.glyphs)
            .render(area, into: &buffer)
    }
}

private func drawStatusBar(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
    let theme = state.theme
    buffer.fill(area, with: Cell(" ", style: theme.status))
    let sep = state.glyphs.isUnicode ? " │ " : " | "
    var parts = ["t \(state.cursor)/\(state.timesteps)"]
    var sample = "sample \(state.sample)"
    if let label = state.workspace.label(state.sample) { sample += " label \(label)" }
    parts.append(sample)
    if let p = state.prediction { parts.append("pred \(p)") }
    parts.append((state.running ? "running" : "paused") + (state.throughSamples ? " through samples" : ""))
    parts.append("\(state.speed) steps/s")
    if state.compareMode { parts.append("compare") }
    if state.spikingMode { parts.append("as spikes") }
    if case let .running(s, _) = state.training {
        parts.append(s.batchesPerEpoch > 0 ? "training \(s.epoch + 1)/\(s.epochs)" : "training")
    } else if state.weightsUnsaved {
        parts.append("trained (unsaved)")
    }
    parts.append(state.theme.name)
    // Hints on the right; `? help` and `q quit` always stay, the others go first when narrow,
    // and the left part is cut with an ellipsis to make room.
    let optional: [(String, String)] = state.atEnd
        ? [("]", "next"), ("t", "T"), ("r", "replay"), (":", "cmd")]
        : [("space", "run"), ("n/b", "step"), (":", "cmd")]
    let always: [(String, String)] = [("?", "help"), ("q", "quit")]
    func width(_ h: [(String, String)]) -> Int { h.reduce(0) { $0 + $1.0.count + $1.1.count + 2 } }
    let left = " " + parts.joined(separator: sep)
    var hints = optional + always
    while width(hints) + min(left.count, 24) + 1 > area.width, hints.count > always.count { hints.removeFirst() }
    let hintWidth = width(hints)
    let leftArea = Rect(x: area.x, y: area.y, width: max(0, area.width - hintWidth - 1), height: 1)
    let shown = left.count > leftArea.width && leftArea.width > 1
        ? String(left.prefix(leftArea.width - 1)) + String(state.glyphs.ellipsis) : left
    _ = buffer.setString(x: area.x, y: area.y, shown, style: theme.status, clip: leftArea)
    var x = area.maxX - hintWidth
    for (key, action) in hints {
        x = buffer.setString(x: x, y: area.y, key, style: theme.statusKey, clip: area)
        x = buffer.setString(x: x, y: area.y, " " + action + " ", style: theme.status, clip: area)
    }
}


extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
