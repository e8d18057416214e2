import Foundation
import Testing
import SpikeCore

/// The repository root (Tests/CLITests/CLITests.swift is three levels down).
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The built `spikescope` beside the test bundle.
private func binary() throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("spikescope").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw CLIError(message: "spikescope binary not found near \(CommandLine.arguments[0])")
}

private struct CLIError: Error { let message: String }

/// Runs spikescope with `arguments` in the repository root; returns exit code, stdout, stderr.
private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try binary())
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    var env = ProcessInfo.processInfo.environment
    env["COLUMNS"] = "100"
    env.merge(environment) { $1 }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Test func runJSONFollowsTheDocumentedShape() throws {
    let r = try run(["run", "--session", "sessions/lif-neuron.toml", "--json", "--steps", "25"])
    #expect(r.code == 0, "\(r.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    let steps = try #require(json["steps"] as? [[String: Any]])
    #expect(steps.count == 25)
    #expect(steps.first?["t"] as? Int == 1)
    let spikes = steps.map { ($0["spikes"] as? [Int]) ?? [-1] }
    #expect(spikes.enumerated().filter { $0.element == [1] }.map { $0.offset + 1 } == [20])
    #expect(json["prediction"] is NSNull && json["label"] is NSNull)   // no readout, no label
}

@Test func runTextPrintsOneLinePerStepAndIsDeterministic() throws {
    let a = try run(["run", "--session", "sessions/adaptation.toml", "--steps", "50"])
    let b = try run(["run", "--session", "sessions/adaptation.toml", "--steps", "50"])
    #expect(a.code == 0)
    #expect(a.out == b.out)
    let lines = a.out.split(separator: "\n")
    #expect(lines.count == 50)
    #expect(lines[2].hasPrefix("step   3 neuron: 1 spike  v 0.0000"))
}

@Test func badInputExitsTwoWithAMessageNamingTheProblem() throws {
    let missing = try run(["run", "--session", "sessions/nope.toml"])
    #expect(missing.code == 2)
    #expect(missing.err == "spikescope: error: sessions/nope.toml: cannot read: no such file\n")
    let usage = try run(["run", "--bogus"])
    #expect(usage.code == 2)
    #expect(usage.err.contains("Unknown option '--bogus'"))
    let sample = try run(["run", "--session", "sessions/lif-neuron.toml", "--sample", "3"])
    #expect(sample.code == 2)
    #expect(sample.err == "spikescope: error: --sample must be from 0 to 0, found 3\n")
    let dir = NSTemporaryDirectory() + "spikescope-cli-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "timesteps = 4\n[input]\nshape = [64]\n[model]\nweights = \"w.safetensors\"\n[[layers]]\ntype = \"dense\"\noutputs = 10\n"
        .write(toFile: dir + "/s.toml", atomically: true, encoding: .utf8)
    let noWeights = try run(["run", "--session", dir + "/s.toml"])
    #expect(noWeights.code == 2)
    #expect(noWeights.err == "spikescope: error: \(dir)/w.safetensors: cannot read safetensors file: no such file\n")
}

@Test func infoListsLayersAndTotals() throws {
    let r = try run(["info", "--session", "sessions/lif-neuron.toml"])
    #expect(r.code == 0)
    #expect(r.out.contains("1  neuron  dense  [1]     LIF β=0.9 θ=1.0 reset=zero refr=3"))
    #expect(r.out.split(separator: "\n").last?.split(separator: " ").suffix(3) == ["1", "1", "1"])
    // a session with a learning rule says so, and `run` learns as the workbench does: the same
    // spikes twice, and not those of the same model without the rule
    let l = try run(["info", "--session", "sessions/r-stdp.toml"])
    #expect(l.out.contains("learning r-stdp on layer post after every step, dt 0.001 s, reward 0.5 at steps 1500, 3500"), "\(l.out)")
    let a = try run(["run", "--session", "sessions/song-abbott.toml", "--steps", "20000", "--json"])
    let b = try run(["run", "--session", "sessions/song-abbott.toml", "--steps", "20000", "--json"])
    #expect(a.code == 0 && a.out == b.out, "\(a.err)")
    let text = try String(contentsOfFile: repoRoot + "/sessions/song-abbott.toml", encoding: .utf8)
    let dir = NSTemporaryDirectory() + "spikescope-plastic-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cut = try #require(text.range(of: "[plasticity]"))
    try String(text[..<cut.lowerBound]).write(toFile: dir + "/fixed.toml", atomically: true, encoding: .utf8)
    let c = try run(["run", "--session", dir + "/fixed.toml", "--steps", "20000", "--json"])
    #expect(c.code == 0 && c.out != a.out, "\(c.err)")
}

@Test func evalJSONReportsAccuracyByTOfTheShippedDigitsModel() throws {
    let r = try run(["eval", "--session", "sessions/digits.toml", "--T", "1,4", "--json"])
    #expect(r.code == 0, "\(r.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(json["n"] as? Int == 360)
    let byT = try #require(json["accuracy_by_T"] as? [String: Double])
    #expect(Set(byT.keys) == ["1", "4"])
    #expect((byT["4"] ?? 0) >= 0.95)   // the committed weights reach 95.8 % at T = 4
    #expect((json["per_step_accuracy"] as? [Double])?.count == 4)
}

