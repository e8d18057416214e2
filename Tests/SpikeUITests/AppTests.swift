import SpikeCore
import SpikeTerm
import Foundation
import SpikeHardware
import SpikeSession
import Testing
@testable import SpikeUI

/// The repository root (Tests/SpikeUITests/AppTests.swift is three levels down).
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The digits session without its weights line (seeded untrained weights: the trained file
/// may not exist yet), anchored in the repository's sessions folder.
private func digitsSession() throws -> Session {
    let text = try String(contentsOfFile: repoRoot + "/sessions/digits.toml", encoding: .utf8)
    let noWeights = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("weights =") }.joined(separator: "\n")
    return try Session.parse(noWeights, file: repoRoot + "/sessions/digits-test.toml")
}

private func digitsApp(width: Int = 120, height: Int = 40, glyphs: Glyphs = .unicode) throws -> AppState {
    try AppState(workspace: try Workspace(session: try digitsSession()), theme: .dark, glyphs: glyphs,
                 size: Size(width: width, height: height))
}

private func lifApp() throws -> AppState {
    try AppState(workspace: try Workspace(path: repoRoot + "/sessions/lif-neuron.toml"), theme: .dark)
}

private func render(_ state: AppState) -> Buffer {
    var buffer = Buffer(width: state.size.width, height: state.size.height)
    view(state, into: &buffer)
    return buffer
}

// MARK: - keys as calls

@Test func keysReturnTheirEffects() throws {
    var app = try digitsApp()
    #expect(app.handle(.char("q")) == .quit)
    #expect(app.handle(.ctrlC) == .quit)
    #expect(app.handle(.char("n")) == .redraw)
    #expect(app.cursor == 1)
    #expect(app.handle(.right) == .redraw && app.cursor == 2)
    #expect(app.handle(.char("b")) == .redraw && app.cursor == 1)
    #expect(app.handle(.left) == .redraw && app.cursor == 0)
    #expect(app.handle(.left) == .redraw && app.message == StatusMessage("at step 0"))
    #expect(app.handle(.char(" ")) == .redraw && app.running)
    #expect(app.inputTimeoutMs == 1000 / AppState.speeds[3])
    #expect(app.handle(.char(" ")) == .redraw && !app.running)
    #expect(app.inputTimeoutMs == 1000)
    for _ in 0..<10 { _ = app.handle(.char("+")) }
    #expect(app.speed == AppState.speeds.last)
    for _ in 0..<10 { _ = app.handle(.char("-")) }
    #expect(app.speed == 1)
    #expect(app.handle(.function(5)) == .none)
}

@Test func selectionKeysMoveNeuronLayerSampleAndFocus() throws {
    var app = try digitsApp()
    #expect(app.neuron == 0 && app.plotted == [0, 1, 2, 3])
    _ = app.handle(.char("j")); _ = app.handle(.down)
    #expect(app.neuron == 2 && app.plotted == [0, 1, 2, 3])      // colour slots stay put
    _ = app.handle(.char("k"))
    #expect(app.neuron == 1)
    for _ in 0..<5 { _ = app.handle(.up) }
    #expect(app.neuron == 0)
    _ = app.handle(.char("J"))          // one neuron layer only: stays, and says why
    #expect(app.layer == 0)
    #expect(app.message == StatusMessage("this model has one neuron layer ('hidden'): J and K have nothing to switch to"))
    _ = app.handle(.char("]"))
    #expect(app.sample == 1 && app.cursor == 0)
    _ = app.handle(.char("[")); _ = app.handle(.char("["))
    #expect(app.sample == app.workspace.sampleCount - 1)
    #expect(app.focus == .raster)
    _ = app.handle(.tab); _ = app.handle(.tab)
    #expect(app.focus == .outputs)
    _ = app.handle(.backTab)
    #expect(app.focus == .membrane)
    for _ in 0..<4 { _ = app.handle(.tab) }
    #expect(app.focus == .raster)
}

@Test func helpOverlayListsEveryKeyAndAnyKeyClosesIt() throws {
    var app = try digitsApp()
    _ = app.handle(.char("?"))
    #expect(app.showHelp)
    let text = render(app).description
    for row in AppState.keyHelp { #expect(text.contains(row.action)) }
    #expect(app.handle(.char("n")) == .redraw)
    #expect(!app.showHelp && app.cursor == 1)          // the key that closed help also stepped
    _ = app.handle(.char("?")); _ = app.handle(.escape)
    #expect(!app.showHelp && app.cursor == 1)          // Esc only closes
}

@Test func helpScrollsSearchesAndHasASectionPerPane() throws {
    var app = try digitsApp(width: 80, height: 24)
    _ = app.handle(.char("?"))
    var text = render(app).description
    #expect(text.contains("q quits") && text.contains("more below"))       // at 80x24 it says how to quit
    for _ in 0..<60 { _ = app.handle(.char("j")) }
    text = render(app).description
    #expect(text.contains("Hardware") && text.contains("neuromorphic chip"))  // the panes' sections at the end
    _ = app.handle(.char("/"))
    for ch in "entropy" { _ = app.handle(.char(ch)) }
    _ = app.handle(.enter)
    text = render(app).description
    #expect(text.contains("per-step entropy") && !text.contains("run / pause"))
    #expect(app.showHelp)
    _ = app.handle(.char("q"))                                              // q closes help and quits
    #expect(!app.showHelp)
}

// MARK: - stepping and the recorder

@Test func steppingBackShowsExactlyTheRecordedStep() throws {
    var app = try digitsApp()
    try app.setTimesteps(8)
    for _ in 0..<5 { app.stepForward() }
    #expect(app.sim.t == 5)
    app.stepBack(); app.stepBack()
    #expect(app.cursor == 3 && app.sim.t == 5)
    let r = try #require(app.recorder)
    let m = try #require(r.membranes(layer: 0, step: 3))
    // The membrane pane's selected neuron reads the recorder at step 3.
    #expect(app.runningLogits(upTo: 3) != nil)
    var three = try digitsApp()
    try three.setTimesteps(8)
    for _ in 0..<3 { three.stepForward() }
    let rf = try #require(three.recorder)
    #expect(Array(try #require(rf.membranes(layer: 0, step: 3))) == Array(m))
    #expect((0..<100).map { rf.spiked(layer: 0, step: 3, neuron: $0) }
            == (0..<100).map { r.spiked(layer: 0, step: 3, neuron: $0) })
    #expect(render(app) == render(three))
    // Forward again re-shows the recorded steps 4 and 5 before simulating step 6.
    app.stepForward()
    #expect(app.cursor == 4 && app.sim.t == 5)
    app.stepForward(); app.stepForward()
    #expect(app.cursor == 6 && app.sim.t == 6)
}

