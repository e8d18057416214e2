/// The one seeded random generator of spikescope: SplitMix64 (Steele, Lea & Flood 2014).
///
/// Every random draw in the engine, the data loaders and the trainer goes through an `Rng`, so
/// the same session and seed give the same spikes on every run and every machine. Floats are
/// made from bits here, not by the standard library, whose consumption of a generator is not
/// documented. Not cryptographic.
public struct Rng: RandomNumberGenerator, Sendable, Equatable {
    /// The whole state: a 64-bit counter advanced by the golden-ratio increment.
    public var state: UInt64

    /// Creates a generator whose first output is SplitMix64's for `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits: `z = (state += 0x9E3779B97F4A7C15)`, then two xor-shift-multiply rounds.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) from the top 24 bits: `Float(next() >> 40) * 2^-24`.
    @inlinable
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift; bias below 2^-32 for small bounds).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
    }

    /// A standard normal sample (Box–Muller on two uniform draws).
    public mutating func nextGaussian() -> Float {
        let u1 = max(nextFloat(), 0x1p-25), u2 = nextFloat()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Float.pi * u2)
    }

    /// An independent stream derived from this seed and a label (e.g. a sample index), without
    /// advancing `self`: SplitMix64 of `state ^ label·golden`.
    public func derived(_ label: UInt64) -> Rng {
        var r = Rng(seed: state ^ (label &* 0x9E37_79B9_7F4A_7C15 &+ 0xD1B5_4A32_D192_ED03))
        _ = r.next()
        return r
    }

    /// Fisher–Yates shuffle of `array` in place, consuming `count - 1` draws.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Float) -> Float { logf(x) }
@usableFromInline func _cos(_ x: Float) -> Float { cosf(x) }
#else
import Darwin
@usableFromInline func _log(_ x: Float) -> Float { logf(x) }
@usableFromInline func _cos(_ x: Float) -> Float { cosf(x) }
#endif