@Test func shortDigitsTrainingReachesABoundAndWritesACheckpoint() throws {
    let dir = NSTemporaryDirectory() + "spikescope-train-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/d.safetensors"
    let r = try run(["train", "--session", "sessions/digits.toml", "--epochs", "15", "--batch", "32", "--loss", "mean+etc",
                     "--lr", "3e-3", "--out", out])
    #expect(r.code == 0, "\(r.err)")
    #expect(r.out.contains("epoch 15/15"))
    #expect(FileManager.default.fileExists(atPath: out))
    #expect(FileManager.default.fileExists(atPath: dir + "/d.state.safetensors"))
    // the checkpoint session points at the new weights and keeps the model
    let e = try run(["eval", "--session", dir + "/d.toml", "--T", "4", "--json"])
    #expect(e.code == 0, "\(e.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(e.out.utf8)) as? [String: Any])
    let acc = try #require((json["accuracy_by_T"] as? [String: Double])?["4"])
    #expect(acc >= 0.85, "15 epochs of digits reached only \(acc)")   // measured ~0.90-0.93 without augmentation
    // resuming a finished run trains no more epochs and keeps the weights readable
    let again = try run(["train", "--session", "sessions/digits.toml", "--epochs", "15", "--batch", "32", "--loss", "mean+etc",
                         "--lr", "3e-3", "--out", out, "--resume"])
    #expect(again.code == 0, "\(again.err)")
    #expect(!again.out.contains("epoch 1/15"))
}

/// Rate mode end to end: a soft-LIF digits network trained on rates with noise, then evaluated
/// as rates and as spikes; the spiking run after 200 steps is close to the rates, and `info`
/// says how the weights were trained.
@Test func rateTrainingRunsAsSpikes() throws {
    let dir = NSTemporaryDirectory() + "spikescope-rate-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/r.safetensors"
    let t = try run(["train", "--session", "sessions/rate-vs-spikes.toml", "--mode", "rate", "--rate-noise", "gaussian:10",
                     "--epochs", "30", "--batch", "32", "--lr", "3e-3", "--T", "1", "--out", out])
    #expect(t.code == 0, "\(t.err)")
    func accuracy(_ extra: [String], _ key: String) throws -> Double {
        let e = try run(["eval", "--session", dir + "/r.toml", "--json"] + extra)
        #expect(e.code == 0, "\(e.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(e.out.utf8)) as? [String: Any])
        return try #require((json["accuracy_by_T"] as? [String: Double])?[key])
    }
    let rates = try accuracy(["--T", "1"], "1")
    let spikes = try accuracy(["--mode", "spiking", "--steps", "50,200"], "200")
    #expect(rates >= 0.8, "30 epochs of rate training reached only \(rates)")
    #expect(abs(spikes - rates) <= 0.03, "spiking \(spikes) against rates \(rates)")
    let info = try run(["info", "--session", dir + "/r.toml"])
    #expect(info.out.contains("trained  rate mode (soft-LIF), noise gaussian:10.0"))
    // the same weights under a session whose soft-LIF parameters differ are refused
    let text = try String(contentsOfFile: dir + "/r.toml", encoding: .utf8)
    try text.replacingOccurrences(of: "tau_rc = 0.02", with: "tau_rc = 0.05").write(toFile: dir + "/other.toml", atomically: true, encoding: .utf8)
    let other = try run(["eval", "--session", dir + "/other.toml", "--mode", "spiking"])
    #expect(other.code == 2)
    #expect(other.err.contains("trained with soft-lif hidden: tau_rc=0.02") && other.err.contains("hidden: tau_rc=0.05"))
    // τ ≤ 0 is refused when the session is read
    try text.replacingOccurrences(of: "tau_rc = 0.02", with: "tau_rc = 0").write(toFile: dir + "/zero.toml", atomically: true, encoding: .utf8)
    let zero = try run(["eval", "--session", dir + "/zero.toml", "--mode", "spiking"])
    #expect(zero.code == 2)
    #expect(zero.err.contains("'layers[1].tau_rc' must be a positive number (seconds), found 0"))
}

@Test(arguments: [
    (["eval", "--session", "sessions/digits.toml", "--mode", "spiking"],
     "spikescope: error: sessions/digits.toml: layer 1 ('hidden'): no layer runs soft-lif: there are no rates to run as spikes\n"),
    (["eval", "--session", "sessions/rate-vs-spikes.toml", "--mode", "spiking", "--tau-syn=-1"],
     "spikescope: error: sessions/rate-vs-spikes.toml: layer 1 ('hidden'): tau_syn must be a number >= 0 (seconds), found -1.0\n"),
    (["eval", "--session", "sessions/rate-vs-spikes.toml", "--mode", "spiking", "--steps", "50", "--settle", "50"],
     "spikescope: error: --settle must be >= 0 and below the shortest of --steps (50), found 50\n"),
    (["eval", "--session", "sessions/rate-vs-spikes.toml", "--mode", "spiking", "--refractory", "soft"],
     "spikescope: error: --refractory must be exact or steps, found 'soft'\n"),
    (["eval", "--session", "sessions/rate-vs-spikes.toml", "--mode", "rates"],
     "spikescope: error: --mode must be as-trained or spiking, found 'rates'\n"),
    (["train", "--session", "sessions/digits.toml", "--mode", "rate", "--epochs", "1", "--out", "/tmp/never-written.safetensors"],
     "spikescope: error: sessions/digits.toml: --mode rate needs soft-lif neurons in the model; this one has none\n"),
    (["train", "--session", "sessions/rate-vs-spikes.toml", "--rate-noise", "gaussian", "--epochs", "1", "--out", "/tmp/never-written.safetensors"],
     "spikescope: error: rate_noise: must be gaussian:SIGMA (Hz, >= 0) or poisson:WINDOW (steps, >= 1), found 'gaussian'\n"),
    (["train", "--session", "sessions/digits.toml", "--rate-noise", "gaussian:10", "--epochs", "1", "--out", "/tmp/never-written.safetensors"],
     "spikescope: error: rate_noise: must be a network with soft-lif layers (rate mode), found 'gaussian:10.0'\n"),
])
func badRateModeInputExitsTwo(arguments: [String], message: String) throws {
    let r = try run(arguments)
    #expect(r.code == 2)
    #expect(r.err == message)
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.safetensors"))
}

@Test(arguments: [
    (["--loss", "mse"], "spikescope: error: loss: unknown name 'mse', expected one of mean, tet, mean+etc, tet+etc\n"),
    (["--T", "0"], "spikescope: error: T: must be at least 1, found '0'\n"),
    (["--lambda=-1", "--loss", "mean+etc"], "spikescope: error: lambda: must be a positive finite number, found '-1.0'\n"),
    (["--tau", "nan", "--loss", "mean+etc"], "spikescope: error: tau: must be a positive finite number, found 'nan'\n"),
    (["--data", "/nonexistent"], "spikescope: error: /nonexistent/train-images-idx3-ubyte[.gz]: file not found\n"),
    (["--bn-stats", "tdbn"], "spikescope: error: bn-stats: must be one of time, step, found 'tdbn'\n"),
])
func badTrainingInputExitsTwo(extra: [String], message: String) throws {
    let r = try run(["train", "--session", "sessions/digits.toml", "--epochs", "1", "--out", "/tmp/never-written.safetensors"] + extra)
    #expect(r.code == 2)
    #expect(r.err == message)
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.safetensors"))
}

/// Starts digits training with more epochs than any test waits for, writing checkpoints to `out`.
private func startEndlessTraining(out: String, stdout: Any, batch: Int = 64, trainLimit: Int? = nil, resume: Bool = false) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try binary())
    p.arguments = ["train", "--session", "sessions/digits.toml", "--epochs", "100000", "--batch", "\(batch)", "--out", out]
        + (trainLimit.map { ["--train-limit", "\($0)", "--test-limit", "0"] } ?? []) + (resume ? ["--resume"] : [])
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    p.standardOutput = stdout
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

@Test func ctrlCDuringTrainingSavesACheckpointAndExits130() throws {
    let dir = NSTemporaryDirectory() + "spikescope-sigint-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/d.safetensors"
    let pipe = Pipe()
    let p = try startEndlessTraining(out: out, stdout: pipe)
    // wait for the first epoch's checkpoint, then interrupt mid-run
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: out) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(FileManager.default.fileExists(atPath: out))
    kill(p.processIdentifier, SIGINT)
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 130)
    #expect(text.contains("stopped: checkpoint \(out)"))
    // the checkpoint is whole: its session opens and evaluates
    let e = try run(["eval", "--session", dir + "/d.toml", "--T", "1", "--json", "--limit", "50"])
    #expect(e.code == 0, "\(e.err)")
}

@Test func aKillAfterAnEpochLeavesAWholeCheckpoint() throws {
    // SIGKILL gives the trainer no chance to clean up: what the epoch wrote must stand alone.
    let dir = NSTemporaryDirectory() + "spikescope-sigkill-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/d.safetensors", session = dir + "/d.toml"
    let p = try startEndlessTraining(out: out, stdout: FileHandle.nullDevice)
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: session) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(FileManager.default.fileExists(atPath: session), "no session file while training ran")
    let e = try run(["eval", "--session", session, "--T", "1", "--json", "--limit", "50"])
    #expect(e.code == 0, "\(e.err)")
    // and the run can go on from it
    let r = try run(["train", "--session", "sessions/digits.toml", "--epochs", "2", "--batch", "64", "--out", out, "--resume"])
    #expect(r.code == 0, "\(r.err)")
}