@Test func runningStopsAtTheEndOfThePresentation() throws {
    var app = try digitsApp()
    app.toggleRunning()
    for _ in 0..<10 { app.tick() }
    #expect(app.cursor == 4 && !app.running)
}

@Test func aPresentationEndsAtTAndSaysWhatNext() throws {
    var app = try digitsApp(width: 80, height: 24)
    for _ in 0..<4 { _ = app.handle(.char("n")) }
    #expect(app.cursor == 4 && app.sim.t == 4)
    #expect(app.handle(.char("n")) == .redraw)
    #expect(app.cursor == 4 && app.sim.t == 4)                       // n at T does not step on
    #expect(app.message == StatusMessage(AppState.endMessage(4)))
    let status = render(app).lines[23]
    #expect(status.contains("] next") && status.contains("? help") && status.contains("q quit"), "\(status)")
    _ = app.handle(.char("b"))
    #expect(app.cursor == 3)                                          // stepping back stays exact
    _ = app.handle(.char("n"))
    #expect(app.cursor == 4 && app.sim.t == 4)
    _ = app.handle(.char(" "))                                        // space at the end replays from 0
    #expect(app.running && app.cursor == 0)
}

@Test(arguments: [(80, 24), (60, 18), (120, 40)])
func theStatusBarKeepsHelpAndQuit(width: Int, height: Int) throws {
    let app = try digitsApp(width: width, height: height)
    let status = render(app).lines[height - 1]
    #expect(status.contains("? help") && status.contains("q quit"), "\(status)")
    #expect(status.hasPrefix(" t 0/4 "))
}

// MARK: - view on the cell buffer

@Test func rasterShowsTheLIFSpikeAtItsStepAndStatusBarCountsSteps() throws {
    var app = try lifApp()
    for _ in 0..<25 { app.stepForward() }
    let buffer = render(app)
    let layout = AppLayout(size: app.size)
    let plot = layout.rasterPlot
    #expect(plot == Rect(x: 7, y: 1, width: 64, height: 19))      // right of the 6-column gutter
    // 100 steps fit in 128 dot columns, one column each; the spike at step 20 is dot (19, 0):
    // cell 9, right column, top row = U+2808.
    let row = String(buffer.lines[plot.y].dropFirst(plot.x).prefix(plot.width))
    #expect(row == String(repeating: " ", count: 9) + "⠈" + String(repeating: " ", count: 54))
    #expect(buffer.lines[0].hasPrefix("┏Raster neuron · 1 neuron · n0 · rate row: share spiking"))
    #expect(buffer.lines[plot.y].dropFirst(1).hasPrefix("n0"))   // the gutter names the rows
    // The membrane plot's columns line up with the raster's: its spike marker sits in the same column.
    let membrane = AppLayout(size: app.size)[.membrane]
    let markerRow = buffer.lines[membrane.y + 2]
    let rasterColumn = buffer.lines[plot.y].firstIndex(of: "⠈").map { buffer.lines[plot.y].distance(from: buffer.lines[plot.y].startIndex, to: $0) }
    let markerColumn = markerRow.firstIndex(of: "●").map { markerRow.distance(from: markerRow.startIndex, to: $0) }
    #expect(rasterColumn != nil && rasterColumn == markerColumn)
    #expect(buffer.lines[membrane.maxY - 2].contains("step") && buffer.lines[membrane.maxY - 2].contains(" 20 "))
    #expect(buffer.lines[39].hasPrefix(" t 25/100 │ sample 0 │ paused │ 10 steps/s │ dark "))
    #expect(buffer.lines[39].hasSuffix("space run n/b step : cmd ? help q quit "))
    #expect(buffer[0, 39].style == Theme.dark.status)
    // The current step's column is marked, the note of step 21 shown.
    #expect(buffer[plot.x + 12, plot.y].style.reverse)
    #expect(buffer.lines[38].hasPrefix("note (step 21): Refractory: for 3 steps v is held and input ignored."))
}

