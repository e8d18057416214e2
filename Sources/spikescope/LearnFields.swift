// `learn --fields`: what the network learned, as text — each neuron's receptive field and its class.
import Foundation
import SpikeData
import SpikeLearn
import SpikeSession
import SpikeTerm

/// Every neuron's incoming weights drawn as a text image (SpikeTerm's `ImageView`, ramp
/// " .:-=+*#%@", each field scaled to its own largest weight), in rows of fields `cell` columns
/// wide, each captioned "#i → c" with the class it was assigned.
///
/// - weights: (neurons, height·width), row-major.
/// - columns: the width to fill (the terminal's).
func receptiveFieldsText(weights: [Float], neurons: Int, height: Int, width: Int, classes: [Int], columns: Int) -> String {
    let cell = 14, gap = 2
    let image = ImageView(pixels: [], width: width, height: height, mode: .ramp, glyphs: .ascii)
    let scale = image.scale(for: Rect(x: 0, y: 0, width: cell, height: cell / 2))
    let (w, h) = (max(1, Int(Float(width) * scale)), max(1, (Int(Float(height) * scale) + 1) / 2))
    let stride = max(w, 7) + gap, perRow = max(1, (columns + gap) / stride)
    let features = height * width
    var out: [String] = []
    for first in Swift.stride(from: 0, to: neurons, by: perRow) {
        let shown = min(perRow, neurons - first)
        var buffer = Buffer(width: shown * stride, height: h + 1)
        for k in 0..<shown {
            let i = first + k
            let field = Array(weights[(i * features)..<min(weights.count, (i + 1) * features)])
            let top = max(field.max() ?? 0, .leastNormalMagnitude)
            ImageView(pixels: field.map { $0 / top }, width: width, height: height, mode: .ramp, glyphs: .ascii)
                .render(Rect(x: k * stride, y: 0, width: w, height: h), into: &buffer)
            buffer.setString(x: k * stride, y: h, "#\(i) → \(i < classes.count ? String(classes[i]) : "?")",
                             style: .plain, clip: Rect(x: k * stride, y: h, width: stride - 1, height: 1), ellipsis: ".")
        }
        out += buffer.lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }
    return out.joined(separator: "\n")
}

extension Learn {
    /// Prints `net`'s receptive fields in the input's image shape (a flat input: padded with zeros
    /// to the smallest square), as wide as `COLUMNS` (else 100).
    func printFields(_ net: UnsupervisedNetwork, settings s: LearnSettings, data: Dataset, classes: [Int]) {
        let f = data.featureCount
        let (h, w): (Int, Int)
        if data.sampleShape.count == 3 && data.sampleShape[0] == 1 {
            (h, w) = (data.sampleShape[1], data.sampleShape[2])
        } else {
            let side = Int(Double(f).squareRoot().rounded(.up))
            (h, w) = ((f + side - 1) / max(side, 1), side)
        }
        let weights = net.weights
        var padded = [Float](repeating: 0, count: s.neurons * h * w)
        for i in 0..<s.neurons { for k in 0..<f { padded[i * h * w + k] = weights[i * f + k] } }
        print("\nreceptive fields (each neuron's weights from the \(h)x\(w) input, brightest = its largest weight; #neuron → class):")
        print(receptiveFieldsText(weights: padded, neurons: s.neurons, height: h, width: w, classes: classes,
                                  columns: Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100))
    }
}