/// The trainer issue's short CI version of the Fashion-MNIST benchmark: the conv SNN of
/// sessions/fashion-conv.toml (batch norm, LIF, pools) for one epoch of 512 training images
/// (8 batches; ~40 s in a debug build), then 500 test images. Measured in release with the same
/// two commands (`swift run -c release spikescope train ...`, then `eval ...`): 58.6 % at T = 1,
/// 67.8 % at T = 4 (chance is 10 %; before the running statistics averaged the first batches,
/// T = 1 sat at chance after so short a run).
@Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
               "needs the Debian package dataset-fashion-mnist"))
func shortFashionConvTrainingReachesABound() throws {
    let dir = NSTemporaryDirectory() + "spikescope-fashion-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = try run(["train", "--session", "sessions/fashion-conv.toml", "--epochs", "1", "--batch", "64", "--loss", "mean+etc",
                     "--train-limit", "512", "--test-limit", "0", "--out", dir + "/f.safetensors"])
    #expect(t.code == 0, "\(t.err)")
    let e = try run(["eval", "--session", dir + "/f.toml", "--T", "1,4", "--limit", "500", "--json"])
    #expect(e.code == 0, "\(e.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(e.out.utf8)) as? [String: Any])
    let acc = try #require(json["accuracy_by_T"] as? [String: Double])
    #expect(try #require(acc["4"]) >= 0.5, "\(acc)")
    #expect(try #require(acc["1"]) >= 0.4, "\(acc)")
}

/// The rooms issue's LI and I end to end: a session whose readout is leaky integrators (and the
/// same with integrators) trains, saves a checkpoint session that reads back, evaluates and runs.
@Test(arguments: ["li", "integrator"])
func integratingReadoutSessionsTrainSaveAndRun(neuron: String) throws {
    let dir = NSTemporaryDirectory() + "spikescope-\(neuron)-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var text = try String(contentsOfFile: repoRoot + "/sessions/digits-li.toml", encoding: .utf8)
    if neuron == "integrator" {
        text = text.replacingOccurrences(of: "neuron = \"li\"", with: "neuron = \"integrator\"")
            .replacingOccurrences(of: "beta = 0.8\n", with: "")
    }
    try text.write(toFile: dir + "/s.toml", atomically: true, encoding: .utf8)
    let t = try run(["train", "--session", dir + "/s.toml", "--epochs", "10", "--batch", "32", "--lr", "3e-3",
                     "--out", dir + "/w.safetensors"])
    #expect(t.code == 0, "\(t.err)")
    let saved = try String(contentsOfFile: dir + "/w.toml", encoding: .utf8)
    #expect(saved.contains("neuron = \"\(neuron)\""))
    let e = try run(["eval", "--session", dir + "/w.toml", "--T", "4", "--json"])
    #expect(e.code == 0, "\(e.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(e.out.utf8)) as? [String: Any])
    let acc = try #require((json["accuracy_by_T"] as? [String: Double])?["4"])
    #expect(acc >= 0.7, "10 epochs of digits with an \(neuron) readout reached only \(acc)")
    let r = try run(["run", "--session", dir + "/w.toml", "--json", "--steps", "4"])
    #expect(r.code == 0, "\(r.err)")
    let out = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(out["prediction"] is Int, "an integrating readout gives a prediction")
}

/// Every module's input errors share one marker that the CLI maps to exit 2: a broken theme
/// file (once exit 1) names the file and the position.
@Test func aBrokenThemeFileExitsTwoNamingFileAndPosition() throws {
    let path = NSTemporaryDirectory() + "spikescope-broken-theme-\(getpid()).toml"
    try "[text]\nfg = \"red\"\n[title\nbold = true\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try run(["--theme", path])
    #expect(r.code == 2)
    #expect(r.err == "spikescope: error: \(path):3:7: invalid TOML: expected ']' to close the table header\n")
    try "[text]\nfgg = \"red\"\n".write(toFile: path, atomically: true, encoding: .utf8)
    let field = try run(["--theme", path])
    #expect(field.code == 2)
    #expect(field.err.hasPrefix("spikescope: error: \(path): unknown field 'text.fgg'"), "\(field.err)")
}

@Test func mapReportsCoresTrafficAndEnergyAsJSON() throws {
    let r = try run(["map", "--session", "sessions/digits.toml", "--target", "truenorth", "--samples", "3", "--json"])
    #expect(r.code == 0, "\(r.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(json["cores"] as? Int == 2 && json["cores_available"] as? Int == 4096)
    let per = try #require(json["per_inference"] as? [String: Any])
    let spikes = try #require(per["spikes"] as? Double), packets = try #require(per["packets"] as? Double)
    // Only the hidden layer spikes; each spike is one packet to the readout's core, one hop east,
    // and meets the 10 readout synapses there.
    #expect(spikes > 0 && packets == spikes && per["hops"] as? Double == spikes)
    #expect(abs((per["synaptic_ops"] as? Double ?? 0) - 10 * spikes) < 0.02)   // averages print with 3 decimals
    #expect((per["macs"] as? Double ?? 0) > 0)                // the direct encoder's values are not spikes
    let busiest = try #require(per["busiest_link"] as? [String: Any])     // the one link between the two cores
    #expect(busiest["x"] as? Int == 0 && busiest["y"] as? Int == 0 && busiest["direction"] as? String == "east")
    #expect(busiest["packets"] as? Double == packets)
    #expect(per["energy_pj"] is Double)                        // TrueNorth publishes the synaptic-op cost
    let layers = try #require(json["layers"] as? [[String: Any]])
    #expect(layers.map { $0["cores"] as? Int } == [1, 1])
}

