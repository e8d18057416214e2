// The number type the engine's kernels are written over: Float for stepping and training,
// Double for the trainer's gradient checks. Each kernel is written once, generic and
// `@inlinable`, so every module that calls it gets a specialised copy.
import CBLAS
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A floating-point type with the BLAS product and the elementary functions the kernels need.
public protocol SpikeScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable where RawSignificand: FixedWidthInteger {
    /// C (M, N) = alpha·op(A)·op(B) + beta·C, row-major; op transposes when the flag is set.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// e^x.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// log(1 + x), accurate near 0.
    static func log1p(_ x: Self) -> Self
    /// Arc tangent.
    static func atan(_ x: Self) -> Self
}

extension Float: SpikeScalar {
    /// cblas_sgemm.
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// expf.
    @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
    /// logf.
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }
    /// log1pf.
    @inlinable public static func log1p(_ x: Float) -> Float { log1pf(x) }
    /// atanf.
    @inlinable public static func atan(_ x: Float) -> Float { atanf(x) }
}

extension Double: SpikeScalar {
    /// cblas_dgemm.
    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// Glibc exp.
    @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    /// Glibc log.
    @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    /// Glibc log1p.
    @inlinable public static func log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    /// Glibc atan.
    @inlinable public static func atan(_ x: Double) -> Double { Glibc.atan(x) }
}

/// Sets the number of OpenBLAS threads (1 when the batch is split across threads instead).
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

/// The number of OpenBLAS threads in use.
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }
