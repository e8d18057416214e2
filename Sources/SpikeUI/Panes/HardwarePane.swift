// The hardware pane: the model mapped onto a neuromorphic target, live.

import SpikeCore
import SpikeHardware
import SpikeSession
import SpikeTerm
import SpikeTrain

/// The chip: a grid of the target's cores shaded by the chosen metric (occupancy, spikes or
/// synaptic ops at the step shown), the selected layer's cores marked, the busiest links drawn;
/// beside it the step's and the run's spikes, synaptic ops, packets, hops and energy. Keys when
/// focused: `m` cycles the metric, `p` toggles sequential / traffic-aware placement.
enum HardwarePane: PaneView {
    static let help = [
        "the model mapped onto a neuromorphic chip (:target NAME): a cell per core,",
        "shaded by occupancy, spikes or synaptic ops (m), the selected layer's cores",
        "underlined, busy links drawn; the step's and the run's spikes, ops,",
        "packets, hops and energy; p switches placement. z fills the screen with it.",
    ]

    static func key(_ key: Key, _ state: inout AppState) -> Effect? {
        switch key {
        case .char("m"): state.cycleHardwareMetric(); return .redraw
        case .char("p"): state.toggleHardwarePlacement(); return .redraw
        default: return nil
        }
    }

    static func draw(_ state: AppState, _ area: Rect, into buffer: inout Buffer) {
        let theme = state.theme, hw = state.hardware
        let name = hw.target?.name ?? "no target"
        var title = "Hardware · \(name)"
        if let m = hw.mapping, let t = hw.target {
            title += " · \(grouped(m.cores.count))/\(grouped(t.totalCores)) cores · \(hw.placementKind.rawValue)"
        }
        let inner = drawFrame(state, .hardware, area, title: title.asciiIf(!state.glyphs.isUnicode), into: &buffer)
        guard !inner.isEmpty else { return }
        guard let mapping = hw.mapping, let target = hw.target else {
            let text = hw.problem ?? "no target: :target NAME (\(TargetProfiles.names.joined(separator: ", "))) or :target FILE"
            Paragraph(wrap(text, inner.width), style: hw.problem != nil ? theme.warning : theme.dim).render(inner, into: &buffer)
            return
        }
        let t = state.cursor
        let (values, maximum) = hw.gridValues(step: t)
        let (cols, _, tw, th) = hw.gridShape(target)
        var selected = Set<Int>()
        if let rec = state.recorder, state.layer < rec.layers.count,
           let p = mapping.connectivity.populations.firstIndex(where: { $0.recorded == state.layer }), let placement = hw.placement {
            for c in mapping.coresOf[p] {
                selected.insert(HardwareState.cellIndex(slot: placement.slots[c], target: target, columns: cols, tileWidth: tw, tileHeight: th))
            }
        }
        let (east, south) = linkLoads(hw, target, step: t)
        let grid = ChipGrid(tilesAcross: target.chips * target.meshWidth, tilesDown: target.meshHeight, tileWidth: tw,
                            tileHeight: th, values: values, selected: selected, east: east, south: south,
                            ramp: theme.heatRamp, unused: theme.dim, selectedStyle: Style(bold: true, underline: true),
                            linkStyle: theme.dim, busyLinkStyle: theme.warning, glyphs: state.glyphs)
        // Grid on the left when the pane is wide, else on top.
        let size = grid.size(in: Rect(x: 0, y: 0, width: max(1, inner.width / 2), height: inner.height))
        let side = inner.width >= 60 && size.height <= inner.height
        let gridArea = side ? Rect(x: inner.x, y: inner.y, width: size.width, height: inner.height)
            : Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height / 2, grid.size(in: inner).height))
        grid.render(gridArea, into: &buffer)
        let text = side ? Rect(x: gridArea.maxX + 2, y: inner.y, width: max(0, inner.maxX - gridArea.maxX - 2), height: inner.height)
            : Rect(x: inner.x, y: gridArea.maxY, width: inner.width, height: max(0, inner.maxY - gridArea.maxY))
        Paragraph(spans: lines(state, mapping, target, maximum: maximum), glyphs: state.glyphs).render(text, into: &buffer)
    }

    /// The legend and the numbers of the step shown and of the run so far.
    static func lines(_ state: AppState, _ m: Mapping, _ target: Target, maximum: Double) -> [[Span]] {
        let theme = state.theme, hw = state.hardware, t = state.cursor
        let ramp = state.glyphs.isUnicode ? "▁▃▅█" : ".-+#"
        var out: [[Span]] = []
        let scale = hw.metric == .occupancy ? "0-100 %" : "0-\(grouped(Int(maximum)))"
        out.append([Span(ramp + " ", style: theme.text), Span("\(hw.metric.title) \(scale)", style: theme.dim),
                    Span("  (m, p)", style: theme.dim)])
        let step = hw.stepTraffic(t)?.counts, total = t >= 1 && t <= hw.totals.count ? hw.totals[t - 1] : nil
        func row(_ label: String, _ c: TrafficCounts?) -> [Span] {
            guard let c else { return [Span(label, style: theme.dim), Span("-", style: theme.dim)] }
            let (e, unknown) = c.energy(target.energy)
            let energy = unknown.isEmpty || e > 0 ? formatEnergy(e) + (unknown.isEmpty ? "" : "+?") : "? nJ"
            return [Span(label, style: theme.dim),
                    Span("\(grouped(c.spikes)) spk  \(grouped(c.synapticOps + c.multiplyAccumulates)) ops  "
                         + "\(grouped(c.packets)) pkt  \(grouped(c.hops)) hops  \(energy)", style: theme.text)]
        }
        out.append(row("t \(t)  ", step))
        out.append(row("total ", total))
        if let p = m.connectivity.populations.firstIndex(where: { $0.recorded == state.layer }) {
            let pop = m.connectivity.populations[p]
            out.append([Span("layer \(pop.name): \(counted(m.coresOf[p].count, "core")) (underlined)", style: theme.dim)])
        }
        if state.compareMode, let cost = state.compare?.cost {
            out.append([Span("cost of T: ", style: theme.dim),
                        Span("T=1 \(costText(cost.one, target)) · T=\(state.compare?.timesteps ?? 0) \(costText(cost.n, target))",
                             style: theme.text)])
        }
        out.append([Span(state.training.text, style: theme.dim)])
        return out
    }

    /// "47 spk 1,234 ops 12.3 nJ": one inference's spikes, synaptic ops and energy ("?" when unknown).
    static func costText(_ c: TrafficCounts, _ target: Target) -> String {
        let (e, unknown) = c.energy(target.energy)
        return "\(grouped(c.spikes)) spk \(grouped(c.synapticOps + c.multiplyAccumulates)) ops "
            + (unknown.isEmpty || e > 0 ? formatEnergy(e) : "? nJ")
    }

    /// Link loads of step t, normalised to the busiest link (one value per tile and direction).
    static func linkLoads(_ hw: HardwareState, _ target: Target, step t: Int) -> ([Float], [Float]) {
        guard let step = hw.stepTraffic(t), let placement = hw.placement else { return ([], []) }
        let w = placement.width, h = placement.height
        var east = [Float](repeating: 0, count: w * h), south = east
        let top = Float(max(1, step.links.max() ?? 1))
        for y in 0..<h {
            for x in 0..<w {
                east[y * w + x] = Float(step.links[placement.linkIndex(x: x, y: y, south: false)]) / top
                south[y * w + x] = Float(step.links[placement.linkIndex(x: x, y: y, south: true)]) / top
            }
        }
        return (east, south)
    }

    /// Picojoules as "12.3 nJ" or "4.5 µJ".
    static func formatEnergy(_ pj: Double) -> String {
        if pj >= 1e6 { return String(format: "%.1f µJ", pj / 1e6) }
        return String(format: "%.1f nJ", pj / 1e3)
    }

    /// Words of `text` in lines of at most `width` columns.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