@Test func aModelThatDoesNotFitExitsTwoWithTheReport() throws {
    let r = try run(["map", "--session", "sessions/fashion-conv.toml", "--target", "loihi", "--samples", "1"])
    #expect(r.code == 2)
    #expect(r.err.hasPrefix("spikescope: error: does not fit loihi: layer 'fc1': input axons per core: needs 12544, loihi has 4096."), "\(r.err)")
    let name = try run(["map", "--target", "loihi3"])
    #expect(name.code == 2 && name.err.contains("one of loihi, loihi2, truenorth"), "\(name.err)")
}

@Test func frameBenchRunsALearningSessionAsItIs() throws {
    // digits-unsupervised has no plain dense layer to widen: its own 16 neurons, the Weights pane's grid drawn
    let r = try run(["bench", "frame", "--session", "sessions/digits-unsupervised.toml", "--frames", "10", "--steps", "10", "--steps-shown", "20"])
    #expect(r.code == 0, "\(r.err)")
    let first = try #require(r.out.split(separator: "\n").first)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    #expect(json["bench"] as? String == "ui_frame" && json["neurons"] as? Int == 16 && (json["median_ms"] as? Double ?? 0) > 0)
    let widen = try run(["bench", "frame", "--session", "sessions/digits-unsupervised.toml", "--neurons", "5"])
    #expect(widen.code == 2 && widen.err.contains("no dense layer to widen to --neurons"), "\(widen.err)")
}

@Test func versionIsPrinted() throws {
    let r = try run(["--version"])
    #expect(r.code == 0 && r.out.hasPrefix("spikescope "), "\(r.out)\(r.err)")
}

/// Kill-safety (issue 20), repeated: digits training with one batch per epoch writes a
/// checkpoint every few milliseconds (optimizer state and weights written to temporary files and
/// renamed back to back, then the session). SIGKILL at 50 random moments, each run resuming from
/// the last: after each kill every file is whole (the weights and the state read as safetensors,
/// the session reads and evaluates), never truncated. A kill between the two renames leaves the
/// state one step ahead of the weights: `--resume` then refuses with a message naming both, and
/// the next round starts afresh from the whole weights.
@Test func killsAtRandomMomentsNeverLeaveATruncatedCheckpoint() throws {
    let dir = NSTemporaryDirectory() + "spikescope-kills-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/d.safetensors", session = dir + "/d.toml", state = dir + "/d.state.safetensors"
    var rng = SystemRandomNumberGenerator()
    var checked = 0, between = 0, resume = false
    for round in 0..<50 {
        let p = try startEndlessTraining(out: out, stdout: FileHandle.nullDevice, batch: 64, trainLimit: 64, resume: resume)
        // Kill at a random 5-300 ms into this run (the first waits for its first checkpoint).
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.3, using: &rng) + (round == 0 ? 1.0 : 0))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        guard FileManager.default.fileExists(atPath: session) else { resume = false; continue }
        let weights = try Safetensors.read(path: out), optimizer = try Safetensors.read(path: state)
        let w = try #require(weights.metadata["step"].flatMap(Int.init)), s = try #require(optimizer.metadata["step"].flatMap(Int.init))
        let e = try run(["eval", "--session", session, "--T", "1", "--json", "--limit", "20"])
        #expect(e.code == 0, "round \(round): \(e.err)")
        checked += 1
        resume = s == w
        if s != w {
            between += 1
            let r = try run(["train", "--session", "sessions/digits.toml", "--epochs", "100000", "--batch", "64",
                             "--train-limit", "64", "--test-limit", "0", "--out", out, "--resume"])
            #expect(r.code == 2 && r.err.contains("the run was stopped between the two writes of a checkpoint"), "\(r.err)")
        }
    }
    #expect(checked >= 45, "only \(checked) rounds left a checkpoint to check")
    #expect(between <= 5, "\(between) of 50 kills fell between the two renames")
    // No temporary files are left behind as checkpoints.
    let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix("d.") }
    #expect(left.allSatisfy { !$0.hasSuffix(".safetensors") && !$0.hasSuffix(".toml") }, "\(left)")
    // The run goes on from the last whole checkpoint.
    if resume {
        let epoch = try #require(try Safetensors.read(path: out).metadata["epoch"].flatMap(Int.init))
        let r = try run(["train", "--session", "sessions/digits.toml", "--epochs", "\(epoch + 2)", "--batch", "64",
                         "--train-limit", "64", "--test-limit", "0", "--out", out, "--resume"])
        #expect(r.code == 0, "\(r.err)")
    }
}

