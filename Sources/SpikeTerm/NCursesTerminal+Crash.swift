import CNCurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension NCursesTerminal {
    /// Installs handlers for crash signals (SIGILL, SIGTRAP from Swift traps, SIGSEGV, SIGBUS,
    /// SIGFPE, SIGABRT) that end curses, then re-raise the signal with its default action, so a
    /// crash still gives the terminal back (and still dumps core or reports as before).
    public static func restoreTerminalOnCrash() {
        for s in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] { signal(s, spikescopeCrashRestore) }
    }
}

/// Crash handler: ends curses if it is active, restores the default action and re-raises.
private func spikescopeCrashRestore(_ sig: Int32) {
    if NCursesTerminal.active { OutputGate.close(); OutputGate.clearScreen(); endwin() }
    signal(sig, SIG_DFL)
    raise(sig)
}
