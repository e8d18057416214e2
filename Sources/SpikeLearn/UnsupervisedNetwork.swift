// What `spikescope learn` needs of a network that learns without labels.
import SpikeCore

/// A network that learns from samples shown one at a time, without labels (Diehl & Cook's,
/// the VDSP winner-take-all network), read out by `ClassAssignment`.
public protocol UnsupervisedNetwork: AnyObject {
    /// Inputs (pixels) and output neurons.
    var inputs: Int { get }
    var neurons: Int { get }
    /// Samples shown so far, and presentations (a sample shown again counts again).
    var samples: Int { get }
    var presentations: Int { get }
    /// The learned weights, (neurons, inputs): row i is neuron i's receptive field.
    var weights: [Float] { get }
    /// Shows one sample (pixels in [0, 1]), learning when `learn`; returns each neuron's spike count.
    @discardableResult func present(_ pixels: [Float], learn: Bool) -> [Int]
    /// Everything a restored network needs to continue exactly as this one would.
    func state() -> (tensors: [String: Tensor], metadata: [String: String])
    /// Restores a `state()`; the error names what does not fit.
    func restore(tensors: [String: Tensor], metadata: [String: String]) throws
}

/// A parameter or checkpoint value out of its range, named by its learning-file key.
public struct LearnParameterError: Error, Equatable, CustomStringConvertible {
    public let field: String, expected: String, found: String
    public init(field: String, expected: String, found: String) { self.field = field; self.expected = expected; self.found = found }
    public var description: String { "'\(field)' must be \(expected), found \(found)" }
}
