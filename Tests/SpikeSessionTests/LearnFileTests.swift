import Testing
import SpikeLearn
@testable import SpikeSession

@Test func learnFileSetsTheProtocolAndAnyParameterByName() throws {
    let s = try LearnSettings.parse("""
        [learn]
        data = "fashion-mnist"
        neurons = 400
        side = 0
        epochs = 2
        seed = 3
        train_limit = 1000
        holdout = 300
        [network]
        theta_plus = 0.2
        present_ms = 200
        [rule]
        nu_post = 0.02
        nu_pre = 0.0002
        """, file: "l.toml")
    #expect(s.data == "fashion-mnist" && s.parameters.neurons == 400 && s.side == 0 && s.epochs == 2 && s.seed == 3)
    #expect(s.trainLimit == 1000 && s.testLimit == nil && s.holdout == 300)
    var p = DiehlCookNetwork.Parameters()
    p.neurons = 400; p.thetaPlus = 0.2; p.presentMs = 200; p.rule.nuPost = 0.02; p.rule.nuPre = 0.0002
    #expect(s.parameters == p)
    // every key a table offers names a distinct field: setting each changes the parameters
    for (key, path) in LearnSettings.networkKeys {
        let t = try LearnSettings.parse("[learn]\n[network]\n\(key) = 7.5\n", file: "k.toml")
        #expect(t.parameters[keyPath: path] == 7.5, "\(key)")
    }
    #expect(Set(LearnSettings.networkKeys.map(\.0)).count == LearnSettings.networkKeys.count)
}

@Test func learnFileSetsHowTheFieldsAreMatchedAtTest() throws {
    let s = try LearnSettings.parse("[learn]\n[network]\ntest_match = \"cosine\"\ntest_scale = 0.7\n", file: "m.toml")
    #expect(s.parameters.testMatch == TestMatch(.cosine, scale: 0.7))
    #expect(try LearnSettings.parse("[learn]\n", file: "m.toml").parameters.testMatch == TestMatch(.learned, scale: 1))
    let v = try LearnSettings.parse("[learn]\nnetwork = \"vdsp\"\n[network]\ntest_match = \"cosine\"\n", file: "v.toml")
    #expect(v.vdsp.testMatch.kind == .cosine)
    func message(_ text: String) -> String {
        do { _ = try LearnSettings.parse(text, file: "m.toml"); return "" } catch { return "\(error)" }
    }
    #expect(message("[learn]\n[network]\ntest_match = \"euclid\"\n") == "m.toml: 'network.test_match' must be one of learned, cosine, found \"euclid\"")
    #expect(message("[learn]\n[network]\ntest_scale = 0\n") == "m.toml: 'network.test_scale' must be a multiple of the mean L2 norm above 0 and at most 100, found 0.0")
    #expect(message("[learn]\nnetwork = \"vdsp\"\n[network]\ntest_scale = -1\n") == "m.toml: 'network.test_scale' must be a multiple of the mean L2 norm above 0 and at most 100, found -1.0")
}

@Test func learnFileErrorsNameTheFieldAndWhatWasExpected() {
    func message(_ text: String) -> String {
        do { _ = try LearnSettings.parse(text, file: "l.toml"); return "" } catch { return "\(error)" }
    }
    #expect(message("[network]\ntheta_plus = 1\n") == "l.toml: missing 'learn' (expected a [learn] table (network, data, neurons, ...))")
    #expect(message("[learn]\nholdout = 0\n") == "l.toml: 'learn.holdout' must be an integer >= 1, found 0")
    #expect(message("[learn]\nneurons = 0\n") == "l.toml: 'learn.neurons' must be an integer from 1 to 10000, found 0")
    #expect(message("[learn]\nnetwork = \"hopfield\"\n") == "l.toml: 'learn.network' must be one of diehl-cook, vdsp, found \"hopfield\"")
    #expect(message("[learn]\n[network]\ndt = 0\n") == "l.toml: 'network.dt' must be a step in ms, above 0 and at most 10, found 0.0")
    #expect(message("[learn]\n[rule]\ntau_post2 = -1\n") == "l.toml: 'rule.tau_post2' must be a time constant above 0, found -1.0")
    #expect(message("[learn]\n[network]\nthta_plus = 1\n").hasPrefix("l.toml: unknown field 'network.thta_plus' (expected one of: dt, present_ms"))
    #expect(message("[learn]\n[network]\ntheta_plus = \"a\"\n") == "l.toml: 'network.theta_plus' must be a number, found \"a\"")
}