@Test func membranePaneTracesTheRecordedMembrane() throws {
    var app = try lifApp()
    for _ in 0..<25 { app.stepForward() }
    let buffer = render(app)
    let pane = AppLayout(size: app.size)[.membrane]
    #expect(buffer.lines[pane.y].contains("Membrane neuron · θ=1"))
    #expect(buffer.lines[pane.y + 1].contains("━● n0"))
    // The spike marker has its own row above the plot; the plot shows u before the reset, so the
    // top label (the largest value shown) is at or above θ = 1: the crossing is visible.
    #expect(buffer.lines[pane.y + 2].contains("●"))
    let top = buffer.lines[pane.y + 3].dropFirst(pane.x + 1).split(separator: "┤").first.map { $0.trimmingCharacters(in: .whitespaces) }
    #expect((top.flatMap { Float($0) } ?? 0) >= 1, "top label \(top ?? "-")")
    #expect(buffer.lines[pane.maxY - 3].dropFirst(pane.x + 1).trimmingCharacters(in: .whitespaces).hasPrefix("0┤"))
    #expect(buffer.lines[pane.maxY - 2].dropFirst(pane.x + 1).hasPrefix("step"))   // the step axis
}

@Test func viewFitsEverySizeAndAsksForMoreRoomWhenTooSmall() throws {
    for (w, h) in [(120, 40), (80, 24), (60, 18), (200, 60)] {
        var app = try digitsApp(width: w, height: h)
        for _ in 0..<3 { app.stepForward() }
        let buffer = render(app)
        #expect(buffer.lines.count == h && buffer.lines.allSatisfy { $0.count == w })
        #expect(buffer.lines[h - 1].hasPrefix(" t 3/4 │ sample 0 label "))
        #expect(!buffer.description.contains("too small"))
        #expect(buffer.lines[0].hasPrefix("┏Raster hidden · 100 neurons"))
    }
    for (w, h) in [(59, 30), (100, 17), (40, 10), (1, 1), (0, 0)] {
        let app = try digitsApp(width: w, height: h)
        let buffer = render(app)
        if w >= 40 {
            #expect(buffer.description.contains("Terminal too small (\(w)x\(h))."))
            #expect(buffer.description.contains("Please enlarge it to at least 60x18."))
        }
    }
    let small = render(try digitsApp(width: 40, height: 10))
    #expect(small.lines[3] == "      Terminal too small (40x10).       ")
}

@Test func rasterTitleShowsTheGroupSizeWhenAggregated() throws {
    let app = try digitsApp(width: 80, height: 24)
    let plot = AppLayout(size: app.size).rasterPlot
    let g = Raster.groupSize(neurons: 100, rows: plot.height, braille: true)
    #expect(g == 3)
    #expect(render(app).lines[0].hasPrefix("┏Raster hidden · 100 neurons · 12 per row · n0"))   // 3 per dot, 4 dots a row
}

@Test func compareModeShowsTOneAgainstTN() throws {
    var app = try digitsApp()
    #expect(app.handle(.char("c")) == .redraw)
    let c = try #require(app.compare)
    #expect(c.timesteps == 4 && c.entropy.count == 4)
    #expect(c.klDivergence >= 0)
    #expect(abs(c.probabilitiesOne.reduce(0, +) - 1) < 1e-4)   // float sum of 10 terms
    let text = render(app).description
    #expect(text.contains("Outputs · compare T=1 vs T=4"))
    let label = try #require(app.workspace.label(app.sample))
    #expect(text.contains("T=1: \(c.topOne) \(c.topOne == label ? "✓" : "✗") p "))
    #expect(text.contains("T=4: \(c.topN) \(c.topN == label ? "✓" : "✗") p "))
    #expect(text.contains("KL \(formatSmall(c.klDivergence))  H/step "))
    #expect(formatSmall(0.001) == "<0.01" && formatSmall(0) == "0" && formatSmall(0.25) == "0.25")
    // The T=1 run is one presentation of one step: its mean logits are step 1's logits.
    app.stepForward()
    let step1 = softmax(Array(try #require(app.logits(step: 1))))
    #expect(zip(step1, c.probabilitiesOne).allSatisfy { abs($0 - $1) < 1e-6 })
    _ = app.execute(.timesteps(8))
    #expect(app.compare?.timesteps == 8)
    #expect(render(app).description.contains("T=8: "))
    _ = app.handle(.char("c"))
    #expect(app.compare == nil && !render(app).description.contains("T=1: "))
}

@Test func outputsShowStepSoftmaxAndRunningAnswer() throws {
    var app = try digitsApp()
    for _ in 0..<2 { app.stepForward() }
    let text = render(app).description
    let mean = try #require(app.runningLogits(upTo: 2))
    let l1 = try #require(app.logits(step: 1)), l2 = try #require(app.logits(step: 2))
    for c in 0..<10 { #expect(abs(mean[c] - (l1[l1.startIndex + c] + l2[l2.startIndex + c]) / 2) < 1e-6) }
    let answer = try #require(argmax(mean))
    #expect(app.prediction == answer)
    #expect(text.contains("answer: \(answer) p \(fixed(Double(softmax(mean)[answer]), 2))"))
    #expect(text.contains("step 2: "))
}

@Test func hardwarePaneMapsOntoTheChipAndFollowsTheSteps() throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/digits.toml"), theme: .dark,
                           size: Size(width: 160, height: 48), target: try Target.load("truenorth"))
    let m = try #require(app.hardware.mapping)
    #expect(m.cores.count == 2)
    app.stepForward(); app.stepForward()
    let spikes1 = try #require(app.recorder).spikeCount(layer: 0, step: 1)
    let spikes2 = try #require(app.recorder).spikeCount(layer: 0, step: 2)
    #expect(spikes1 > 0 && spikes2 > 0)                     // the trained model spikes from step 1
    let step1 = try #require(app.hardware.stepTraffic(1))
    // Each hidden spike: one packet from core 0 to the readout's core 1 (one hop east) and 10 synapses there.
    #expect(step1.counts.spikes == spikes1 && step1.counts.packets == spikes1 && step1.counts.hops == spikes1)
    #expect(step1.coreSynapticOps[1] == 10 * spikes1)
    #expect(app.hardware.totals[1].spikes == spikes1 + spikes2)
    app.setFocus(.hardware)
    app.zoomed = true
    var text = render(app).description
    #expect(text.contains("Hardware · truenorth · 2/4,096 cores · sequential"))
    #expect(text.contains("t 2  \(grouped(spikes2)) spk"))
    #expect(text.contains("total \(grouped(spikes1 + spikes2)) spk"))
    #expect(text.contains("layer hidden: 1 core (underlined)"))
    // Stepping back shows step 1's numbers exactly.
    _ = app.stepBack()
    text = render(app).description
    #expect(text.contains("t 1  \(grouped(spikes1)) spk"))
    // m cycles the metric, p the placement; the session keeps the target and placement.
    #expect(app.handle(.char("m")) == .redraw && app.hardware.metric == .spikes)
    #expect(app.handle(.char("p")) == .redraw && app.hardware.placementKind == .traffic)
    #expect(app.hardware.totals.count == 2)                 // re-accounted under the new placement
    #expect(app.session.hardware == HardwareSettings(target: "loihi", placement: .traffic))
    // A reset forgets the run's traffic.
    app.reset()
    #expect(app.hardware.totals.isEmpty)
}

@Test func aModelThatDoesNotFitShowsTheReportInThePane() throws {
    var target = try Target.load("generic")
    target.limits.neurons = 4          // 100 hidden → 25 cores, 10 readout → 3: 28 of 16
    var app = try AppState(workspace: try Workspace(session: try digitsSession()), theme: .dark,
                           size: Size(width: 160, height: 48), target: target)
    #expect(app.hardware.mapping == nil)
    app.setFocus(.hardware)
    app.zoomed = true
    let text = render(app).description
    #expect(app.hardware.problem?.hasPrefix("does not fit generic: cores: needs 28, generic has 16.") == true)
    #expect(text.contains("does not fit generic: cores: needs 28, generic"), "\(text)")
}

@Test func compareModeShowsTheCostOfT() throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/digits.toml"), theme: .dark,
                           size: Size(width: 160, height: 48), target: try Target.load("loihi"))
    app.setCompare(true)
    let cost = try #require(app.compare?.cost)
    #expect(cost.n.spikes >= cost.one.spikes && cost.one.spikes > 0)
    #expect(cost.n.energy(app.hardware.target!.energy).picojoules > cost.one.energy(app.hardware.target!.energy).picojoules)
    app.setFocus(.hardware); app.zoomed = true
    #expect(render(app).description.contains("cost of T: T=1 \(grouped(cost.one.spikes)) spk"))
}

