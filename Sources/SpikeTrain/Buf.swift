// The trainer's buffers, and its name for the engine's number type.
import SpikeCore

/// The number type the trainer computes in (the engine's `SpikeScalar`).
public typealias TrainScalar = SpikeScalar

/// A zero-filled buffer of `count` scalars that lives as long as its owner (no copy-on-write).
final class Buf<S: TrainScalar> {
    let p: UnsafeMutablePointer<S>
    let count: Int
    init(_ count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { p.deallocate() }
    @inline(__always) func zero() { p.update(repeating: 0, count: count) }
    @inline(__always) func zero(_ n: Int) { p.update(repeating: 0, count: n) }
}