@Test func learnFileForTheVDSPNetworkTakesItsOwnParameters() throws {
    let s = try LearnSettings.parse("[learn]\nnetwork = \"vdsp\"\nneurons = 50\nassign_limit = 300\n[network]\nlr = 0.02\ninhibition = 12\n", file: "v.toml")
    #expect(s.network == .vdsp && s.neurons == 50 && s.vdsp.lr == 0.02 && s.vdsp.inhibition == 12 && s.assignLimit == 300)
    func message(_ text: String) -> String {
        do { _ = try LearnSettings.parse(text, file: "v.toml"); return "" } catch { return "\(error)" }
    }
    #expect(message("[learn]\nnetwork = \"vdsp\"\n[network]\ntheta_plus = 1\n").hasPrefix("v.toml: unknown field 'network.theta_plus' (expected one of: tau_input"))
    #expect(message("[learn]\nnetwork = \"vdsp\"\n[network]\nthreshold = 0\n") == "v.toml: 'network.threshold' must be above 0, found 0.0")
    #expect(message("[learn]\nnetwork = \"vdsp\"\n[rule]\nnu_post = 1\n").contains("'rule' must be no [rule] table with network = \"vdsp\""))
    // every shipped learning file reads
    for name in ["learn-digits", "learn-digits-retuned", "learn-digits-vdsp", "learn-fashion", "learn-fashion-retuned"] {
        #expect(throws: Never.self) { _ = try LearnSettings.load(path: repoRoot + "/sessions/\(name).toml") }
    }
}

@Test func plasticityTableIsCheckedAgainstTheModel() throws {
    let base = """
        timesteps = 10
        [input]
        shape = [4]
        encoder = "rate"
        [[layers]]
        name = "post"
        type = "dense"
        outputs = 2
        init = 0.5
        bias = -0.2
        neuron = "lif"
        """
    let s = try Session.parse(base + "\n[plasticity]\nlayer = \"post\"\nrule = \"stdp\"\nbound = \"multiplicative\"\ntrace_mark = \"nearest\"\n", file: "p.toml")
    guard case .stdp(let p)? = s.plasticity?.rule else { Issue.record("no stdp rule"); return }
    #expect(p.bound == .multiplicative && p.trace.mark == .nearest && s.model.layers[0].biasValue == -0.2)
    // the bias survives the writer
    #expect(LayerVocabulary.write(s.model.layers[0]).contains("bias = -0.2"))
    func message(_ tail: String) -> String {
        do { _ = try Session.parse(base + "\n" + tail, file: "p.toml"); return "" } catch { return "\(error)" }
    }
    #expect(message("[plasticity]\nlayer = \"pre\"\nrule = \"stdp\"\n") == "p.toml: 'plasticity.layer' must be a dense or recurrent-dense layer (post), found \"pre\"")
    #expect(message("[plasticity]\nlayer = \"post\"\nrule = \"stdp\"\nw_max = -1\n") == "p.toml: 'plasticity.w_max' must be above w_min (0.0), found -1.0")
    #expect(message("[plasticity]\nlayer = \"post\"\nrule = \"stdp\"\nlr = 1\n").hasPrefix("p.toml: unknown field 'plasticity.lr'"))
    #expect(message("[plasticity]\nlayer = \"post\"\nrule = \"r-stdp\"\nreward_at = [0]\n") == "p.toml: 'plasticity.reward_at' must be steps from 1 on, found [0]")
    #expect(message("[plasticity]\nlayer = \"post\"\nrule = \"hebb\"\n").contains("'plasticity.rule' must be one of stdp, r-stdp, vdsp"))
    let kaiming = base.replacingOccurrences(of: "init = 0.5\n", with: "")
    do { _ = try Session.parse(kaiming, file: "k.toml"); Issue.record("a starting bias with kaiming init was accepted") } catch {
        #expect("\(error)".contains("'layers[1].bias' must be true or false with init = \"kaiming\""), "\(error)")
    }
    for name in ["song-abbott", "r-stdp"] { #expect(try Session.load(path: repoRoot + "/sessions/\(name).toml").plasticity != nil) }
    // every rule's table is written back as read (sessions built in code keep it when saved)
    for table in ["rule = \"vdsp\"\nlr = 0.05\ndt = 0.002", "rule = \"stp\"\nsynapse = \"facilitating\"",
                  "rule = \"r-stdp\"\nform = \"mstdpet\"\ntau_z = 0.03\nreward = -0.5\nreward_at = [3, 7]",
                  "rule = \"stdp\"\nbound = \"multiplicative\"\ntrace_decay = \"euler\"\ntraces_first = false\nnormalise = 1.5\na_minus = 0.02"] {
        let read = try Session.parse(base + "\n[plasticity]\nlayer = \"post\"\n" + table + "\n", file: "p.toml")
        let again = try Session.parse(read.tomlText(), file: "p.toml")
        #expect(again.plasticity == read.plasticity && again.plasticity != nil, "\(table)")
    }
}

@Test func learnFileRefusesPresentationsOfMoreStepsThanItCanCount() {
    do { _ = try LearnSettings.parse("[learn]\n[network]\ndt = 1e-30\n", file: "s.toml"); Issue.record("accepted") } catch {
        #expect("\(error)".hasPrefix("s.toml: 'network.dt' must be a step that cuts a presentation and its rest into at most 10^7 steps"), "\(error)")
    }
}
