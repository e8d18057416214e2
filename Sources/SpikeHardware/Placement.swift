// Where the logical cores sit on the chips' mesh, and the X-then-Y routes between them.
// Two placements: sequential (cores in population order fill the physical cores in order) and
// traffic-aware (simulated annealing on recorded packets, seeded: cores that exchange many
// packets move close together; it never returns more hop-packets than sequential).
import SpikeCore

/// The two placements.
public enum PlacementKind: String, Equatable, Sendable, CaseIterable {
    /// Logical core i on physical core i.
    case sequential
    /// Annealed on recorded traffic to shorten routes.
    case traffic
}

/// Logical cores on physical cores of a target, with the mesh links between routers.
public struct Placement: Equatable, Sendable {
    /// The physical core (slot) of each logical core.
    public let slots: [Int]
    /// Which placement this is.
    public let kind: PlacementKind
    /// Mesh size over all chips: routers across and down.
    public let width: Int, height: Int
    let target: Target
    /// Router position of each logical core, x and y.
    let xs: [Int32], ys: [Int32]

    /// Logical core i on slot i.
    public static func sequential(_ mapping: Mapping) -> Placement {
        Placement(slots: mapping.fixedSlots ?? Array(mapping.cores.indices), kind: .sequential, target: mapping.target)
    }

    init(slots: [Int], kind: PlacementKind, target: Target) {
        self.slots = slots; self.kind = kind; self.target = target
        width = target.chips * target.meshWidth; height = target.meshHeight
        let positions = slots.map { target.position(ofSlot: $0) }
        xs = positions.map { Int32($0.x) }; ys = positions.map { Int32($0.y) }
    }

    /// Undirected links: an east link and a south link per router (the last column and row unused).
    public var linkCount: Int { width * height * 2 }

    /// The link index of the link east of (x, y) (dir 0) or south of it (dir 1).
    @inline(__always)
    public func linkIndex(x: Int, y: Int, south: Bool) -> Int { (y * width + x) * 2 + (south ? 1 : 0) }

    /// The router position of a logical core.
    public func position(ofCore c: Int) -> (x: Int, y: Int) { target.position(ofSlot: slots[c]) }

    /// Routes `count` packets from logical core a to b, X first then Y, adding them to `links`;
    /// returns the east-west and north-south links crossed by one packet.
    @inline(__always)
    func route(from a: Int, to b: Int, links: UnsafeMutableBufferPointer<Int32>, count: Int32) -> (Int, Int) {
        let p = (x: Int(xs[a]), y: Int(ys[a])), q = (x: Int(xs[b]), y: Int(ys[b]))
        if p.x == q.x && p.y == q.y { return (0, 0) }
        var x = p.x
        while x != q.x {
            let step = q.x > x ? 1 : -1
            links[linkIndex(x: min(x, x + step), y: p.y, south: false)] += count
            x += step
        }
        var y = p.y
        while y != q.y {
            let step = q.y > y ? 1 : -1
            links[linkIndex(x: q.x, y: min(y, y + step), south: true)] += count
            y += step
        }
        return (abs(p.x - q.x), abs(p.y - q.y))
    }

    /// Σ packets × links crossed for `pairs` (source core · cores + destination core → packets).
    public func hopPackets(_ pairs: [Int: Int], cores: Int) -> Int {
        pairs.reduce(0) { total, e in
            let p = target.position(ofSlot: slots[e.key / cores]), q = target.position(ofSlot: slots[e.key % cores])
            return total + e.value * (abs(p.x - q.x) + abs(p.y - q.y))
        }
    }

    /// Traffic-aware placement: simulated annealing over the physical cores, seeded, minimising
    /// Σ packets × hops of `pairs` (recorded traffic); moves swap the contents of two physical
    /// cores (either may be empty). Returns the best placement seen, never worse than sequential.
    public static func trafficAware(_ mapping: Mapping, pairs: [Int: Int], seed: UInt64, sweeps: Int = 200) -> Placement {
        if let fixed = mapping.fixedSlots { return Placement(slots: fixed, kind: .traffic, target: mapping.target) }
        let n = mapping.cores.count, target = mapping.target, slotsTotal = target.totalCores
        var slotOf = Array(0..<n)
        var coreAt = [Int](repeating: -1, count: slotsTotal)
        for c in 0..<n { coreAt[c] = c }
        // Neighbour lists with traffic both ways.
        var neighbours = [[(Int, Int)]](repeating: [], count: n)
        for (key, packets) in pairs where packets > 0 {
            let a = key / n, b = key % n
            guard a != b else { continue }
            neighbours[a].append((b, packets)); neighbours[b].append((a, packets))
        }
        let pos = (0..<slotsTotal).map { target.position(ofSlot: $0) }
        func dist(_ s: Int, _ t: Int) -> Int { abs(pos[s].x - pos[t].x) + abs(pos[s].y - pos[t].y) }
        func cost(of c: Int, at s: Int, excluding other: Int) -> Int {
            neighbours[c].reduce(0) { $0 + ($1.0 == other ? 0 : $1.1 * dist(s, slotOf[$1.0])) }
        }
        var current = Placement(slots: slotOf, kind: .traffic, target: target).hopPackets(pairs, cores: n)
        var best = current, bestSlots = slotOf
        guard n > 1, current > 0 else { return Placement(slots: slotOf, kind: .traffic, target: target) }
        var rng = Rng(seed: seed)
        let moves = sweeps * max(n, 16)
        var temperature = Double(current) / Double(max(1, pairs.count)) + 1
        let cooling = pow(0.01 / temperature, 1 / Double(moves))
        for _ in 0..<moves {
            let a = rng.nextInt(below: n)
            let s1 = slotOf[a], s2 = rng.nextInt(below: slotsTotal)
            guard s1 != s2 else { continue }
            let b = coreAt[s2]
            var delta = cost(of: a, at: s2, excluding: b) - cost(of: a, at: s1, excluding: b)
            if b >= 0 { delta += cost(of: b, at: s1, excluding: a) - cost(of: b, at: s2, excluding: a) }
            if delta <= 0 || rng.nextFloat() < Float(exp(-Double(delta) / temperature)) {
                slotOf[a] = s2; coreAt[s2] = a; coreAt[s1] = b
                if b >= 0 { slotOf[b] = s1 }
                current += delta
                if current < best { best = current; bestSlots = slotOf }
            }
            temperature *= cooling
        }
        return Placement(slots: bestSlots, kind: .traffic, target: target)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
