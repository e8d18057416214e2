// The workbench running a session's learning rule: weights change as it steps, the weights pane
// shows them, and the teaching sessions do what their comments promise.
import Foundation
import SpikeCore
import SpikeSession
import SpikeTerm
import Testing
@testable import SpikeUI

private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private func app(_ name: String) throws -> AppState {
    try AppState(workspace: try Workspace(path: repoRoot + "/sessions/\(name).toml"), theme: .dark, size: Size(width: 120, height: 40))
}

private func text(_ state: AppState) -> String {
    var buffer = Buffer(width: state.size.width, height: state.size.height)
    view(state, into: &buffer)
    return buffer.lines.joined(separator: "\n")
}

@Test func songAbbottSessionLearnsAsItStepsAndTheWeightsPaneShowsIt() throws {
    var a = try app("song-abbott")
    let p = try #require(a.plasticity)
    #expect(a.layout(for: a.size)[.weights] != .zero)
    #expect(p.weights.allSatisfy { $0 == 0.05 })
    let before = try #require(WeightsPane.summary(a))
    #expect(before.bins.reduce(0, +) == 1000 && before.bins.filter { $0 > 0 }.count == 1)     // one pile in the middle
    for _ in 0..<3000 { a.stepForward() }
    let w = try #require(a.plasticity).weights
    #expect(w == a.sim.network.parameters[0].weight)                  // the stepping network uses what was learned
    #expect(w.contains { $0 != 0.05 } && w.allSatisfy { $0 >= 0 && $0 <= 0.1 })
    let after = try #require(WeightsPane.summary(a))
    #expect(after.bins.filter { $0 > 0 }.count > 1)                   // spread out
    let screen = text(a)
    #expect(screen.contains("Weights · post · stdp") && screen.contains("histogram of 1000 weights, 0 to 0.1"), "\(screen)")
    // stepping back shows earlier spikes; the pane says its weights are the newest step's
    #expect(!screen.contains("not rewound"))
    a.stepBack()
    #expect(text(a).contains("as at step 3000 (not rewound)") && a.plasticity?.weights == w)
    a.stepForward()
    #expect(!text(a).contains("not rewound"))
    // a reset starts the presentation again with the weights learned so far; so does a new T
    a.reset()
    #expect(a.plasticity?.weights == w && a.sim.network.parameters[0].weight == w)
    try a.setTimesteps(2000)
    #expect(a.plasticity?.weights == w)
    // Tab reaches the weights pane
    var seen: Set<Pane> = []
    for _ in 0..<Pane.allCases.count { a.cycleFocus(by: 1); seen.insert(a.focus) }
    #expect(seen.contains(.weights))
}

@Test func rewardModulatedSessionChangesWeightsOnlyAfterReward() throws {
    var a = try app("r-stdp")
    let start = try #require(a.plasticity).weights
    for _ in 0..<1499 { a.stepForward() }
    let s = try #require(WeightsPane.summary(a))
    #expect(a.plasticity?.weights == start)                            // pairings so far: eligibility only
    #expect(try #require(s.eligibility) > 0 && s.dopamine == 0)        // causal pairings dominate (see the session)
    for _ in 0..<100 { a.stepForward() }
    let s2 = try #require(WeightsPane.summary(a))
    #expect(a.plasticity?.weights != start)                            // the reward at step 1500 turned eligibility into change
    #expect(try #require(s2.dopamine) > 0)
    #expect(s2.mean > s.mean)                                           // and the weights grew
    #expect(text(a).contains("dopamine"))
    // the pane's traces: dopamine and mean eligibility of every step so far
    let history = try #require(a.plasticity).modulation
    #expect(history.count == 1599 && history[1498].dopamine == 0 && history[1499].dopamine > 0)
}

@Test func aSessionWithoutPlasticityHasNoWeightsPane() throws {
    let a = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/lif-neuron.toml"), theme: .dark)
    #expect(a.plasticity == nil && a.layout(for: a.size)[.weights] == .zero && WeightsPane.summary(a) == nil)
}

