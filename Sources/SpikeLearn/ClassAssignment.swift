// Reading out a network that learned without labels: each neuron gets the class it answers most.

/// The labelling of Diehl & Cook 2015: after learning, each neuron is assigned the class whose
/// samples it answers most (mean spike count per class, over samples shown with learning off);
/// a sample's class is then the one whose assigned neurons spike most on average.
public struct ClassAssignment: Equatable, Sendable {
    /// The class of each neuron.
    public let classes: [Int]
    /// Each neuron's share of its mean response per class, (neurons, classes) (the proportion
    /// weighting of BindsNET, Hazan et al. 2018); empty for an assignment read back.
    public let proportions: [[Double]]
    /// The number of classes.
    public let count: Int

    /// Assigns each neuron from `responses` (spike counts per sample) and their `labels` (each in 0..<count).
    public init(responses: [[Int]], labels: [Int], classes count: Int) {
        let n = responses.first?.count ?? 0
        var sums = [[Double]](repeating: [Double](repeating: 0, count: count), count: n)
        var perClass = [Int](repeating: 0, count: count)
        for (r, label) in zip(responses, labels) where (0..<count).contains(label) {
            perClass[label] += 1
            for i in 0..<n { sums[i][label] += Double(r[i]) }
        }
        classes = (0..<n).map { i in
            (0..<count).max { a, b in sums[i][a] / Double(max(perClass[a], 1)) < sums[i][b] / Double(max(perClass[b], 1)) } ?? 0
        }
        proportions = (0..<n).map { i in
            let means = (0..<count).map { sums[i][$0] / Double(max(perClass[$0], 1)) }
            let total = means.reduce(0, +)
            return total > 0 ? means.map { $0 / total } : means
        }
        self.count = count
    }

    /// An assignment read back from a checkpoint.
    public init(classes: [Int], count: Int) { self.classes = classes; self.count = count; proportions = [] }

    /// The class of a response by proportion weighting: Σ_i response_i · proportion_i,c, largest c.
    public func classifyByProportion(_ response: [Int]) -> Int {
        guard !proportions.isEmpty else { return classify(response) }
        var score = [Double](repeating: 0, count: count)
        for (i, r) in response.enumerated() where r > 0 && i < proportions.count {
            for c in 0..<count { score[c] += Double(r) * proportions[i][c] }
        }
        return (0..<count).max { score[$0] < score[$1] } ?? 0
    }

    /// The class of a response: the one whose assigned neurons spiked most on average.
    public func classify(_ response: [Int]) -> Int {
        var sums = [Double](repeating: 0, count: count), members = [Int](repeating: 0, count: count)
        for (i, c) in classes.enumerated() where i < response.count { sums[c] += Double(response[i]); members[c] += 1 }
        return (0..<count).max { a, b in
            (members[a] == 0 ? -1 : sums[a] / Double(members[a])) < (members[b] == 0 ? -1 : sums[b] / Double(members[b]))
        } ?? 0
    }
}