@Test func inputPaneShowsImageLabelAndPrediction() throws {
    var app = try digitsApp()
    app.stepForward()
    let buffer = render(app)
    let inner = AppLayout(size: app.size)[.input].inset(1)
    #expect(buffer[inner.x, inner.y].symbol == "▀")
    let label = try #require(app.workspace.label(0))
    #expect(buffer.description.contains("label  \(label)"))
    #expect(buffer.description.contains("pred   \(try #require(app.prediction))"))
    let stim = render(try lifApp()).description
    #expect(stim.contains("stimulus I(t)=0 on 10-80"))
}

@Test func asciiAndNoColourRenderingUseNeitherUnicodeNorColour() throws {
    var app = try AppState(workspace: try Workspace(session: try digitsSession()), theme: .dark, glyphs: .ascii,
                           size: Size(width: 100, height: 30), colours: 256, noColor: true)
    for _ in 0..<3 { app.stepForward() }
    _ = app.handle(.char("c"))
    let buffer = render(app)
    #expect(buffer.cells.allSatisfy { $0.symbol.unicodeScalars.allSatisfy(\.isASCII) })
    #expect(buffer.cells.allSatisfy { $0.style.fg == .terminalDefault && $0.style.bg == .terminalDefault })
    #expect(buffer.lines[0].hasPrefix("#Raster hidden - 100 neurons"))
    let eight = try AppState(workspace: try Workspace(session: try digitsSession()), theme: .dark, colours: 8)
    #expect(eight.theme.depth == .basic)
    #expect(render(eight).cells.allSatisfy {
        if case .index(let i) = $0.style.fg { return i < 8 } else { return true }
    })
}

@Test func mouseClickInTheRasterSelectsTheNeuronOfThatRow() throws {
    var app = try digitsApp()
    let plot = AppLayout(size: app.size).rasterPlot
    let g = Raster.groupSize(neurons: 100, rows: plot.height, braille: true)
    #expect(app.handle(.mouse(x: plot.x + 3, y: plot.y + 5)) == .redraw)
    #expect(app.neuron == 5 * 4 * g && app.focus == .raster)
    let outputs = AppLayout(size: app.size)[.outputs]
    _ = app.handle(.mouse(x: outputs.x + 2, y: outputs.y + 2))
    #expect(app.focus == .outputs && app.neuron == 5 * 4 * g)
}

// MARK: - command line