/// Events end to end: the digits through the saccade camera written as N-MNIST files, a session
/// reading that folder and one recording the images on the fly train to the same weights, and
/// `eval` bins every T afresh.
@Test func eventsConvertTrainAndEvaluateEndToEnd() throws {
    let dir = NSTemporaryDirectory() + "spikescope-events-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let c = try run(["data", "convert", "--data", "digits", "--to", dir + "/nd"])
    #expect(c.code == 0, "\(c.err)")
    #expect(c.out.contains("digits train: 1437 recordings") && c.out.contains("digits test: 360 recordings"))
    func session(_ source: String) -> String {
        """
        seed = 1
        timesteps = 4
        [input]
        shape = [2, 8, 8]
        encoder = "frames"
        [data]
        source = "\(source)"
        [events]
        seed = 0
        [[layers]]
        name = "flat"
        type = "flatten"
        [[layers]]
        name = "hidden"
        type = "dense"
        outputs = 64
        neuron = "lif"
        [[layers]]
        name = "readout"
        type = "dense"
        outputs = 10

        """
    }
    try session(dir + "/nd").write(toFile: dir + "/folder.toml", atomically: true, encoding: .utf8)
    try session("digits").write(toFile: dir + "/camera.toml", atomically: true, encoding: .utf8)
    let t = try run(["train", "--session", dir + "/camera.toml", "--epochs", "4", "--batch", "32", "--lr", "3e-3",
                     "--out", dir + "/w.safetensors"])
    #expect(t.code == 0, "\(t.err)")
    #expect(t.out.contains("as events, 1437 samples"))
    // the same weights on the folder's recordings and on the camera's: the same answers, every T binned afresh
    var evals: [String] = []
    for name in ["camera", "folder"] {
        let text = try String(contentsOfFile: dir + "/\(name).toml", encoding: .utf8) + "[model]\nweights = \"w.safetensors\"\n"
        try text.write(toFile: dir + "/\(name).toml", atomically: true, encoding: .utf8)
        let e = try run(["eval", "--session", dir + "/\(name).toml", "--T", "1,2,4", "--json"])
        #expect(e.code == 0, "\(e.err)")
        evals.append(e.out)
    }
    #expect(evals[0] == evals[1])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(evals[0].utf8)) as? [String: Any])
    let byT = try #require(json["accuracy_by_T"] as? [String: Double])
    let steps = try #require(json["per_step_accuracy_by_T"] as? [String: [Double]])
    #expect(steps["1"]?.count == 1 && steps["4"]?.count == 4)
    #expect(try #require(byT["4"]) >= 0.6, "\(byT)")
    // a model input that is not one frame of the sensor: exit 2, the field and the shape named
    try session("digits").replacingOccurrences(of: "[2, 8, 8]", with: "[1, 8, 8]").write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
    let bad = try run(["train", "--session", dir + "/bad.toml", "--epochs", "1", "--out", dir + "/bad.safetensors"])
    #expect(bad.code == 2 && bad.err.contains("'input.shape' must be [2, 8, 8]"), "\(bad.err)")
    let unknown = try run(["data", "info", dir + "/camera.toml"])
    #expect(unknown.code == 2 && unknown.err.contains("unknown event format '.toml'"))
}

/// Unsupervised learning (Diehl & Cook) on the first 400 training digits: well above chance;
/// bad options and bad learning files exit 2 naming the option or field. Ctrl-C writes a
/// checkpoint and exits 130; --resume from it ends with the weights and accuracy of the
/// uninterrupted run. (Determinism and restore: SpikeLearnTests.)
@Test func learnWithoutLabelsIsAboveChanceAndResumesWhereCtrlCStopped() throws {
    let dir = NSTemporaryDirectory() + "spikescope-learn-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let whole = ["learn", "--data", "digits", "--train-limit", "400", "--test-limit", "200", "--seed", "4", "--json"]
    let a = try run(whole + ["--out", dir + "/a.safetensors"])
    #expect(a.code == 0, "\(a.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as? [String: Any])
    let accuracy = try #require(json["accuracy"] as? Double)
    #expect(accuracy > 0.3, "\(a.out)")      // measured 0.43 (chance 0.1)
    // --holdout: tested on the training split's last rows, learning from the others
    let held = try run(["learn", "--data", "digits", "--train-limit", "100", "--holdout", "1337", "--test-limit", "50", "--neurons", "10", "--json", "--out", dir + "/h.safetensors"])
    #expect(held.code == 0, "\(held.err)")
    let hj = try #require(try JSONSerialization.jsonObject(with: Data(held.out.utf8)) as? [String: Any])
    #expect(hj["train"] as? Int == 100 && hj["test"] as? Int == 50 && hj["tested_on"] as? String == "the training split's last 1337", "\(held.out)")
    let tooMany = try run(["learn", "--holdout", "1437"])
    #expect(tooMany.code == 2 && tooMany.err.contains("holdout 1437 leaves nothing to learn from: the training split has 1437 samples"), "\(tooMany.err)")
    let bad = try run(["learn", "--neurons", "0"])
    #expect(bad.code == 2 && bad.err.contains("--neurons must be in 1...10000, found 0"))
    try "[learn]\nneurons = 10\n[rule]\nnu_post = -1\n".write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
    let badFile = try run(["learn", "--session", dir + "/bad.toml"])
    #expect(badFile.code == 2 && badFile.err.contains("'rule.nu_post' must be 0 or more, found -1"), "\(badFile.err)")

    // Ctrl-C once the first checkpoint (every 50 samples) is written; then resume to the end
    let out = dir + "/b.safetensors"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try binary())
    p.arguments = whole + ["--out", out, "--checkpoint-every", "50"]
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: out) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    kill(p.processIdentifier, SIGINT)
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 130, "\(text)")
    #expect(text.contains("checkpoint \(out) (resume with --resume)"), "\(text)")
    let r = try run(whole + ["--out", out, "--checkpoint-every", "50", "--resume"])
    #expect(r.code == 0, "\(r.err)")
    let rj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(rj["accuracy"] as? Double == accuracy)
    #expect(try Safetensors.read(path: out).tensors["weights"] == Safetensors.read(path: dir + "/a.safetensors").tensors["weights"])
    // a checkpoint of another run is refused by name
    let other = try run(whole.map { $0 == "4" ? "5" : $0 } + ["--out", out, "--resume"])
    #expect(other.code == 2 && other.err.contains("a checkpoint of another run (seed '4', this run has '5')"), "\(other.err)")
}

