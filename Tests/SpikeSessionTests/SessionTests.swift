import Foundation
import SpikeCore
import SpikeHardware
import SpikeData
import Testing
@testable import SpikeSession

/// The repository root, found from this file's path (Tests/SpikeSessionTests/...).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

private let minimal = """
    timesteps = 4
    [input]
    shape = [4]
    [[layers]]
    name = "h"
    type = "dense"
    outputs = 3
    neuron = "lif"

    """

@Test func shippedSessionsParseIntoTheirModels() throws {
    let digits = try Session.load(path: repoRoot + "/sessions/digits.toml")
    #expect(digits.timesteps == 4)
    #expect(digits.model.inputShape == .flat(64))
    #expect(digits.model.layers.map(\.name) == ["hidden", "readout"])
    #expect(digits.model.layers[0].neuron == .lif(LIFParameters(beta: 0.5, threshold: 1, reset: .subtract)))
    #expect(digits.model.hasReadout)
    #expect(digits.resolvedWeightsPath == repoRoot + "/sessions/digits.safetensors")
    let lif = try Session.load(path: repoRoot + "/sessions/lif-neuron.toml")
    #expect(lif.model.layers[0].neuron == .lif(LIFParameters(beta: 0.9, threshold: 1, reset: .zero, refractorySteps: 3)))
    #expect(lif.data.stimulus == Stimulus(amplitude: 0.15, onset: 10, offset: 80))
    #expect(lif.notes.map(\.step) == [1, 10, 20, 21, 81])
    let adapt = try Session.load(path: repoRoot + "/sessions/adaptation.toml")
    #expect(adapt.model.layers[0].neuron == .adaptiveLIF(AdaptiveLIFParameters(beta: 0.9, threshold: 1, reset: .zero, rho: 0.97, kappa: 0.05)))
}

@Test func lifTeachingSessionShowsChargeSpikeAndRefractoryPeriod() throws {
    let ws = try Workspace(path: repoRoot + "/sessions/lif-neuron.toml")
    let sim = try ws.simulation(sample: 0)
    var spikes: [Int] = []
    for _ in 0..<100 { sim.step(); if sim.spikeCount(layer: 0) > 0 { spikes.append(sim.t) } }
    // 1.5·(1 − 0.9ⁿ) ≥ 1 first at n = 11 steps after onset 10 → step 20; then 3 refractory steps
    // and 11 more of charging: a period of 14 until the current stops after step 80.
    #expect(spikes == [20, 34, 48, 62, 76])
}

@Test(arguments: [
    ("timesteps = 0\n[input]\nshape=[1]\n", "t.toml: 'timesteps' must be an integer from 1 to 100000, found 0"),
    ("timesteps = 4\n", "t.toml: missing 'input' (expected an [input] table with shape and encoder)"),
    ("timesteps = 4\n[input]\nshape = [2, 3]\n", "t.toml: 'input.shape' must be [N] or [C, H, W] of positive sizes, found [2, 3]"),
    ("timesteps = 4\n[input]\nshape = [4]\nencoder = \"poisson\"\n",
     "t.toml: 'input.encoder' must be one of direct, rate, latency, frames, found \"poisson\""),
    ("timesteps = 4\n[input]\nshape = [4]\n", "t.toml: missing 'layers' (expected at least one [[layers]] table)"),
    (minimal + "thershold = 1\n",
     "t.toml: unknown field 'layers[1].thershold' (expected one of: name, type, bias, init, init_max, neuron, outputs, beta, tau_mem, dt, threshold, reset, refractory)"),
    (minimal + "beta = 1.5\n", "t.toml: 'layers[1].beta' must be a number in (0, 1], found 1.5"),
    (minimal + "beta = \"high\"\n", "t.toml: 'layers[1].beta' must be a number in (0, 1], found \"high\""),
    (minimal + "reset = \"soft\"\n", "t.toml: 'layers[1].reset' must be one of zero, subtract, none, found \"soft\""),
    (minimal + "[[layers]]\ntype = \"conv2d\"\nout_channels = 2\nkernel = 3\n",
     "t.toml: layer 2 ('layer2'): kernel 3 with padding 0 does not fit input [3]"),
    (minimal + "[view]\nlayer = \"x\"\n", "t.toml: 'view.layer' must be a layer name (h), found \"x\""),
    ("timesteps = 4\n[input\n", "t.toml:2:7: TOML syntax error: expected ']' to close the table header"),
    (minimal + "[events]\n", "t.toml: 'input.encoder' must be \"frames\" with an [events] table (step t sees frame t), found \"direct\""),
    (minimal.replacingOccurrences(of: "shape = [4]", with: "shape = [4]\nencoder = \"frames\"") + "[events]\nbins = \"space\"\n",
     "t.toml: 'events.bins' must be one of time, count, found \"space\""),
    (minimal.replacingOccurrences(of: "shape = [4]", with: "shape = [4]\nencoder = \"frames\"") + "[events]\nmicro_steps = 25\n",
     "t.toml: 'events.micro_steps' must be a multiple of 3 (a third per saccade), found 25"),
    (minimal.replacingOccurrences(of: "shape = [4]", with: "shape = [4]\nencoder = \"frames\"") + "[events]\nthreshold = 0\n",
     "t.toml: 'events.threshold' must be a number in (0.001, 10), found 0"),
    (minimal.replacingOccurrences(of: "shape = [4]", with: "shape = [4]\nencoder = \"frames\"") + "[events]\nsaccades = 3\n",
     "t.toml: unknown field 'events.saccades'"),
])
func badSessionsGiveMessagesNamingFieldExpectedAndFound(text: String, message: String) {
    do {
        _ = try Session.parse(text, file: "t.toml")
        Issue.record("no error for: \(text)")
    } catch {
        #expect("\(error)".hasPrefix(message), "got: \(error)")
    }
}