@Test(arguments: [
    ("T", ":T needs a whole number of timesteps, found ''"),
    ("T x", ":T needs a whole number of timesteps, found 'x'"),
    ("sample 1 2", ":sample needs a sample index, found '1 2'"),
    ("layer", ":layer needs a layer index or name"),
    ("open", ":open needs a session file"),
    ("frobnicate 3", "unknown command ':frobnicate'; commands: :T N (or :T8), :sample N, :layer N|NAME, :neuron N, :theme NAME, :target NAME|FILE, :save [NAME] (:w), :open FILE (:e), :compare, :train [EPOCHS], :stop, :help, :q"),
])
func commandErrorsNameTheCommand(input: String, message: String) {
    #expect(throws: AppError.self) { try AppCommand.parse(input) }
    do { _ = try AppCommand.parse(input) } catch { #expect("\(error)" == message) }
}

@Test func commandsParse() throws {
    #expect(try AppCommand.parse("T 8") == .timesteps(8))
    #expect(try AppCommand.parse("  sample 42 ") == .sample(42))
    #expect(try AppCommand.parse("layer 2") == .layer("2"))
    #expect(try AppCommand.parse("theme light") == .theme("light"))
    #expect(try AppCommand.parse("save") == .save(nil))
    #expect(try AppCommand.parse("save my run") == .save("my run"))
    #expect(try AppCommand.parse("open sessions/x.toml") == .open("sessions/x.toml"))
    #expect(try AppCommand.parse("q") == .quit)
}

@Test func commandLineIsTypedAndErrorsLandInTheStatusLine() throws {
    var app = try digitsApp()
    func type(_ text: String) -> Effect {
        _ = app.handle(.char(":"))
        for ch in text { _ = app.handle(.char(ch)) }
        return app.handle(.enter)
    }
    #expect(type("T 8") == .redraw && app.timesteps == 8)
    #expect(type("sample 99999") == .redraw)
    #expect(app.message == StatusMessage("sample must be from 0 to \(app.workspace.sampleCount - 1), found 99999", isError: true))
    #expect(type("layer readout") == .redraw)
    #expect(app.message?.text == "no neuron layer 'readout' (layers: hidden)")
    #expect(type("theme light") == .redraw && app.theme.name == "light")
    #expect(type("theme nonesuch") == .loadTheme(name: "nonesuch"))
    #expect(type("bogus") == .redraw && app.message?.isError == true)
    _ = app.handle(.char("t"))
    #expect(app.commandLine == "T ")
    _ = app.handle(.char("2")); _ = app.handle(.backspace); _ = app.handle(.char("3"))
    let prompt = render(app)
    #expect(prompt.lines[38].hasPrefix(":T 3 ") && prompt[4, 38].style.reverse)     // the cursor cell after the text
    _ = app.handle(.enter)
    #expect(app.timesteps == 3 && app.commandLine == nil)
    _ = app.handle(.char(":")); _ = app.handle(.char("x")); _ = app.handle(.escape)
    #expect(app.commandLine == nil)
    #expect(type("q") == .quit)
    let loop = AppLoop(themeFolders: [repoRoot + "/themes"])
    loop.perform(.loadTheme(name: "nonesuch"), on: &app)
    #expect(app.message?.text == "no theme 'nonesuch' (built-in: dark, light, high-contrast, colorblind; or themes/nonesuch.toml)")
    loop.perform(.loadTheme(name: "high-contrast"), on: &app)
    #expect(app.theme.name == "high-contrast")
}

@Test func savingStoresTheWorkbenchStateAndReopens() throws {
    var app = try digitsApp()
    _ = app.execute(.timesteps(6))
    _ = app.handle(.char("]")); _ = app.handle(.char("j"))
    _ = app.handle(.char("c"))
    _ = app.execute(.theme("light"))
    let dir = NSTemporaryDirectory() + "spikescope-app-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let effect = app.execute(.save(dir + "/mine"))
    guard case let .save(session, path) = effect else { Issue.record("expected .save, got \(effect)"); return }
    #expect(path == dir + "/mine.toml")
    #expect(app.savePath(nil) == repoRoot + "/sessions/digits-test.toml")
    #expect(app.savePath("other") == repoRoot + "/sessions/other.toml")
    AppLoop().perform(effect, on: &app)
    #expect(app.message == StatusMessage("saved \(path)"))
    let back = try Session.load(path: path)
    #expect(back.timesteps == 6 && back.data.sample == 1)
    #expect(back.view == ViewSettings(layer: "hidden", neurons: [1, 0, 2, 3], compare: true, theme: "light"))
    #expect(session.view == back.view)
    // :open reads it back into the workbench.
    AppLoop().perform(.open(path: path), on: &app)
    #expect(app.message == StatusMessage("opened \(path)"))
    #expect(app.timesteps == 6 && app.sample == 1 && app.neuron == 1 && app.compareMode && app.cursor == 0)
    AppLoop().perform(.open(path: dir + "/missing.toml"), on: &app)
    #expect(app.message == StatusMessage("\(dir)/missing.toml: cannot read: no such file", isError: true))
}

@Test func tourNotesFollowTheStepShown() throws {
    let ws = try Workspace(path: repoRoot + "/sessions/lif-neuron.toml")
    var app = try AppState(workspace: ws, theme: .dark)
    #expect(app.currentNote == nil)
    #expect(render(app).lines[38].hasPrefix("guided tour: press n to take the first step"))
    for _ in 0..<10 { app.stepForward() }
    #expect(app.currentNote?.step == 10)
    app.stepBack()
    #expect(app.currentNote?.step == 1)
}

// MARK: - the loop

@Test func loopDrawsOnlyChangesWaitsLongWhenPausedAndFollowsResize() throws {
    var app = try digitsApp(width: 100, height: 30)
    let term = HeadlessTerminal(width: 100, height: 30, keys: [.char("n"), .char("n"), .char("q")])
    var quiet = AppLoop()
    quiet.evaluatesAccuracy = false   // no background evaluation: nothing to poll for
    let frames = quiet.run(&app, terminal: term)
    #expect(frames == 3)
    #expect(term.waits == [1000, 1000, 1000])         // paused: long waits, no polling
    #expect(term.screen.lines[29].hasPrefix(" t 2/4 "))
    #expect(term.lastWrites.count < 100 * 30 / 4)   // the second step rewrote a small part only
    var small = try digitsApp(width: 100, height: 30)
    let resizing = HeadlessTerminal(width: 100, height: 30, keys: [.char("n")])
    resizing.script.append(.char("q"))
    var loop = AppLoop()
    loop.maxFrames = 2
    resizing.resize(width: 80, height: 24)
    _ = loop.run(&small, terminal: resizing)
    #expect(resizing.screen.width == 80 && resizing.screen.height == 24)
    #expect(resizing.screen.lines[23].hasPrefix(" t 0/4 "))
}

@Test func loopRunsToTheEndOfThePresentationAndStops() throws {
    var app = try digitsApp(width: 100, height: 30)
    let term = PacedTerminal(HeadlessTerminal(width: 100, height: 30,
                                              keys: [.char("+"), .char("+"), .char("+"), .char(" ")]))
    _ = AppLoop().run(&app, terminal: term)
    #expect(app.cursor == 4 && !app.running)
    #expect(term.inner.waits.contains { $0 > 0 && $0 <= 20 })   // waited one step interval while running
}

/// A headless terminal that sleeps through timeouts like a real one and types `q` after
/// `patience` timeouts, so a loop under test always ends.
private final class PacedTerminal: Terminal {
    let inner: HeadlessTerminal
    var patience = 50
    init(_ inner: HeadlessTerminal) { self.inner = inner }
    var size: Size { inner.size }
    func draw(_ buffer: Buffer) { inner.draw(buffer) }
    func readKey(timeoutMs: Int) -> Key? {
        if let key = inner.readKey(timeoutMs: timeoutMs) { return key }
        patience -= 1
        if patience <= 0 { return .char("q") }
        usleep(UInt32(min(max(timeoutMs, 0), 50)) * 1000)
        return nil
    }
    func restore() { inner.restore() }
}

@Test func teachingSessionsParseWithTheirSettings() throws {
    let compare = try Session.load(path: repoRoot + "/sessions/digits-compare.toml")
    #expect(compare.timesteps == 4 && compare.view.compare && compare.weights == "digits.safetensors")
    let tour = try Session.load(path: repoRoot + "/sessions/tour.toml")
    #expect(tour.notes.map(\.step) == [1, 2, 3, 4, 5, 8])
    #expect(tour.notes.allSatisfy { $0.text.count <= 120 })
    #expect(tour.model == (try Session.load(path: repoRoot + "/sessions/digits.toml")).model)
    // The tour on seeded weights: the note of step 3 is shown at step 3.
    var untrained = tour
    untrained.weights = nil
    var app = try AppState(workspace: try Workspace(session: untrained), theme: .dark)
    for _ in 0..<3 { app.stepForward() }
    #expect(render(app).lines[38].hasPrefix("note (step 3): Outputs, left: softmax of this step's readout."))
}

@Test(arguments: [Size(width: 160, height: 48), Size(width: 80, height: 24), Size(width: 60, height: 18)])
func theLayoutPlacesEveryPaneOnceWithoutOverlap(size: Size) {
  for learning in [false, true] {
    let layout = AppLayout(size: size, learning: learning)
    #expect(layout.panes.map(\.pane).sorted { $0.rawValue < $1.rawValue } == Pane.allCases.filter { learning || $0 != .weights })
    for (i, a) in layout.panes.enumerated() {
        #expect(!a.area.isEmpty, "\(a.pane) is empty at \(size)")
        for b in layout.panes.dropFirst(i + 1) {
            #expect(a.area.intersection(b.area).isEmpty, "\(a.pane) overlaps \(b.pane) at \(size)")
        }
    }
    #expect(layout.training.contains(layout[.raster]) && layout.training.contains(layout[.membrane]))
  }
}

@Test func aNeuronKeepsItsColourSlotAndTheLegendShowsEachGlyph() throws {
    var app = try digitsApp()
    #expect(app.plotted == [0, 1, 2, 3])
    for _ in 0..<3 { _ = app.handle(.char("j")) }
    #expect(app.neuron == 3 && app.plotted == [0, 1, 2, 3])          // n3 keeps slot 3 (its colour)
    app.selectNeuron(7)
    #expect(app.plotted == [0, 1, 2, 7])                              // every slot pinned: the last one goes
    app.selectNeuron(8)
    #expect(app.plotted == [0, 1, 2, 8])                              // a selected neuron's slot goes first
    let pane = AppLayout(size: app.size)[.membrane]
    let legend = render(app).lines[pane.y + 1]
    #expect(legend.contains("━● n0") && legend.contains("━▲ n1") && legend.contains("━■ n2") && legend.contains("━◆ n8"), "\(legend)")
    // In ASCII each trace is drawn with its own dot symbol, and the legend shows it.
    var ascii = try digitsApp(glyphs: .ascii)
    ascii.stepForward()
    let line = render(ascii).lines[pane.y + 1]
    #expect(line.contains("*o n0") && line.contains("+^ n1") && line.contains("o# n2") && line.contains("x* n3"), "\(line)")
}

@Test(arguments: [false, true])
func at80x24EveryClassIsVisibleAndTheLabelMarked(compare: Bool) throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/digits.toml"), theme: .dark,
                           size: Size(width: 80, height: 24))
    app.stepForward(); app.stepForward()
    if compare { app.setCompare(true) }
    let pane = AppLayout(size: app.size)[.outputs]
    let rows = render(app).lines[pane.y..<pane.maxY].map { String($0.dropFirst(pane.x + 1).prefix(pane.width - 2)) }
    let label = try #require(app.workspace.label(app.sample))
    for c in 0..<10 {
        let mark = c == label ? "▸\(c)" : " \(c)"
        #expect(rows.contains { $0.hasPrefix(mark) }, "class \(c) not shown:\n\(rows.joined(separator: "\n"))")
    }
    if compare {
        let verdict = app.compare!.topOne == label ? "✓" : "✗"
        #expect(rows[1].hasPrefix("T=1: \(app.compare!.topOne) \(verdict)"), "\(rows[1])")
    }
}

