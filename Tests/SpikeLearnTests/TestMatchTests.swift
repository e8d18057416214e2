// Cosine matching at test: the field nearest the input in angle wins, and the learned state is left as it was.
import SpikeCore
import SpikeLearn
import Testing

@Test func equalNormsScalesEveryFieldToOneLengthAndKeepsItsDirection() {
    // (inputs 3, neurons 3), stored inputs-major: fields (3, 4, 0), (1, 0, 0), (0, 0, 0)
    let byInput: [Float] = [3, 1, 0,
                            4, 0, 0,
                            0, 0, 0]
    let out = TestMatch.equalNorms(byInput, inputs: 3, neurons: 3, scale: 0.5)
    let target: Float = 0.5 * (5 + 1 + 0) / 3                      // half the mean of the norms 5, 1, 0
    func column(_ w: [Float], _ i: Int) -> [Float] { (0..<3).map { w[$0 * 3 + i] } }
    func norm(_ v: [Float]) -> Float { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    #expect(abs(norm(column(out, 0)) - target) < 1e-6 && abs(norm(column(out, 1)) - target) < 1e-6)
    #expect(abs(column(out, 0)[0] / column(out, 0)[1] - 0.75) < 1e-6)   // the direction is kept
    #expect(column(out, 2) == [0, 0, 0])                                // a field of zeros stays zero
}

/// Two Diehl & Cook neurons with the same drive from a pattern: neuron 0's weight sits on 10 of its
/// 50 bright pixels, neuron 1's is spread over all 50, and neuron 0's θ is lower. As learned,
/// neuron 0 wins; matched by angle, neuron 1 (whose field is the pattern) does.
@Test func diehlCookCosineMatchingLetsTheFieldNearestInAngleWin() throws {
    let inputs = 100, total: Float = 9.95
    var w = [Float](repeating: 0, count: 2 * inputs)
    for j in 0..<10 { w[j] = total / 10 }                                  // neuron 0: pixels 0..<10
    for j in 0..<50 { w[inputs + j] = total / 50 }                         // neuron 1: pixels 0..<50
    let image: [Float] = (0..<inputs).map { $0 < 50 ? 1 : 0 }
    func counts(_ kind: TestMatch.Kind) throws -> (spikes: [Int], before: [String: Tensor], after: [String: Tensor]) {
        var p = DiehlCookNetwork.Parameters()
        p.neurons = 2; p.testMatch = TestMatch(kind)
        let net = DiehlCookNetwork(p, inputs: inputs, seed: 4)
        try net.restore(tensors: ["weights": Tensor(shape: [2, inputs], data: w), "theta": Tensor(shape: [2], data: [20, 25])],
                        metadata: ["rng": "11", "samples": "0", "presentations": "0"])
        let before = net.state().tensors
        var total = [0, 0]
        for _ in 0..<5 { let c = net.present(image, learn: false); total[0] += c[0]; total[1] += c[1] }
        return (total, before, net.state().tensors)
    }
    let learned = try counts(.learned), cosine = try counts(.cosine)
    #expect(learned.spikes[0] > learned.spikes[1], "\(learned.spikes)")
    #expect(cosine.spikes[1] > cosine.spikes[0], "\(cosine.spikes)")
    // testing left the learned weights and thresholds as they were
    #expect(cosine.after["weights"]?.data == cosine.before["weights"]?.data && cosine.after["theta"]?.data == cosine.before["theta"]?.data)
}

/// The same for the VDSP network: neuron 0's weights are 1 on the 50 bright pixels and on the 50
/// dark ones, neuron 1's 0.5 on the bright ones only. As learned, neuron 0 collects more and wins;
/// matched by angle, neuron 1 does.
@Test func vdspCosineMatchingLetsTheFieldNearestInAngleWin() throws {
    let inputs = 100
    var w = [Float](repeating: 0, count: 2 * inputs)
    for j in 0..<inputs { w[j] = 1 }
    for j in 0..<50 { w[inputs + j] = 0.5 }
    let image: [Float] = (0..<inputs).map { $0 < 50 ? 1 : 0 }
    func counts(_ kind: TestMatch.Kind) throws -> (spikes: [Int], weights: [Float]) {
        var p = VDSPNetwork.Parameters()
        p.neurons = 2; p.testMatch = TestMatch(kind)
        let net = VDSPNetwork(p, inputs: inputs, seed: 1)
        try net.restore(tensors: ["weights": Tensor(shape: [2, inputs], data: w), "input_membranes": Tensor(shape: [inputs], data: [Float](repeating: 0, count: inputs)),
                                  "output_membranes": Tensor(shape: [2], data: [0, 0]), "holds": Tensor(shape: [2], data: [0, 0])],
                        metadata: ["samples": "0"])
        let c = net.present(image, learn: false)
        return (c, net.weights)
    }
    let learned = try counts(.learned), cosine = try counts(.cosine)
    #expect(learned.spikes[0] > learned.spikes[1], "\(learned.spikes)")
    #expect(cosine.spikes[1] > cosine.spikes[0], "\(cosine.spikes)")
    #expect(cosine.weights == w)
}

/// Learning after a test uses the learned weights, not the scaled ones: a network that tested in
/// between (cosine) learns the next sample to the same weights as one that tested as learned.
@Test func learningAfterCosineMatchingStartsFromTheLearnedWeights() {
    func run(_ kind: TestMatch.Kind) -> DenseWeights {
        var p = DiehlCookNetwork.Parameters()
        p.neurons = 4; p.testMatch = TestMatch(kind, scale: 0.7)
        let net = DiehlCookNetwork(p, inputs: 16, seed: 2)
        let images: [[Float]] = (0..<3).map { k in (0..<16).map { Float(($0 + k) % 3 == 0 ? 1 : 0) } }
        for x in images { net.present(x, learn: true) }
        return net.weights
    }
    // no test in between: both learn identically; then a test under cosine must not leak into learning
    var p = DiehlCookNetwork.Parameters()
    p.neurons = 4; p.testMatch = TestMatch(.cosine, scale: 0.7)
    let net = DiehlCookNetwork(p, inputs: 16, seed: 2)
    let images: [[Float]] = (0..<3).map { k in (0..<16).map { Float(($0 + k) % 3 == 0 ? 1 : 0) } }
    for x in images { net.present(x, learn: true) }
    let learned = net.weights, theta = net.theta
    #expect(learned == run(.learned))
    net.present(images[0], learn: false)
    #expect(net.weights == learned && net.theta == theta)             // each neuron's own θ again after the test
    net.present(images[1], learn: true)
    let twin = DiehlCookNetwork(p, inputs: 16, seed: 2)
    for x in images { twin.present(x, learn: true) }
    twin.present(images[0], learn: false)
    twin.present(images[1], learn: true)
    #expect(net.weights == twin.weights)                              // deterministic through a test
}
