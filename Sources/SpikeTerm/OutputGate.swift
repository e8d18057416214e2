import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who may write to the terminal. A frame is written on the main thread, but SIGTERM and crash
/// signals are delivered to whichever thread is running (a training or BLAS thread): a handler
/// that restored the terminal while a frame was half written let the rest of that frame land on
/// the shell's screen after the workbench had gone. The gate has three states: open (0), a frame
/// in flight (1), closed for good (2). `draw` enters with a compare-and-swap and leaves after its
/// refresh; a handler closes it, waiting for a frame in flight (at most 200 ms: if the signal
/// interrupted that very frame on the main thread, it will not finish), and only then ends curses.
/// Lock-free atomics only, so the handlers may use it.
enum OutputGate {
    private static let state = Atomic<Int>(0)

    /// Starts a frame; false once the gate is closed (draw nothing).
    static func enter() -> Bool {
        state.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
    }

    /// Ends a frame started by `enter`.
    static func leave() {
        _ = state.compareExchange(expected: 1, desired: 0, ordering: .releasing)
    }

    /// Closes the gate for good (signal handlers and `restore`), after a frame in flight ends.
    static func close() {
        for _ in 0..<200 {
            let (exchanged, original) = state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing)
            if exchanged || original == 2 { return }
            usleep(1000)
        }
        state.store(2, ordering: .releasing)
    }

    /// Clears the screen curses drew on, just before curses leaves it: tmux from 3.2 on can
    /// show lines of the alternate screen on the shell's screen after a resize (tmux issue
    /// #3510); cleared lines show nothing. A plain write(2), so the signal handlers may use it.
    static func clearScreen() {
        let clear: [UInt8] = Array("\u{1B}[H\u{1B}[2J".utf8)
        _ = clear.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Reopens the gate (a new terminal after a restored one, e.g. in tests).
    static func reopen() { state.store(0, ordering: .releasing) }
}
