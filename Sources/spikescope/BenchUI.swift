import SpikeTerm
import ArgumentParser
import Foundation
import SpikeCore
import SpikeSession
import SpikeUI

/// `spikescope bench frame`: ms to build and flush one frame, and live steps per second with a frame per step.
struct BenchFrame: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame",
        abstract: "Median ms of view(state) + frame diff/flush into a headless terminal; live steps/s with a frame per step.",
        discussion: """
            Frame: the session's model with its first dense layer widened to --neurons (seeded weights;
            a model without a plain dense layer runs as it is, unless --neurons is given),
            T=--steps-shown, stepped to 2T; each timed frame follows one more (untimed) step, so the raster scrolls. Steps: the session as it is, one step and
            one full frame per iteration, restarting the presentation at T (the loop itself caps runs at 100 steps/s).
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "Terminal width.") var width = 200
    @Option(help: "Terminal height.") var height = 60
    @Option(help: "Neurons in the rastered layer (default 1000; a model without a dense layer keeps its own).") var neurons: Int?
    @Option(help: "Steps recorded before timing (the raster's width in steps).") var stepsShown = 200
    @Option(help: "Timed frames.") var frames = 300
    @Option(help: "Timed live steps.") var steps = 1000

    func run() throws {
        guard width >= 60, height >= 18, (neurons ?? 1) >= 1, stepsShown >= 1, frames >= 10, steps >= 10 else {
            throw InputError(description: "need --width >= 60, --height >= 18, --neurons, --steps-shown >= 1, --frames and --steps >= 10")
        }
        let path = options.resolvedPath()
        let size = Size(width: width, height: height)

        // (a) One frame of a wide raster.
        var session = try Session.load(path: path)
        var shown = session.model.layers.first?.kind.denseOutputs ?? 0
        if let first = session.model.layers.firstIndex(where: { if case .dense = $0.kind { true } else { false } }) {
            shown = neurons ?? 1000
            session.model.layers[first].kind = .dense(outputs: shown)
            session.weights = nil
        } else if neurons != nil {
            throw InputError(description: "\(path): the model has no dense layer to widen to --neurons (leave it out to run the model as it is)")
        }
        // A presentation longer than the plot (it ends at T), so the window follows the newest steps.
        session.timesteps = 2 * stepsShown + frames + 10
        var wide = try AppState(workspace: try Workspace(session: session), theme: .dark, size: size)
        for _ in 0..<(2 * stepsShown) { wide.stepForward() }
        let terminal = HeadlessTerminal(width: width, height: height)
        var buffer = Buffer(width: width, height: height)
        var times: [Double] = []
        var written = 0
        for i in 0..<(frames + 10) {
            wide.stepForward()   // untimed: one more simulated step, so the raster scrolls every frame
            let t0 = now()
            view(wide, into: &buffer)
            terminal.draw(buffer)
            let dt = Double(now() - t0) / 1e6
            if i >= 10 { times.append(dt); written += terminal.lastWrites.count }
        }
        times.sort()
        print(String(format: "{\"bench\":\"ui_frame\",\"width\":%d,\"height\":%d,\"neurons\":%d,\"steps_shown\":%d,\"frames\":%d,\"median_ms\":%.3f,\"p90_ms\":%.3f,\"min_ms\":%.3f,\"cells_written_per_frame\":%d,\"goal_ms\":4}",
                     width, height, shown, stepsShown, frames, times[times.count / 2], times[times.count * 9 / 10], times[0],
                     written / max(1, frames)))

        // (b) The session stepping live, a full frame per step.
        var live = try AppState(workspace: try Workspace(session: try Session.load(path: path)), theme: .dark, size: size)
        let t0 = now()
        for _ in 0..<steps {
            if live.cursor >= live.timesteps { live.reset() }
            live.stepForward()
            view(live, into: &buffer)
            terminal.draw(buffer)
        }
        let seconds = Double(now() - t0) / 1e9
        print(String(format: "{\"bench\":\"ui_live_steps\",\"session\":\"%@\",\"T\":%d,\"steps\":%d,\"steps_per_s\":%.1f,\"ms_per_step_and_frame\":%.3f,\"loop_cap_steps_per_s\":%d,\"goal_steps_per_s\":60}",
                     live.workspace.session.name, live.timesteps, steps, Double(steps) / seconds, seconds * 1000 / Double(steps),
                     AppState.speeds.last ?? 0))
    }
}

/// `spikescope bench memory`: peak resident memory of the workbench state for a session.
struct BenchMemory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "VmHWM after opening a session, drawing, stepping T and computing accuracy by T (as the workbench does).")

    @OptionGroup var options: SessionOptions
    @Option(help: "Terminal width.") var width = 200
    @Option(help: "Terminal height.") var height = 60

    func run() throws {
        let path = options.resolvedPath()
        let size = Size(width: width, height: height)
        var state = try AppState(workspace: try Workspace(session: try Session.load(path: path)), theme: .dark, size: size)
        let terminal = HeadlessTerminal(width: width, height: height)
        var buffer = Buffer(width: width, height: height)
        view(state, into: &buffer)
        terminal.draw(buffer)
        state.setCompare(true)
        for _ in 0..<state.timesteps { state.stepForward() }
        state.startAccuracyIfNeeded()
        let start = Date()
        while state.hasBackgroundWork && Date().timeIntervalSince(start) < 600 {
            state.pollBackground()
            usleep(20_000)
        }
        view(state, into: &buffer)
        terminal.draw(buffer)
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kB(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return -1 }
            return Int(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? -1
        }
        let accuracy = state.accuracyByT.map { "\"" + $0.text + "\"" } ?? "null"
        print(String(format: "{\"bench\":\"ui_memory\",\"session\":\"%@\",\"vm_hwm_mb\":%.1f,\"vm_rss_mb\":%.1f,\"accuracy_by_T\":%@,\"accuracy_samples\":%d,\"seconds\":%.2f}",
                     state.workspace.session.name, Double(kB("VmHWM")) / 1024, Double(kB("VmRSS")) / 1024, accuracy,
                     state.accuracyByT?.samples ?? 0, Date().timeIntervalSince(start)))
    }
}
