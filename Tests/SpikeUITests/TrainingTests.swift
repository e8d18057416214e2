import SpikeTerm
// The training view and accuracy by T: background runs on a few digits, snapshots through the
// mailbox, weights swapped only when the UI polls (between frames), stop, save, and the loop's
// waits. Runs are tiny (64 samples, 1-2 epochs) so the debug build stays fast.

import Foundation
import SpikeCore
import SpikeSession
import SpikeTrain
import Testing
@testable import SpikeUI

private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The digits session with seeded, untrained weights.
private func digitsApp(width: Int = 120, height: Int = 40) throws -> AppState {
    let text = try String(contentsOfFile: repoRoot + "/sessions/digits.toml", encoding: .utf8)
    let noWeights = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("weights =") }.joined(separator: "\n")
    let session = try Session.parse(noWeights, file: repoRoot + "/sessions/digits-test.toml")
    return try AppState(workspace: try Workspace(session: session), theme: .dark, size: Size(width: width, height: height))
}

private func tinyConfig(epochs: Int, lr: Double = 3e-3) throws -> TrainConfig {
    try TrainConfig(epochs: epochs, batchSize: 16, T: 4, loss: try Loss.parse("mean"), lr: lr, seed: 1, trainLimit: 64)
}

private func render(_ state: AppState) -> String {
    var buffer = Buffer(width: state.size.width, height: state.size.height)
    view(state, into: &buffer)
    return buffer.description
}

/// Polls like the loop does (once per turn) until `done` holds; false after `seconds`.
private func poll(_ app: inout AppState, seconds: Double = 120, until done: (AppState) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        app.pollBackground()
        if done(app) { return true }
        usleep(5_000)
    }
    return false
}

/// Waits (without polling the state) until the run's mailbox holds its outcome.
private func waitForOutcome(_ job: TrainingJob?, seconds: Double = 120) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if job?.mailbox.read(newerThan: -1)?.outcome != nil { return true }
        usleep(5_000)
    }
    return false
}

@Test func curveKeepsAtMostItsCapacityAndSpreadsOverTheRun() {
    var c = Curve(capacity: 4)
    for v in 1...4 { c.append(Double(v)) }
    #expect(c.points == [1.5, 3.5] && c.stride == 2 && c.count == 4)
    c.append(5); c.append(7)
    #expect(c.points == [1.5, 3.5, 6])
    #expect(c.resampled(to: 1) == [11.0 / 3])
    // 6 values of a 12-value run over 4 columns: values 0..<3 and 3..<6 drawn, the rest empty.
    let cols = c.plotted(columns: 4, total: 12)
    #expect(cols[0] == 1.5 && cols[1] == 4.75 && cols[2].isNaN && cols[3].isNaN)
    #expect(Curve().plotted(columns: 3, total: 0).allSatisfy { $0.isNaN })
    #expect(c.plotted(columns: 0, total: 5).isEmpty)
}

@Test func trainCommandsParseAndNeedData() throws {
    #expect(try AppCommand.parse("train") == .train(nil))
    #expect(try AppCommand.parse("train 3") == .train(3))
    #expect(try AppCommand.parse("stop") == .stop)
    #expect(throws: AppError.badArgument(":train needs at least 1 epoch, found 0")) { try AppCommand.parse("train 0") }
    #expect(throws: AppError.badArgument(":train needs a number of epochs, found 'x'")) { try AppCommand.parse("train x") }
    var lif = try AppState(workspace: try Workspace(path: repoRoot + "/sessions/lif-neuron.toml"), theme: .dark)
    #expect(lif.handle(.char("T")) == .train(epochs: nil) && lif.showTraining)
    AppLoop().perform(.train(epochs: nil), on: &lif)
    #expect(lif.message == StatusMessage("cannot train: this session has no dataset (data.source = \"stimulus\")", isError: true))
    #expect(!lif.hasBackgroundWork && lif.training == .idle)
    #expect(render(lif).contains("nothing trained yet"))
    #expect(lif.handle(.escape) == .redraw && !lif.showTraining)
    #expect(lif.handle(.char("x")) == .redraw && lif.message == StatusMessage("no training is running"))
    let digits = try AppState.defaultTrainConfig(for: try digitsApp().workspace.session, epochs: nil)
    #expect(digits.epochs == 30 && digits.batchSize == 32 && digits.learningRate == 3e-3 && digits.augmentation != nil)
}

