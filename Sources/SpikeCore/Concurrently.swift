// The one place the engine, the trainer and the benchmarks hand work to both cores.
import Dispatch

/// Runs `body(k)` for k in 0..<iterations on the machine's cores (`DispatchQueue.concurrentPerform`)
/// and returns when every call has. The calls must write disjoint memory; which thread runs
/// which k never changes what it computes.
public func concurrently(_ iterations: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { b in
        let box = UncheckedSendable(b)
        DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
    }
}

/// Lets a non-Sendable closure cross into `concurrentPerform` (its callers keep the writes disjoint).
private struct UncheckedSendable<T>: @unchecked Sendable { let value: T; init(_ v: T) { value = v } }