@Test func integerValuesAreAcceptedWhereANumberIsExpected() throws {
    let s = try Session.parse(minimal + "beta = 1\nthreshold = 2\n", file: "t.toml")
    #expect(s.model.layers[0].neuron == .lif(LIFParameters(beta: 1, threshold: 2, reset: .subtract)))
}

@Test func editorReplacesValuesAndKeepsCommentsAndLayout() {
    var e = TOMLEditor("""
        # header comment
        timesteps = 4   # T
        [data]
        sample = 3      # which sample
        neurons = [1,
           2]
        name = "a # not a comment" # real comment

        [[layers]]
        sample = 99
        """)
    e.set(table: nil, key: "timesteps", value: "8")
    e.set(table: "data", key: "sample", value: "42")
    e.set(table: "data", key: "neurons", value: "[5]")
    e.set(table: "data", key: "name", value: "\"b\"")
    e.set(table: "data", key: "split", value: "\"test\"")
    e.set(table: "view", key: "theme", value: "\"light\"")
    #expect(e.lines == [
        "# header comment", "timesteps = 8   # T", "[data]", "sample = 42      # which sample", "neurons = [5]",
        "name = \"b\" # real comment", "split = \"test\"", "", "[[layers]]", "sample = 99", "", "[view]", "theme = \"light\"",
    ])
}

@Test func savingKeepsTheUsersCommentsAndReloadsToTheSameSession() throws {
    var s = try Session.load(path: repoRoot + "/sessions/digits.toml")
    s.data.sample = 17
    s.timesteps = 8
    s.view = ViewSettings(layer: "readout", neurons: [2, 5], compare: true, theme: "light")
    let dir = NSTemporaryDirectory() + "spikescope-save-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let target = dir + "/mine.toml"
    try s.save(to: target)
    let text = try String(contentsOfFile: target, encoding: .utf8)
    #expect(text.contains("# The default session: a small spiking classifier"))
    #expect(text.contains("beta = 0.5               # membrane decay per step"))
    let back = try Session.load(path: target)
    #expect(back.data.sample == 17 && back.timesteps == 8)
    #expect(back.view == s.view)
    #expect(back.model == s.model)
    // saved elsewhere, the weights path still points at the same file
    #expect(back.resolvedWeightsPath == URL(fileURLWithPath: repoRoot + "/sessions/digits.safetensors").standardizedFileURL.path)
}

@Test func generatedTextParsesBackToTheSameSession() throws {
    // the learning sessions too: a session built in code keeps its [plasticity] table when saved
    for name in ["digits", "lif-neuron", "adaptation", "rate-vs-spikes", "song-abbott", "r-stdp", "short-term-synapse", "digits-unsupervised"] {
        let s = try Session.load(path: repoRoot + "/sessions/\(name).toml")
        var back = try Session.parse(s.tomlText(), file: s.path ?? "")
        back.name = s.name
        #expect(back == s, "\(name)")
    }
}