@Test func aSessionWithoutWeightsSaysItIsUntrained() throws {
    let untrained = try digitsApp()
    #expect(untrained.untrained)
    #expect(render(untrained).lines[AppLayout(size: untrained.size)[.outputs].y].contains("untrained: seeded weights"))
    let trained = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/digits.toml"), theme: .dark)
    #expect(!trained.untrained)
}

@Test func savingOverAFileAsksFirstAndNoLeavesItUnchanged() throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/tour.toml"), theme: .dark)
    let before = try String(contentsOfFile: repoRoot + "/sessions/tour.toml", encoding: .utf8)
    _ = app.handle(.char("n"))
    #expect(app.handle(.char("s")) == .redraw)                        // asks, does nothing yet
    let question = try #require(app.confirmation)
    #expect(question.question.hasPrefix("save over \(repoRoot)/sessions/tour.toml? y overwrites it"))
    #expect(render(app).description.contains("save over "))
    #expect(app.handle(.char("n")) == .redraw)                        // any other key cancels
    #expect(app.confirmation == nil && app.message == StatusMessage("cancelled") && app.cursor == 1)
    #expect(try String(contentsOfFile: repoRoot + "/sessions/tour.toml", encoding: .utf8) == before)
    _ = app.handle(.char("s"))
    guard case .save(_, let path)? = app.confirmation?.onYes else { Issue.record("no save question"); return }
    #expect(path == repoRoot + "/sessions/tour.toml")
    #expect(app.handle(.char("y")) == .save(app.session, path: path)) // y hands the save to the loop
}

