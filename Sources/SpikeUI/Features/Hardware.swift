// The chip: the stepping network mapped onto a neuromorphic target (SpikeHardware), the
// placement in use, and the traffic of every simulated step, kept as the simulation steps so
// that stepping back shows exactly what was recorded.

import SpikeCore
import SpikeHardware
import SpikeSession
import SpikeTerm
import SpikeTrain

/// What the chip grid colours its cores by.
public enum HardwareMetric: String, CaseIterable, Equatable, Sendable {
    /// The core's fullest resource, as a share of its limit.
    case occupancy
    /// Spikes the core emitted at the step shown.
    case spikes
    /// Synaptic operations the core did at the step shown.
    case synapticOps

    /// Words for the legend.
    public var title: String {
        switch self {
        case .occupancy: "occupancy"
        case .spikes: "spikes this step"
        case .synapticOps: "synaptic ops this step"
        }
    }
}

/// The hardware pane's state.
public struct HardwareState {
    /// The target (nil before one is set).
    public private(set) var target: Target?
    /// The mapping of the stepping network, or nil with `problem` saying why.
    public private(set) var mapping: Mapping?
    /// Why there is no mapping: the does-not-fit report, or a target that could not be read.
    public private(set) var problem: String?
    /// The placement shown.
    public private(set) var placementKind: PlacementKind = .sequential
    /// What the grid colours.
    public var metric: HardwareMetric = .occupancy
    /// The placement in use.
    public private(set) var placement: Placement?
    var routes: Routes?
    /// Packets per (source core · cores + destination core) seen in this workbench (any placement).
    var pairs: [Int: Int] = [:]
    /// Running totals: `totals[t - 1]` sums steps 1...t of the run.
    public private(set) var totals: [TrafficCounts] = []
    /// Per-step detail of the last `capacity` steps in rings (allocated once per mapping):
    /// per core spikes and synaptic ops, per link packets, and the step's counts.
    var capacity = 1024
    var ringSpikes: [Int32] = [], ringOps: [Int32] = [], ringLinks: [Int32] = [], ringCounts: [TrafficCounts] = []
    var scratch: [Int32] = []
    /// The largest occupancy share of each logical core.
    public private(set) var occupancy: [Double] = []

    /// No target yet.
    public init() {}

    /// Maps `network` onto `target` (nil keeps the current target) with room for the detail of
    /// `capacity` steps; clears the run.
    mutating func remap(_ network: Network, target: Target? = nil, capacity: Int = 1024) {
        self.capacity = max(1, capacity)
        if let target { self.target = target }
        mapping = nil; problem = nil; routes = nil; placement = nil; pairs = [:]
        clearRun()
        guard let t = self.target else { return }
        do {
            let m = try Mapping(network: network, target: t)
            mapping = m
            routes = Routes(m)
            let occ = m.occupancy()
            occupancy = m.cores.indices.map { c in occ.map { $0.fractions[c] }.max() ?? 0 }
            placement = .sequential(m)
            if placementKind == .traffic { placement = Placement.trafficAware(m, pairs: pairs, seed: 0) }
            let links = placement?.linkCount ?? 0
            ringSpikes = Array(repeating: 0, count: self.capacity * m.cores.count); ringOps = ringSpikes
            ringLinks = Array(repeating: 0, count: self.capacity * links)
            ringCounts = Array(repeating: TrafficCounts(), count: self.capacity)
            scratch = Array(repeating: 0, count: m.cores.count)
        } catch {
            problem = "\(error)"
        }
    }

    /// Forgets the traffic of the run (a reset or a new simulation).
    mutating func clearRun() { totals.removeAll(keepingCapacity: true) }

    /// Accounts step t of `recorder`, which must be the step after the last one accounted.
    /// Allocates nothing but the growth of `totals`.
    mutating func account(step t: Int, recorder: Recorder?) {
        guard let m = mapping, let routes, let placement, let recorder, t == totals.count + 1 else { return }
        let n = m.cores.count, l = placement.linkCount, slot = (t - 1) % capacity
        let counts: TrafficCounts? = ringSpikes.withUnsafeMutableBufferPointer { sp in
            ringOps.withUnsafeMutableBufferPointer { op in
                ringLinks.withUnsafeMutableBufferPointer { li in
                    withUnsafeMutablePointer(to: &pairs) { pairs in
                        m.account(step: t, recorder: recorder, routes: routes, placement: placement,
                                  into: StepBuffers(coreSpikes: UnsafeMutableBufferPointer(rebasing: sp[(slot * n)..<((slot + 1) * n)]),
                                                    coreSynapticOps: UnsafeMutableBufferPointer(rebasing: op[(slot * n)..<((slot + 1) * n)]),
                                                    links: UnsafeMutableBufferPointer(rebasing: li[(slot * l)..<((slot + 1) * l)])),
                                  scratch: &scratch, pairs: pairs)
                    }
                }
            }
        }
        guard let counts else { return }
        ringCounts[slot] = counts
        var total = totals.last ?? TrafficCounts()
        total += counts
        totals.append(total)
    }