@Test func everyLayerKindAndNeuronModelRoundTripsThroughText() throws {
    // One layer per vocabulary entry (sizes chosen so the shapes fit), written and read back.
    let neurons: [NeuronModel] = [
        .integrateAndFire(IFParameters(threshold: 0.5, reset: .zero)),
        .lif(LIFParameters(beta: 0.75, threshold: 1.5, reset: .none, refractorySteps: 2)),
        .cubaLIF(CubaLIFParameters(alpha: 0.5, beta: 0.25, threshold: 2, reset: .subtract)),
        .adaptiveLIF(AdaptiveLIFParameters(beta: 0.5, threshold: 1, reset: .subtract, rho: 0.75, kappa: 0.5)),
        .adaptiveThresholdLIF(AdaptiveThresholdLIFParameters(beta: 0.5, threshold: 1, reset: .subtract, rho: 0.875, plus: 0.25)),
        .softLIF(SoftLIFParameters(tauRC: 0.05, tauRef: 0.001, gamma: 0.125, dt: 0.002)),
        .rcLIF(RCLIFParameters(tauRC: 0.05, tauRef: 0.001, tauSyn: 0.0025, dt: 0.002, refractory: .steps)),
        .leakyIntegrator(LIParameters(beta: 0.625)),
        .cubaLI(CubaLIParameters(alpha: 0.5, beta: 0.75)),
        .integrator(IntegratorParameters()),
    ]
    #expect(Set(neurons.map(\.name)) == Set(NeuronVocabulary.entries.map(\.name)))
    var layers: [LayerSpec] = [
        LayerSpec(name: "conv", kind: .conv2d(outChannels: 2, kernel: 3, stride: 1, padding: 1), bias: false),
        LayerSpec(name: "bn", kind: .batchNorm(epsilon: 0.001), neuron: neurons[0]),
        LayerSpec(name: "avg", kind: .avgPool2d(kernel: 2)),
        LayerSpec(name: "sum", kind: .sumPool2d(kernel: 1)),
        LayerSpec(name: "max", kind: .maxPool2d(kernel: 1)),
        LayerSpec(name: "flat", kind: .flatten),
        LayerSpec(name: "late", kind: .delay(steps: 3)),
        LayerSpec(name: "c1d", kind: .conv1d(outChannels: 3, kernel: 1, stride: 1, padding: 0), bias: false),
        LayerSpec(name: "rec", kind: .recurrentDense(outputs: 6), neuron: neurons[1], initialisation: .constant(0.25)),
    ]
    for (i, n) in neurons.dropFirst(2).enumerated() {
        layers.append(LayerSpec(name: "d\(i)", kind: .dense(outputs: 6), neuron: n, initialisation: i == 0 ? .identity : .kaimingUniform))
    }
    #expect(Set(layers.map(\.kind.name)) == Set(LayerVocabulary.entries.map(\.name)))
    let s = Session(path: nil, name: "all", seed: 3, timesteps: 5,
                    model: ModelSpec(inputShape: FeatureShape(channels: 1, height: 4, width: 4), encoder: .rate(gain: 0.5), layers: layers),
                    weights: nil, data: DataSettings(), view: ViewSettings(), notes: [])
    let back = try Session.parse(s.tomlText(), file: "all.toml")
    #expect(back.model == s.model)
    #expect(NeuronVocabulary.describe(neurons[4]) == "AdThLIF β=0.5 θ=1.0 reset=subtract ρ=0.875 θ+=0.25")
    #expect(NeuronVocabulary.describe(neurons[6]) == "LIF (rc) τrc=0.05 τref=0.001 τsyn=0.0025 dt=0.002 refractory=steps")
    #expect(NeuronVocabulary.describe(neurons[7]) == "LI β=0.625")
    #expect(NeuronVocabulary.describe(neurons[8]) == "CubaLI α=0.5 β=0.75")
    #expect(NeuronVocabulary.describe(neurons[9]) == "I")
}

@Test func workspaceErrorsNameTheProblem() throws {
    var s = try Session.parse(minimal.replacingOccurrences(of: "shape = [4]", with: "shape = [64]"), file: "t.toml")
    s.data.sample = 5000
    #expect(throws: SessionError.badValue(file: "t.toml", field: "data.sample", expected: "a sample index below 360", found: "5000")) {
        try Workspace(session: s)
    }
    s.data.sample = 0
    s.weights = "/nonexistent/w.safetensors"
    #expect(throws: SafetensorsError.unreadable(file: "/nonexistent/w.safetensors", reason: "no such file")) {
        try Workspace(session: s)
    }
    s.weights = nil
    s.model.inputShape = .flat(5)
    s.model = ModelSpec(inputShape: .flat(5), layers: s.model.layers)
    do {
        _ = try Workspace(session: s)
        Issue.record("a 5-input model opened 64-pixel digits")
    } catch {
        #expect("\(error)".contains("[1, 8, 8]"), "got: \(error)")
    }
}