@Test func quittingWithUnsavedTrainedWeightsAsks() throws {
    var app = try digitsApp()
    #expect(app.handle(.char("q")) == .quit)                          // nothing to lose: quits at once
    app.weightsUnsaved = true
    #expect(app.handle(.char("q")) == .redraw && app.confirmation?.onYes == .quit)
    #expect(app.handle(.char("y")) == .quit)
}

@Test func theShortTCommandParses() throws {
    #expect(try AppCommand.parse("T8") == .timesteps(8))
    #expect(try AppCommand.parse("T 8") == .timesteps(8))
    #expect(try AppCommand.parse("t12") == .timesteps(12))
}

@Test func focusDecidesWhatJAndKMove() throws {
    var app = try digitsApp()                      // traces n0..n3, n0 selected
    app.setFocus(.membrane)
    _ = app.handle(.char("k"))                      // the membrane pane: k goes to the previous trace (wraps)
    #expect(app.neuron == 3 && app.plotted == [0, 1, 2, 3])
    _ = app.handle(.char("j"))
    #expect(app.neuron == 0)
    app.setFocus(.raster)
    _ = app.handle(.char("k")); _ = app.handle(.char("j")); _ = app.handle(.char("j"))
    #expect(app.neuron == 2)                        // the raster: neuron by neuron
    _ = app.handle(.scrollDown)                     // the wheel moves by a row of the raster
    #expect(app.neuron > 2)
    var lif = try lifApp()
    _ = lif.handle(.char("c"))                      // no readout: compare says why instead of toggling
    #expect(!lif.compareMode && lif.message == StatusMessage("compare needs a readout layer (its logits); this model has none"))
}

@Test func thePromptEditsWithACursorHistoryAndCompletion() throws {
    var app = try digitsApp()
    func type(_ text: String) { for ch in text { _ = app.handle(.char(ch)) } }
    _ = app.handle(.char(":"))
    type("smaple 3")
    for _ in 0..<7 { _ = app.handle(.left) }                  // back to after "s"
    _ = app.handle(.delete); _ = app.handle(.delete)         // "s|ple 3"
    type("am")                                                // "sam|ple 3"
    #expect(app.commandLine == "sample 3" && app.commandEditor.cursor == 3)
    _ = app.handle(.enter)
    #expect(app.sample == 3 && app.commandLine == nil)
    _ = app.handle(.char(":")); _ = app.handle(.up)           // history brings the last command back
    #expect(app.commandLine == "sample 3")
    _ = app.handle(.escape)
    _ = app.handle(.char(":")); type("ta"); _ = app.handle(.tab)
    #expect(app.commandLine == "target ")                     // one completion: the word and a space
    type("tr"); _ = app.handle(.tab)
    #expect(app.commandLine == "target truenorth ")
    _ = app.handle(.escape)
    _ = app.handle(.char(":")); type("layer h"); _ = app.handle(.tab)
    #expect(app.commandLine == "layer hidden ")
    _ = app.handle(.escape)
    _ = app.handle(.char(":")); type("t"); _ = app.handle(.tab)   // several: T, target, theme, train
    #expect(app.commandLine == "t")
}

@Test func theAdaptationLessonShowsATAndLengtheningIntervals() throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/adaptation.toml"), theme: .dark)
    for _ in 0..<80 { app.stepForward() }
    let r = try #require(app.recorder)
    #expect(r.layers[0].secondState == "a")
    let a = (1...80).compactMap { r.secondStates(layer: 0, step: $0)?.first }
    #expect(a.count == 80 && a[79] > a[0])                            // the adaptation current builds up
    let pane = AppLayout(size: app.size)[.membrane]
    let text = render(app)
    #expect(text.lines[pane.y + 1].contains("a(n0)"))
    let title = text.lines[pane.y]
    let intervals = try #require(title.range(of: "intervals ")).upperBound
    let numbers = title[intervals...].split(separator: " ").compactMap { Int($0.prefix { $0.isNumber }) }
    #expect(numbers.count >= 3 && numbers.last! > numbers.first!, "\(title)")   // they lengthen
}