@Test func trainingPublishesSnapshotsAndSwapsWeightsBetweenFrames() throws {
    var app = try digitsApp()
    app.stepForward()
    let before = Array(try #require(app.logits(step: 1)))
    let weightsBefore = app.workspace.network.parameters
    app.startTraining(config: try tinyConfig(epochs: 2), testLimit: 32)
    #expect(app.showTraining && app.training.isActive && app.hasBackgroundWork)
    #expect(app.inputTimeoutMs == AppState.backgroundPollMs)
    #expect(render(app).contains("Training"))
    // Snapshots arrive through the mailbox while the run goes on.
    #expect(poll(&app) { ($0.training.snapshot?.batchesPerEpoch ?? 0) > 0 || !$0.training.isActive })
    #expect(app.training.snapshot?.summary.hasPrefix("digits · T=4 · batch 16 · adam lr 0.003") == true)
    // The finished weights wait in the mailbox until the UI polls: nothing changes in between.
    let version = app.weightsVersion
    #expect(waitForOutcome(app.trainingJob))
    #expect(app.workspace.network.parameters == weightsBefore && app.weightsVersion == version)
    let changed = app.pollBackground()
    #expect(changed)
    guard case .ended(let s) = app.training else { Issue.record("expected an ended run, got \(app.training)"); return }
    #expect(s.outcome == .finished && s.epochsCompleted == 2 && s.batchesPerEpoch == 4 && s.testAccuracy.count == 2)
    #expect(s.lossCurve.count == 8 && s.accuracyCurve.count == 8)
    #expect(app.weightsVersion == version + 1 && app.weightsUnsaved && !app.hasBackgroundWork)
    #expect(app.workspace.network.parameters != weightsBefore)
    #expect(app.cursor == 0 && app.inputTimeoutMs == AppState.idleTimeoutMs)
    // The stepping view runs the new weights.
    app.stepForward()
    let after = Array(try #require(app.logits(step: 1)))
    #expect(after != before)
    let text = render(app)
    #expect(text.contains("trained 2 epochs, test acc"))
    #expect(text.contains("loss per batch") && text.contains("trained (unsaved)"))
    // `s` saves the session only; :save NAME writes NAME.safetensors beside NAME.toml.
    // (This session's file does not exist, so nothing is overwritten and nothing asked.)
    #expect(app.handle(.char("s")) == .save(app.session, path: app.savePath(nil)) && app.confirmation == nil)
    let dir = NSTemporaryDirectory() + "spikescope-train-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let effect = app.execute(.save(dir + "/mine"))
    #expect(effect == .saveWeights(app.session, path: dir + "/mine.toml", weights: dir + "/mine.safetensors"))
    AppLoop().perform(effect, on: &app)
    #expect(app.message == StatusMessage("saved \(dir)/mine.toml and \(dir)/mine.safetensors"))
    #expect(!app.weightsUnsaved)
    let saved = try Workspace(path: dir + "/mine.toml")
    #expect(saved.session.weights == "mine.safetensors")
    #expect(saved.network.parameters == app.workspace.network.parameters)
    // T now hides and shows the view without starting another run.
    #expect(app.handle(.char("T")) == .redraw && !app.showTraining)
    #expect(app.handle(.char("T")) == .redraw && app.showTraining && !app.training.isActive)
}

@Test func stopKeysEndARunWithTheWeightsSoFar() throws {
    var app = try digitsApp()
    let weightsBefore = app.workspace.network.parameters
    app.startTraining(config: try tinyConfig(epochs: 500), testLimit: 0)
    #expect(poll(&app) { ($0.training.snapshot?.batch ?? -1) >= 0 })
    #expect(app.execute(.train(nil)) == .redraw)
    #expect(app.message == StatusMessage("training is already running (x stops it)", isError: true))
    #expect(app.handle(.char("x")) == .redraw)
    guard case .running(_, true) = app.training else { Issue.record("expected stopping, got \(app.training)"); return }
    #expect(render(app).contains("stopping after this batch"))
    #expect(poll(&app) { !$0.training.isActive })
    #expect(app.training.snapshot?.outcome == .stopped)
    #expect((app.training.snapshot?.epochsCompleted ?? 500) < 500)
    #expect(app.workspace.network.parameters != weightsBefore && app.weightsUnsaved)
    #expect(app.training.text.hasPrefix("training stopped after"))
    // :train starts another run; T stops it.
    #expect(app.execute(.train(500)) == .train(epochs: 500))
    app.startTraining(config: try tinyConfig(epochs: 500), testLimit: 0)
    #expect(app.handle(.char("T")) == .redraw)
    #expect(poll(&app) { !$0.training.isActive })
    #expect(app.training.snapshot?.outcome == .stopped)
}

@Test func aFailedRunKeepsTheWeightsAndReportsInTheStatusLine() throws {
    var app = try digitsApp()
    let weightsBefore = app.workspace.network.parameters
    app.startTraining(config: try tinyConfig(epochs: 3, lr: 1e38), testLimit: 0)
    #expect(poll(&app) { !$0.training.isActive })
    guard case .failed(let why)? = app.training.snapshot?.outcome else {
        Issue.record("expected a failure, got \(app.training)"); return
    }
    #expect(why.contains("loss"))
    #expect(app.message?.isError == true && app.message?.text.hasPrefix("training failed: ") == true)
    #expect(app.workspace.network.parameters == weightsBefore && !app.weightsUnsaved)
}

@Test func accuracyByTAppearsInTheCompareViewOnceComputed() throws {
    var app = try digitsApp(width: 200, height: 60)
    app.setCompare(true)
    #expect(render(app).contains("accuracy: -"))
    app.startAccuracyIfNeeded()
    #expect(app.accuracyPending && app.inputTimeoutMs == AppState.backgroundPollMs)
    #expect(render(app).contains("accuracy: computing..."))
    #expect(poll(&app) { $0.accuracyByT != nil })
    let a = try #require(app.accuracyByT)
    #expect(a.timesteps == [1, 2, 4, 8] && a.samples == 360 && a.accuracy.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(render(app).contains("accuracy " + a.compactText + " (n=360)"))
    // At 120x40 every T of the line is visible.
    var small = app
    small.size = Size(width: 120, height: 40)
    #expect(render(small).contains("accuracy " + a.compactText))
    #expect(!app.hasBackgroundWork)
    // Cached for these weights: asking again starts nothing.
    app.startAccuracyIfNeeded()
    #expect(!app.accuracyPending)
    // Out of compare mode the result is not shown, so it asks for no frame.
    var plain = try digitsApp()
    plain.startAccuracyIfNeeded()
    var redraws = 0
    let deadline = Date().addingTimeInterval(120)
    while plain.hasBackgroundWork && Date() < deadline {
        if plain.pollBackground() { redraws += 1 }
        usleep(5_000)
    }
    #expect(plain.accuracyByT == a && redraws == 0)
    // New weights: the figure goes until it is computed for them.
    try app.replaceNetwork(try Network(spec: app.workspace.session.model, seed: 99))
    #expect(app.accuracyByT == nil)
}

@Test func loopWaitsLongWhenIdleAndShortWhileTraining() throws {
    var idle = try digitsApp(width: 100, height: 30)
    var loop = AppLoop()
    loop.evaluatesAccuracy = false
    let quiet = HeadlessTerminal(width: 100, height: 30, keys: [.char("n"), .char("q")])
    loop.run(&idle, terminal: quiet)
    #expect(quiet.waits == [AppState.idleTimeoutMs, AppState.idleTimeoutMs])

    var busy = try digitsApp(width: 100, height: 30)
    busy.startTraining(config: try tinyConfig(epochs: 500), testLimit: 0)
    let term = HeadlessTerminal(width: 100, height: 30, keys: [.char("n"), .char("q")])
    loop.run(&busy, terminal: term)
    #expect(term.waits.first == AppState.backgroundPollMs)
    #expect(term.screen.description.contains("Training"))
    busy.stopTraining()
    #expect(poll(&busy) { !$0.training.isActive })
}