@Test func everyShippedTargetProfileLoadsWithItsFigures() throws {
    for name in TargetProfiles.names {
        let t = try Target.load(name)
        #expect(t.name == name && !t.summary.isEmpty && t.totalCores >= 1, "\(name)")
    }
    let loihi = try Target.load("loihi")
    #expect(loihi.coresPerChip == 128 && loihi.limits.neurons == 1024 && loihi.limits.inputAxons == 4096)
    #expect(loihi.limits.synapseBits == 16384 * 64 && loihi.energy.synapticOp == 23.6 && loihi.energy.hopNorthSouth == 4.0)
    let loihi2 = try Target.load("loihi2")
    #expect(loihi2.limits.neurons == nil && loihi2.energy.synapticOp == nil)       // unknown, not invented
    #expect(try Target.load("truenorth").energy.synapticOp == 26)
    #expect(try Target.load("speck").kernelMemory.count == 9)
}

@Test func targetProfileErrorsNameFileAndField() throws {
    #expect(throws: SessionError.badValue(file: "--target", field: "target",
                                          expected: "one of loihi, loihi2, truenorth, spinnaker, spinnaker2, speck, xylo, generic, or a profile file (.toml)",
                                          found: "\"loihi3\"")) { try Target.load("loihi3") }
    let bad = "cores_per_chip = 16\nmesh = [2, 2]\n"
    #expect(throws: SessionError.badValue(file: "mine.toml", field: "mesh", expected: "room for cores_per_chip = 16 (mesh × cores_per_tile)",
                                          found: "2 x 2 x 1")) { try Target.parse(bad, file: "mine.toml") }
    let unknownField = "cores_per_chip = 4\nmesh = [2, 2]\n[core]\nneurns = 3\n"
    #expect(throws: SessionError.unknownField(file: "mine.toml", field: "core.neurns",
                                              allowed: ["neurons", "input_axons", "output_axons", "synapse_bits", "weight_bits", "fan_in", "synapses"])) {
        try Target.parse(unknownField, file: "mine.toml")
    }
}

@Test func eventsTableIsReadWrittenAndCheckedAgainstTheInputShape() throws {
    let s = try Session.load(path: repoRoot + "/sessions/fashion-events.toml")
    let e = try #require(s.data.events)
    #expect(e.binning == Binning() && e.camera == SaccadeCamera())
    #expect(s.model.encoder == .frames && s.model.inputShape.channels == 2)
    // the shipped mean+etc weights fit the model
    let weights = try #require(s.resolvedWeightsPath)
    _ = try Network(spec: s.model, tensors: try Safetensors.read(path: weights).tensors, file: weights, seed: 0)
    // written by tomlText and read back the same, non-default values included
    var changed = s
    changed.path = nil
    changed.data.events?.binning = Binning(split: .count, polarity: .merge, downsample: 2, refractoryUs: 5, denoiseUs: 7)
    changed.data.events?.camera.threshold = 0.2
    changed.data.events?.camera.seed = 9
    let again = try Session.parse(changed.tomlText(), file: "t.toml")
    #expect(again.data.events == changed.data.events)
    // a model whose input is not one frame of the sensor is refused, naming the shape it needs
    let digits = """
        timesteps = 2
        [input]
        shape = [2, 8, 7]
        encoder = "frames"
        [data]
        source = "digits"
        [events]
        [[layers]]
        name = "flat"
        type = "flatten"
        [[layers]]
        name = "out"
        type = "dense"
        outputs = 10

        """
    #expect { try Workspace(session: try Session.parse(digits, file: "d.toml")) } throws: {
        "\($0)" == "d.toml: 'input.shape' must be [2, 8, 8]: a frame of the 8x8 sensor, 2 polarity channels, downsampled by 1, found [2, 8, 7]"
    }
    // the input of a sample at T is its recording binned into T frames; every T carries the same events
    let ws = try Workspace(session: try Session.parse(digits.replacingOccurrences(of: "[2, 8, 7]", with: "[2, 8, 8]"), file: "d.toml"))
    let one = ws.input(3, timesteps: 1), four = ws.input(3, timesteps: 4)
    #expect(one.count == 128 && four.count == 512)
    #expect(one.reduce(0, +) == four.reduce(0, +) && one.reduce(0, +) > 100)
    let view = try #require(ws.eventView(3, timesteps: 4))
    #expect(view.windows.count == 4 && view.windows[0].start <= view.windows[3].start && view.eventCount == Int(one.reduce(0, +)))
}
