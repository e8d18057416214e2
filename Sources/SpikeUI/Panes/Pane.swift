// The panes of the workbench: their identity and Tab order here, each one's drawing and
// the keys it owns in its own file (PaneView), their places in Layout.swift.

import SpikeCore
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The panes of the workbench, in Tab order.
public enum Pane: Int, CaseIterable, Equatable, Sendable {
    /// Spike raster of the selected layer with a population-rate sparkline.
    case raster
    /// Membrane potentials of the selected neurons.
    case membrane
    /// Readout probabilities, running answer, compare mode.
    case outputs
    /// The sample (image, label, prediction) or the stimulus current.
    case input
    /// Neurons, synapses, spikes and synaptic operations per step.
    case hardware
    /// A learning layer's weights (sessions with a `[plasticity]` rule).
    case weights

    /// The pane's drawing and the input it owns.
    var view: any PaneView.Type {
        switch self {
        case .raster: RasterPane.self
        case .membrane: MembranePane.self
        case .outputs: OutputsPane.self
        case .input: InputPane.self
        case .hardware: HardwarePane.self
        case .weights: WeightsPane.self
        }
    }

    /// Pane title.
    public var title: String {
        switch self {
        case .raster: "Raster"
        case .membrane: "Membrane"
        case .outputs: "Outputs"
        case .input: "Input"
        case .hardware: "Hardware"
        case .weights: "Weights"
        }
    }
}

/// One pane of the workbench: what it draws, and the keys and clicks it owns while focused.
/// Where it sits is `AppLayout.arrangement`'s business.
protocol PaneView {
    /// What the pane shows, for the help overlay (a few short lines).
    static var help: [String] { get }
    /// Draws the pane (its border included) for `state` into `area`.
    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer)
    /// A key while the pane has focus, tried before the global keys; nil leaves it to them.
    static func key(_ key: Key, _ state: inout AppState) -> Effect?
    /// A click at (x, y) inside the pane's `area` (the pane has just taken focus).
    static func click(x: Int, y: Int, area: Rect, _ state: inout AppState)
}

extension PaneView {
    /// No keys of its own.
    static func key(_ key: Key, _ state: inout AppState) -> Effect? { nil }
    /// A click only focuses the pane.
    static func click(x: Int, y: Int, area: Rect, _ state: inout AppState) {}
}
