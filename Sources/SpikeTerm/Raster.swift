/// A spike raster: rows are neurons (top = neuron 0), columns are timesteps (left = earliest).
///
/// Braille packs 2 steps × 4 neuron groups per cell (ASCII: 1 × 1, symbol `*`). When there
/// are more neurons than dot rows, consecutive neurons are grouped,
/// g = ceil(N / dotRows), and a dot means "some neuron of the group spiked at that step".
/// Steps shown: `firstStep` onward, or (nil) the most recent `dotColumns` steps.
/// The column holding `currentStep` is patched with `currentStyle`, the row holding
/// `highlightNeuron` with `highlightStyle` (the column wins where they cross).
public struct Raster: Widget {
    /// Spikes, neurons × steps.
    public var spikes: SpikeMatrix
    /// First step shown; nil shows the most recent steps.
    public var firstStep: Int?
    /// Step whose column is marked.
    public var currentStep: Int?
    /// Neuron whose row is highlighted.
    public var highlightNeuron: Int?
    /// Styles.
    public var style: Style, currentStyle: Style, highlightStyle: Style
    /// Characters.
    public var glyphs: Glyphs

    /// Creates a raster of a packed matrix.
    public init(spikes: SpikeMatrix, firstStep: Int? = nil, currentStep: Int? = nil,
                highlightNeuron: Int? = nil, style: Style = .plain,
                currentStyle: Style = Style(reverse: true),
                highlightStyle: Style = Style(underline: true), glyphs: Glyphs = .unicode) {
        (self.spikes, self.firstStep, self.currentStep) = (spikes, firstStep, currentStep)
        (self.highlightNeuron, self.style) = (highlightNeuron, style)
        (self.currentStyle, self.highlightStyle, self.glyphs) = (currentStyle, highlightStyle, glyphs)
    }

    /// Creates a raster of neurons × steps booleans.
    public init(spikes: [[Bool]], firstStep: Int? = nil, currentStep: Int? = nil,
                highlightNeuron: Int? = nil, style: Style = .plain, glyphs: Glyphs = .unicode) {
        self.init(spikes: SpikeMatrix(spikes), firstStep: firstStep, currentStep: currentStep,
                  highlightNeuron: highlightNeuron, style: style, glyphs: glyphs)
    }

    /// Neurons per dot row for `neurons` neurons in `rows` cell rows: ceil(N / dotRows), ≥ 1.
    public static func groupSize(neurons: Int, rows: Int, braille: Bool) -> Int {
        let dotRows = rows * (braille ? 4 : 1)
        guard dotRows > 0, neurons > dotRows else { return 1 }
        return (neurons + dotRows - 1) / dotRows
    }

    /// Neurons per dot row in `area` (for a title like "layer 2 (4 neurons/dot)").
    public func groupSize(for area: Rect) -> Int {
        Raster.groupSize(neurons: spikes.neurons, rows: area.height, braille: glyphs.braille)
    }

    /// The steps shown in `area`.
    public func visibleSteps(for area: Rect) -> Range<Int> {
        let window = area.width * (glyphs.braille ? 2 : 1)
        let first = max(0, firstStep ?? (spikes.steps - window))
        return first..<max(first, min(spikes.steps, first + window))
    }

    /// Draws the raster over all of `area` (empty cells become spaces).
    public func render(_ area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        var canvas = DotCanvas(columns: area.width, rows: area.height, braille: glyphs.braille)
        let g = groupSize(for: area)
        let steps = visibleSteps(for: area)
        let wpr = spikes.wordsPerRow
        if !steps.isEmpty {
            let w0 = steps.lowerBound / 64, w1 = (steps.upperBound - 1) / 64
            var merged = [UInt64](repeating: 0, count: w1 - w0 + 1)   // one group's OR, scratch
            for r in 0..<canvas.dotHeight {
                let n0 = r * g
                guard n0 < spikes.neurons else { break }
                for w in merged.indices { merged[w] = 0 }
                for n in n0..<min(n0 + g, spikes.neurons) {
                    for w in w0...w1 { merged[w - w0] |= spikes.words[n * wpr + w] }
                }
                for t in steps where merged[t / 64 - w0] >> UInt64(t % 64) & 1 == 1 {
                    canvas.set(x: t - steps.lowerBound, y: r)
                }
            }
        }
        canvas.render(x: area.x, y: area.y, into: &buffer, styles: [style], symbols: ["*"],
                      empty: style)
        let (dx, dy) = canvas.dotsPerCell
        if let n = highlightNeuron, n >= 0, n < spikes.neurons {
            let row = n / g / dy
            if row < area.height {
                buffer.patchStyle(Rect(x: area.x, y: area.y + row, width: area.width, height: 1),
                                  highlightStyle)
            }
        }
        if let t = currentStep, steps.contains(t) {
            let column = (t - steps.lowerBound) / dx
            buffer.patchStyle(Rect(x: area.x + column, y: area.y, width: 1, height: area.height),
                              currentStyle)
        }
    }
}