@Test func shortTermSynapseSessionDepressesAndItsFacilitatingTwinGrows() throws {
    var a = try app("short-term-synapse")
    for _ in 0..<1000 { a.stepForward() }
    let d = try #require(WeightsPane.summary(a)?.shortTerm).releases
    try #require(d.count == 20, "\(d)")
    #expect(d[0] == 0.5)                                               // U of the first spike
    #expect(zip(d, d.dropFirst()).allSatisfy { $0 >= $1 - 1e-6 })      // each spike releases less ...
    #expect(abs(d[19] - d[18]) < 0.01 && d[19] < 0.3)                  // ... down to a plateau
    #expect(text(a).contains("input 0's synapse"))
    // the neuron's drive follows: its membrane peak after the last spike is below the first's
    let v = (1...1000).compactMap { a.recorder?.membranes(layer: 0, step: $0)?.first }
    try #require(v.count == 1000)
    #expect((v[959..<1000].max() ?? 0) < (v[9..<60].max() ?? 0))
    // r: the synapse recovers
    a.reset()
    #expect(WeightsPane.summary(a)?.shortTerm?.releases.isEmpty == true && WeightsPane.summary(a)?.shortTerm?.x == 1)
    // the facilitating set: the first releases grow
    let text = try String(contentsOfFile: repoRoot + "/sessions/short-term-synapse.toml", encoding: .utf8)
        .replacingOccurrences(of: "synapse = \"depressing\"", with: "synapse = \"facilitating\"")
    var f = try AppState(workspace: try Workspace(session: try Session.parse(text, file: repoRoot + "/sessions/f.toml")), theme: .dark)
    for _ in 0..<1000 { f.stepForward() }
    let g = try #require(WeightsPane.summary(f)?.shortTerm).releases
    try #require(g.count == 20, "\(g)")
    #expect(abs(g[0] - 0.03) < 1e-6 && g[1] > g[0] && g[2] > g[1] && g[3] > g[2], "\(g)")
}

