/// Spikes of `neurons` neurons over `steps` timesteps, bit-packed per neuron row.
///
/// Bit `t % 64` of word `t / 64` of a row is the spike at step t. Rows: N, words per row:
/// ceil(steps / 64). Memory: N·ceil(T/64)·8 bytes.
public struct SpikeMatrix: Equatable, Sendable {
    /// Number of neuron rows and timestep columns.
    public let neurons: Int, steps: Int
    /// Words per neuron row.
    public let wordsPerRow: Int
    /// Row-major packed bits, `words[n * wordsPerRow + t / 64]`.
    public private(set) var words: [UInt64]

    /// Creates an all-silent matrix.
    public init(neurons: Int, steps: Int) {
        (self.neurons, self.steps) = (max(0, neurons), max(0, steps))
        wordsPerRow = (self.steps + 63) / 64
        words = [UInt64](repeating: 0, count: self.neurons * wordsPerRow)
    }

    /// Creates a matrix from neurons × steps booleans; short rows count as silent.
    public init(_ rows: [[Bool]]) {
        self.init(neurons: rows.count, steps: rows.map(\.count).max() ?? 0)
        for (n, row) in rows.enumerated() {
            for (t, spike) in row.enumerated() where spike {
                words[n * wordsPerRow + t / 64] |= 1 << UInt64(t % 64)
            }
        }
    }

    /// Creates a matrix from packed rows (bit t%64 of word t/64); bits at or past `steps` are
    /// ignored, missing words count as silent.
    public init(bitRows: [[UInt64]], steps: Int) {
        self.init(neurons: bitRows.count, steps: steps)
        for (n, row) in bitRows.enumerated() {
            for w in 0..<min(row.count, wordsPerRow) { words[n * wordsPerRow + w] = row[w] }
            if self.steps % 64 != 0, wordsPerRow > 0 {
                words[n * wordsPerRow + wordsPerRow - 1] &= (1 << UInt64(self.steps % 64)) - 1
            }
        }
    }

    /// The spike of `neuron` at `step`; false outside the matrix, writes outside ignored.
    public subscript(neuron: Int, step: Int) -> Bool {
        get {
            guard neuron >= 0, neuron < neurons, step >= 0, step < steps else { return false }
            return words[neuron * wordsPerRow + step / 64] >> UInt64(step % 64) & 1 == 1
        }
        set {
            guard neuron >= 0, neuron < neurons, step >= 0, step < steps else { return }
            let bit: UInt64 = 1 << UInt64(step % 64)
            if newValue { words[neuron * wordsPerRow + step / 64] |= bit }
            else { words[neuron * wordsPerRow + step / 64] &= ~bit }
        }
    }
}