/// The shipped VDSP learning file (retuned on held-out rows) learns the first 400 digits well above
/// chance; the reference's threshold and bias (10, 0.025) gave 49 % here, the shipped values 70 %
/// as learned and 76.5 % with the fields matched by cosine at test, as the file ships.
@Test func vdspLearningFileLearnsTheDigitsWellAboveChance() throws {
    let dir = NSTemporaryDirectory() + "spikescope-vdsp-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func accuracy(_ file: String) throws -> Double {
        let r = try run(["learn", "--session", file, "--train-limit", "400", "--test-limit", "200", "--seed", "4", "--json", "--out", dir + "/v.safetensors"])
        #expect(r.code == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        return try #require(json["accuracy"] as? Double)
    }
    let shipped = try accuracy("sessions/learn-digits-vdsp.toml")
    #expect(shipped > 0.7, "\(shipped)")                                   // measured 0.765 (chance 0.1)
    // the same file with the fields matched as learned
    let text = try String(contentsOfFile: repoRoot + "/sessions/learn-digits-vdsp.toml", encoding: .utf8)
    #expect(text.contains("test_match = \"cosine\""))
    try text.replacingOccurrences(of: "test_match = \"cosine\"", with: "test_match = \"learned\"")
        .write(toFile: dir + "/learned.toml", atomically: true, encoding: .utf8)
    let learned = try accuracy(dir + "/learned.toml")
    #expect(learned > 0.5 && learned < shipped, "\(learned) against \(shipped)")     // measured 0.695
}

/// The retuned Diehl & Cook file runs as the shipped one does and says how it matched the fields
/// at test; the text result names the matching too.
@Test func retunedLearningFileMatchesTheFieldsByCosineAtTest() throws {
    let out = NSTemporaryDirectory() + "spikescope-retuned-\(UUID().uuidString).safetensors"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let args = ["learn", "--session", "sessions/learn-digits-retuned.toml", "--train-limit", "150", "--test-limit", "60", "--neurons", "20", "--out", out]
    let r = try run(args + ["--json"])
    #expect(r.code == 0, "\(r.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(json["test_match"] as? String == "cosine" && json["test_scale"] as? Double == 0.7, "\(r.out)")
    #expect(try #require(json["accuracy"] as? Double) > 0.3, "\(r.out)")
    let text = try run(args)
    #expect(text.code == 0 && text.out.contains("after assigning neurons to classes (fields matched by cosine, scale 0.7)"), "\(text.out)")
}