// MARK: - spikes mode (rate models)

/// `v` on the rate digits session steps its spiking twin for 200 steps; after a presentation the
/// spikes give the rate network's answer, the neurons shown fire near the rates predicted for
/// them, and the outputs pane says both; `v` again goes back to rates at the session's T. A
/// model without soft-LIF refuses with a message.
@Test func spikesModeRunsTheRateNetworkAsSpikes() throws {
    var app = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/rate-vs-spikes.toml"), theme: .dark,
                           size: Size(width: 160, height: 48))
    #expect(app.timesteps == 1 && app.isRateNetwork)
    #expect(app.handle(.char("v")) == .redraw)
    #expect(app.spikingMode && app.timesteps == AppState.spikesTimesteps)
    let reference = try #require(app.rateReference)
    for _ in 0..<AppState.spikesTimesteps { _ = app.stepForward() }
    #expect(app.recorder.map { r in (1...app.cursor).reduce(0) { $0 + r.spikeCount(layer: 0, step: $1) } } ?? 0 > 100)
    let spikes = try #require(app.spikingAnswer)
    #expect(argmax(spikes) == reference.top)
    var close = 0, shown = 0
    for n in 0..<20 {
        guard let r = app.spikingRate(neuron: n), r.predicted > 20 else { continue }
        shown += 1
        if abs(r.measured - r.predicted) <= 0.15 * r.predicted + 10 { close += 1 }
    }
    #expect(shown >= 3 && close == shown, "\(close) of \(shown) neurons near their rate")
    let text = render(app).description
    #expect(text.contains("Outputs · rates vs spikes") && text.contains("spikes, 200 steps:") && text.contains("Hz measured"))
    #expect(text.contains("as spikes"))
    _ = app.handle(.char("v"))
    #expect(!app.spikingMode && app.timesteps == 1 && app.rateReference == nil)
    var lif = try digitsApp()
    _ = lif.handle(.char("v"))
    #expect(!lif.spikingMode && lif.message?.text.contains("no soft-lif layer") == true)
}

// MARK: - event input

/// The digits through the simulated saccade camera: 2 polarity channels of 8x8, T = 4.
private func digitsEventsApp(glyphs: Glyphs = .unicode) throws -> AppState {
    let text = """
        name = "digits-events"
        seed = 1
        timesteps = 4
        [input]
        shape = [2, 8, 8]
        encoder = "frames"
        [data]
        source = "digits"
        [events]
        [[layers]]
        name = "flat"
        type = "flatten"
        [[layers]]
        name = "hidden"
        type = "dense"
        outputs = 32
        neuron = "lif"
        [[layers]]
        name = "readout"
        type = "dense"
        outputs = 10

        """
    return try AppState(workspace: try Workspace(session: try Session.parse(text, file: repoRoot + "/sessions/e.toml")),
                        theme: .dark, glyphs: glyphs, size: Size(width: 120, height: 40))
}

@Test func eventInputShowsTheStepsFrameItsWindowAndCounts() throws {
    var app = try digitsEventsApp()
    let view = try #require(app.workspace.eventView(app.sample, timesteps: 4))
    var text = render(app).description
    #expect(text.contains("frame 1/4"), "\(text)")
    let w = view.windows[0]
    #expect(text.contains(String(format: "%.1f-%.1f ms", Double(w.start) / 1000, Double(w.end) / 1000)))
    let plane = 64, on1 = Int(view.frames[0..<plane].reduce(0, +)), off1 = Int(view.frames[plane..<(2 * plane)].reduce(0, +))
    #expect(text.contains("on \(on1) off \(off1)"))
    app.stepForward(); app.stepForward()
    text = render(app).description
    #expect(text.contains("frame 2/4"))
    // half blocks in the theme's ON and OFF colours
    let buffer = render(app)
    var colours = Set<String>()
    for y in 0..<buffer.height { for x in 0..<buffer.width where buffer[x, y].symbol == "▀" { colours.insert("\(buffer[x, y].style.fg)") } }
    #expect(colours.contains("\(app.theme.eventOn.fg)") || colours.contains("\(app.theme.eventOff.fg)"))
    // ASCII: '+' and '-' characters
    let ascii = try digitsEventsApp(glyphs: .ascii)
    let plain = render(ascii).description
    #expect(plain.contains("frame 1/4") && (plain.contains("+") || plain.contains("-")))
}

@Test func compareOnEventsBinsTOneAfresh() throws {
    var app = try digitsEventsApp()
    _ = app.handle(.char("c"))
    let c = try #require(app.compare)
    // T = 1 is the whole recording in one frame, not the first of the four frames
    let ws = app.workspace
    let sim = Simulation(network: ws.network, batch: 1, timesteps: 1, seed: ws.session.seed, recording: nil)
    try sim.setInput(ws.input(app.sample, timesteps: 1))
    sim.reset(stream: UInt64(app.sample))
    sim.step()
    let whole = softmax(Array(sim.logits()))
    #expect(zip(whole, c.probabilitiesOne).allSatisfy { abs($0 - $1) < 1e-6 })
    app.stepForward()
    let first = softmax(Array(try #require(app.logits(step: 1))))
    #expect(!zip(first, c.probabilitiesOne).allSatisfy { abs($0 - $1) < 1e-6 })
}