/// The unsupervised digits session: running through the training digits, the receptive fields
/// turn from noise into digit shapes, and the neurons do not all settle on the same digit.
@Test func digitsUnsupervisedSessionGrowsDigitShapedReceptiveFields() throws {
    var a = try app("digits-unsupervised")
    let ws = a.workspace
    // class means of the training digits
    var means = [[Float]](repeating: [Float](repeating: 0, count: 64), count: 10), counts = [Int](repeating: 0, count: 10)
    for k in 0..<ws.sampleCount { guard let l = ws.label(k) else { continue }; counts[l] += 1; for (j, x) in ws.image(k).enumerated() { means[l][j] += x } }
    for c in 0..<10 { means[c] = means[c].map { $0 / Float(max(counts[c], 1)) } }
    func correlation(_ x: [Float], _ y: [Float]) -> Float {
        let mx = x.reduce(0, +) / Float(x.count), my = y.reduce(0, +) / Float(y.count)
        var sxy: Float = 0, sxx: Float = 0, syy: Float = 0
        for (p, q) in zip(x, y) { sxy += (p - mx) * (q - my); sxx += (p - mx) * (p - mx); syy += (q - my) * (q - my) }
        return sxy / max((sxx * syy).squareRoot(), 1e-12)
    }
    func best(_ w: [Float]) -> [(Int, Float)] {
        (0..<16).map { i in
            let f = Array(w[(i * 64)..<((i + 1) * 64)])
            return (0..<10).map { ($0, correlation(f, means[$0])) }.max { $0.1 < $1.1 } ?? (0, 0)
        }
    }
    let before = best(try #require(a.plasticity).weights)
    _ = a.handle(.char("a"))                                            // run through the samples
    #expect(a.throughSamples)
    _ = a.handle(.char(" "))
    for _ in 0..<(600 * 100) { a.tick() }
    #expect(a.sample == 600 && a.running)
    let after = best(try #require(a.plasticity).weights)
    let meanBefore = before.map(\.1).reduce(0, +) / 16, meanAfter = after.map(\.1).reduce(0, +) / 16
    #expect(meanAfter > meanBefore + 0.4 && meanAfter > 0.7)            // measured 0.09 -> 0.84
    #expect(Set(after.map(\.0)).count >= 4)                           // measured 6 classes
}

@Test func weightsPaneDrawsEveryNeuronsFieldSmallWithTheSelectedOneMarked() throws {
    // the layout: 8x8 fields are 8 columns x 4 rows, each after a column for the mark
    let all = WeightsPane.thumbnailGrid(outputs: 16, height: 8, width: 8, area: Rect(x: 2, y: 3, width: 36, height: 16), selected: 5)
    #expect(all.shown == 0..<16 && all.cells[0] == Rect(x: 3, y: 3, width: 8, height: 4) && all.cells[5] == Rect(x: 12, y: 7, width: 8, height: 4))
    let page = WeightsPane.thumbnailGrid(outputs: 16, height: 8, width: 8, area: Rect(x: 0, y: 0, width: 18, height: 8), selected: 5)
    #expect(page.shown == 4..<8)                                      // the page that holds the selected neuron
    #expect(WeightsPane.thumbnailGrid(outputs: 16, height: 8, width: 8, area: Rect(x: 0, y: 0, width: 8, height: 8), selected: 0).shown.isEmpty)

    // the digits session on a large terminal: every field, each drawn from its own neuron's weights
    var a = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/digits-unsupervised.toml"), theme: .dark, size: Size(width: 200, height: 60))
    for _ in 0..<400 { a.stepForward() }
    let s = try #require(WeightsPane.summary(a))
    #expect(s.outputs == 16 && s.shape.height == 8 && s.shape.width == 8)
    // the grey scale ends at the largest weight (a fixed sum of 10 over 64 inputs keeps them below w_max 1)
    let largest = try #require(a.plasticity?.weights.max())
    #expect(s.imageRange == s.range.lowerBound...largest && largest < s.range.upperBound)
    for neuron in [0, 9] {
        a.selectNeuron(neuron)
        var buffer = Buffer(width: a.size.width, height: a.size.height)
        view(a, into: &buffer)
        #expect(buffer.lines.joined().contains("all 16 fields:"))
        let pane = a.layout(for: a.size)[.weights]
        let marks = (pane.y..<(pane.y + pane.height)).flatMap { y in (pane.x..<(pane.x + pane.width)).filter { buffer[$0, y].symbol == "▸" }.map { ($0, y) } }
        #expect(marks.count == 1)
        let (mx, my) = try #require(marks.first)
        // the cells right of the mark are this neuron's field, drawn as ImageView draws it
        let weights = try #require(a.plasticity).weights, inputs = weights.count / 16
        let field = weights[(neuron * inputs)..<((neuron + 1) * inputs)].map { ($0 - s.imageRange.lowerBound) / (s.imageRange.upperBound - s.imageRange.lowerBound) }
        var expected = Buffer(width: 8, height: 4)
        ImageView(pixels: field, width: 8, height: 8, mode: .halfBlock, style: a.theme.text, glyphs: a.glyphs).render(expected.area, into: &expected)
        let drawn = (0..<4).flatMap { y in (0..<8).map { x in buffer[mx + 1 + x, my + y] } }
        let same = drawn == expected.cells
        #expect(same, "neuron \(neuron)'s thumbnail is not its field")
        #expect(Set(expected.cells.map(\.style.fg)).count > 1)          // a learned field, not a blank square
    }
    // in ASCII (--ascii) every cell of the frame, thumbnails and numbers included, is ASCII
    a.glyphs = .ascii
    var ascii = Buffer(width: a.size.width, height: a.size.height)
    view(a, into: &ascii)
    let wide = ascii.cells.filter { !$0.symbol.isASCII }.map(\.symbol)
    #expect(wide.isEmpty, "non-ASCII in an ASCII frame: \(Set(wide))")
    #expect(ascii.lines.joined().contains("all 16 fields:") && ascii.lines.joined().contains("mean w "))
}

@Test(arguments: ["song-abbott", "r-stdp", "short-term-synapse", "digits-unsupervised"])
func learningSessionsDrawOnlyASCIIInASCIIMode(session: String) throws {
    var a = try app(session)
    for _ in 0..<50 { a.stepForward() }
    a.glyphs = .ascii
    var buffer = Buffer(width: a.size.width, height: a.size.height)
    view(a, into: &buffer)
    let wide = buffer.cells.filter { !$0.symbol.isASCII }.map(\.symbol)
    #expect(wide.isEmpty, "\(session): non-ASCII in an ASCII frame: \(Set(wide))")
    #expect(buffer.lines.joined().contains("Weights - "))
}
