// Reading out a network that learned without labels: each neuron gets the class it answers most.

/// The labelling of Diehl & Cook 2015: after learning, each neuron is assigned the class whose
/// samples it answers most (mean spike count per class, over samples shown with learning off);
/// a sample's class is then the one whose assigned neurons spike most on average.
public struct ClassAssignment: Equatable, Sendable {
    /// The class of each neuron.
    public let classes: [Int]
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
        self.count = count
    }

    /// An assignment read back from a checkpoint.
    public init(classes: [Int], count: Int) { self.classes = classes; self.count = count }

    /// The class of a response: the one whose assigned neurons spiked most on average.
    public func classify(_ response: [Int]) -> Int {
        var sums = [Double](repeating: 0, count: count), members = [Int](repeating: 0, count: count)
        for (i, c) in classes.enumerated() where i < response.count { sums[c] += Double(response[i]); members[c] += 1 }
        return (0..<count).max { a, b in
            (members[a] == 0 ? -1 : sums[a] / Double(members[a])) < (members[b] == 0 ? -1 : sums[b] / Double(members[b]))
        } ?? 0
    }
}