/// `learn --fields` draws each neuron's receptive field as text under the result, captioned with
/// its class; it cannot be mixed with --json.
@Test func learnFieldsDrawsEachNeuronsReceptiveField() throws {
    let out = NSTemporaryDirectory() + "spikescope-fields-\(UUID().uuidString).safetensors"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = try run(["learn", "--data", "digits", "--train-limit", "60", "--test-limit", "20", "--neurons", "5", "--fields", "--out", out],
                    environment: ["COLUMNS": "80"])
    #expect(r.code == 0, "\(r.err)")
    let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let head = try #require(lines.firstIndex { $0.hasPrefix("receptive fields (each neuron's weights from the 28x28 input") }, "\(r.out)")
    // 80 columns hold 5 fields of 14 + 2: one row of images (7 text rows), then the captions
    #expect(lines.count > head + 8)
    let image = lines[(head + 1)...(head + 7)]
    #expect(image.allSatisfy { $0.count <= 80 } && image.contains { $0.contains { "#%@*".contains($0) } }, "\(r.out)")
    for i in 0..<5 { #expect(lines[head + 8].contains("#\(i) → "), "\(lines[head + 8])") }
    let both = try run(["learn", "--fields", "--json"])
    #expect(both.code == 2 && both.err.contains("--fields draws text and --json prints JSON"), "\(both.err)")
}

/// NIR round trip (issue 18): every shipped session NIR can express (the others are refused
/// with the layer named: adaptive and soft-LIF neurons, refractory periods), exported and
/// imported, gives the same `run --json`; nir.read accepting the files is checked by
/// Tests/SpikeNIRTests/Fixtures/make_nir_fixtures.py.
@Test func nirExportThenImportRunsTheSameForEveryShippedSession() throws {
    let dir = NSTemporaryDirectory() + "spikescope-nir-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var sessions = ["digits", "digits-compare", "digits-li", "tour"]
    if FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") { sessions.append("fashion-conv") }
    for name in sessions {
        let session = "sessions/\(name).toml"
        let text = try String(contentsOfFile: repoRoot + "/" + session, encoding: .utf8)
        let T = try #require(text.split(separator: "\n").first { $0.hasPrefix("timesteps") }.flatMap { Int($0.split(separator: "=")[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces)) })
        let e = try run(["export", "--session", session, "--out", "\(dir)/\(name).nir"])
        #expect(e.code == 0, "\(name): \(e.err)")
        if name == "digits" {
            #expect(e.err.contains("warning: layer 'hidden' resets by subtraction, which NIR cannot express"), "\(e.err)")
        }
        let i = try run(["import", "\(dir)/\(name).nir", "--out", "\(dir)/\(name).toml", "--T", "\(T)"])
        #expect(i.code == 0, "\(name): \(i.err)")
        let info = try run(["info", "--session", "\(dir)/\(name).toml"])
        #expect(info.out.contains("NIR      imported from \(dir)/\(name).nir (NIR 1.0.8) at dt = 0.001 s, forward Euler"), "\(info.out)")
        // The sample shown is the session's, not the model's: NIR does not carry it.
        let sample = text.split(separator: "\n").first { $0.hasPrefix("sample") }
            .flatMap { Int($0.split(separator: "=")[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces)) } ?? 0
        let a = try run(["run", "--session", session, "--json", "--sample", "\(sample)"])
        let b = try run(["run", "--session", "\(dir)/\(name).toml", "--json", "--sample", "\(sample)"])
        #expect(a.code == 0 && b.code == 0, "\(name): \(a.err) \(b.err)")
        #expect(a.out == b.out, "\(name): the imported model runs differently")
    }
    // A graph of another input size opens with a step current on every input.
    let imported = try run(["import", "Tests/SpikeNIRTests/Fixtures/snntorch-mlp.nir", "--out", "\(dir)/snn.toml", "--T", "20"])
    #expect(imported.code == 0 && imported.err.contains("note: dt = 0.0001 s, read from the graph"), "\(imported.err)")
    let ran = try run(["run", "--session", "\(dir)/snn.toml", "--json"])
    #expect(ran.code == 0 && ran.out.hasPrefix("{\"steps\":[{\"t\":1,\"spikes\":[1,0]"), "\(ran.out) \(ran.err)")
    // What NIR cannot hold is refused, naming the layer, and nothing is written.
    let refused = try run(["export", "--session", "sessions/lif-neuron.toml", "--out", "\(dir)/lif.nir"])
    #expect(refused.code == 2)
    #expect(refused.err.contains("node 'neuron': the lif neuron has no NIR node"), "\(refused.err)")
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/lif.nir"))
}

@Test func nirBadInputExitsTwoAndWritesNothing() throws {
    let dir = NSTemporaryDirectory() + "spikescope-nir-bad-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try run(["import", "sessions/digits.toml", "--out", "\(dir)/x.toml"])
    #expect(r.code == 2)
    #expect(r.err == "spikescope: error: sessions/digits.toml: not an HDF5 file (a NIR graph is HDF5, written by nir.write)\n")
    let missing = try run(["import", "\(dir)/none.nir", "--out", "\(dir)/x.toml"])
    #expect(missing.code == 2 && missing.err == "spikescope: error: \(dir)/none.nir: no such file\n", "\(missing.err)")
    // libhdf5 crashing on a hostile file ends only the child reader: a clear error, exit 2.
    let exported = try run(["export", "--session", "sessions/digits.toml", "--out", "\(dir)/ok.nir"])
    #expect(exported.code == 0)
    let crash = try run(["import", "\(dir)/ok.nir", "--out", "\(dir)/x.toml"], environment: ["SPIKESCOPE_FAULT": "nir-read-crash"])
    #expect(crash.code == 2)
    #expect(crash.err == "spikescope: error: \(dir)/ok.nir: the HDF5 library crashed reading it (signal 6): a damaged file, or not one nir.write made\n")
    try FileManager.default.removeItem(atPath: "\(dir)/ok.nir")
    let e = try run(["export", "--session", "sessions/digits.toml", "--out", "\(dir)/d.nir", "--dt", "0"])
    #expect(e.code == 2 && e.err.contains("--dt must be a positive number of seconds, found 0.0"), "\(e.err)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
}