    /// The traffic of step t, while it is among the last `capacity` steps accounted.
    public func stepTraffic(_ t: Int) -> StepTraffic? {
        guard let m = mapping, let placement, t >= 1, t <= totals.count, t > totals.count - capacity else { return nil }
        let n = m.cores.count, l = placement.linkCount, slot = (t - 1) % capacity
        return StepTraffic(counts: ringCounts[slot], coreSpikes: ringSpikes[(slot * n)..<((slot + 1) * n)].map(Int.init),
                           coreSynapticOps: ringOps[(slot * n)..<((slot + 1) * n)].map(Int.init),
                           links: ringLinks[(slot * l)..<((slot + 1) * l)].map(Int.init))
    }

    /// Switches placement; the traffic-aware one is annealed on the packets seen so far. The
    /// recorded steps are accounted again under it.
    mutating func setPlacement(_ kind: PlacementKind, recorder: Recorder?, seed: UInt64) {
        placementKind = kind
        guard let m = mapping else { return }
        placement = kind == .traffic ? Placement.trafficAware(m, pairs: pairs, seed: seed) : .sequential(m)
        let upTo = totals.count
        clearRun()
        for t in 1...max(1, upTo) where upTo > 0 { account(step: t, recorder: recorder) }
    }

    /// The cell values of the chip grid for step t under `metric` (nil where no core is placed).
    func gridValues(step t: Int) -> (values: [Float?], maximum: Double) {
        guard let m = mapping, let placement, let target else { return ([], 0) }
        let (cols, _, tw, th) = gridShape(target)
        var values = [Float?](repeating: nil, count: cols * target.meshHeight * th)
        let step = stepTraffic(t)
        var raw: [Double] = m.cores.indices.map { c in
            switch metric {
            case .occupancy: return occupancy[c]
            case .spikes: return Double(step?.coreSpikes[c] ?? 0)
            case .synapticOps: return Double(step?.coreSynapticOps[c] ?? 0)
            }
        }
        let maximum = metric == .occupancy ? 1 : max(1, raw.max() ?? 1)
        raw = raw.map { $0 / maximum }
        for (c, slot) in placement.slots.enumerated() {
            let i = HardwareState.cellIndex(slot: slot, target: target, columns: cols, tileWidth: tw, tileHeight: th)
            if i < values.count { values[i] = Float(raw[c]) }
        }
        return (values, maximum)
    }

    /// Grid width in cells, height, and the tile's cells across and down.
    func gridShape(_ t: Target) -> (Int, Int, Int, Int) {
        var tw = 1
        while tw * tw < t.coresPerTile { tw += 1 }
        let th = (t.coresPerTile + tw - 1) / tw
        return (t.chips * t.meshWidth * tw, t.meshHeight * th, tw, th)
    }

    /// The grid cell of physical core `slot`.
    static func cellIndex(slot: Int, target t: Target, columns: Int, tileWidth tw: Int, tileHeight th: Int) -> Int {
        let p = t.position(ofSlot: slot), within = (slot % t.coresPerChip) % t.coresPerTile
        return (p.y * th + within / tw) * columns + p.x * tw + within % tw
    }
}

extension AppState {
    /// Maps the stepping network onto `target` (`:target`), named `name` in the session (a
    /// profile name or a file's path), keeping the placement kind.
    public mutating func setTarget(_ target: Target, name: String) {
        hardware.remap(workspace.network, target: target, capacity: sim.recorder?.capacity ?? 1024)
        hardwareTargetName = name
        accountSteps()
    }

    /// Cycles the grid's metric (`m` in the hardware pane).
    public mutating func cycleHardwareMetric() {
        let all = HardwareMetric.allCases
        hardware.metric = all[(all.firstIndex(of: hardware.metric)! + 1) % all.count]
    }

    /// Toggles sequential / traffic-aware placement (`p` in the hardware pane).
    public mutating func toggleHardwarePlacement() {
        hardware.setPlacement(hardware.placementKind == .sequential ? .traffic : .sequential, recorder: sim.recorder,
                              seed: workspace.session.seed)
    }

    /// Accounts every simulated step not yet accounted (after a remap or a new run).
    mutating func accountSteps() {
        guard sim.t > hardware.totals.count else { return }
        for t in (hardware.totals.count + 1)...sim.t { hardware.account(step: t, recorder: sim.recorder) }
    }
}
