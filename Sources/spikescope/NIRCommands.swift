import ArgumentParser
import Dispatch
import Foundation
import SpikeCore
import SpikeData
import SpikeNIR
import SpikeSession

/// `spikescope import`: a NIR graph as a session and its weights.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a NIR graph (HDF5, from snnTorch, Norse, SpikingJelly, sinabs, ...) into a session and its weights.",
        discussion: """
            NIR is continuous time; the engine steps. --dt (seconds) picks the step; without it the τ/r
            ratio every leaky node shares is used (snnTorch writes r = τ/dt), else the command asks for it.
            Forward Euler: β = 1 − dt/τ, the input gain r·dt/τ and the leak drive v_leak·dt/τ are folded
            into the weights and bias before the neurons (README "NIR").
            """)

    @Argument(help: "The NIR file.") var file: String
    @Option(help: "The session to write (TOML); the weights go beside it as NAME.safetensors.") var out: String
    @Option(help: "Step length in seconds.") var dt: Double?
    @Option(name: .customLong("T"), help: "Timesteps per presentation in the session.") var timesteps = 10

    func run() throws {
        guard out.hasSuffix(".toml") else { throw InputError(description: "--out \(out): expected a session file name ending in .toml") }
        let (_, notes, summary) = try Import.session(fromNIR: file, dt: dt, timesteps: timesteps, out: out)
        for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        print(summary)
    }

    /// Reads `file` as a session written at `out` (default: a new temporary folder) with its
    /// weights beside it as NAME.safetensors, and loads it. Nothing is written unless the graph
    /// maps onto a model the network accepts.
    static func session(fromNIR file: String, dt: Double?, timesteps: Int, out given: String? = nil) throws
        -> (session: Session, notes: [String], summary: String) {
        guard timesteps >= 1 else { throw InputError(description: "T: must be at least 1, found '\(timesteps)'") }
        let nir = try readNIRIsolated(file)
        let imported = try nir.model(dt: dt, file: file)
        let network = try Network(spec: imported.spec, tensors: imported.tensors, file: file)
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let out: String
        if let given { out = given } else {
            let dir = NSTemporaryDirectory() + "spikescope-nir-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            out = dir + "/" + name + ".toml"
        }
        let weights = String(out.dropLast(".toml".count)) + ".safetensors"
        // Inputs the size of a shipped image set show that set; any other size a step current
        // on every input (the stimulus source, which drives the model through frames).
        var data = DataSettings(source: .stimulus)
        var spec = imported.spec
        switch spec.inputShape.count {
        case 64: data = DataSettings(source: .dataset(.digits))
        case 784: data = DataSettings(source: .dataset(.fashionMNIST))
        default: spec.encoder = .frames
        }
        let session = Session(name: URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent, timesteps: timesteps,
                              model: spec, weights: URL(fileURLWithPath: weights).lastPathComponent, data: data,
                              view: ViewSettings(layer: spec.layers.first { $0.neuron != nil }?.name))
        try Safetensors.write(network.tensors(), metadata: ["format": "spikescope-weights", "source": "nir",
                                                            "nir_file": file, "nir_version": nir.version, "dt": "\(imported.dt)"], to: weights)
        let header = "# Imported from \(file) (NIR \(nir.version)) with dt = \(imported.dt) s (forward Euler; README \"NIR\").\n"
        do {
            try Data((header + session.tomlText()).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            unlink(weights)
            throw InputError(description: "\(out): cannot write: \(error.localizedDescription)")
        }
        let summary = "imported \(file) (NIR \(nir.version), \(nir.graph.nodes.count) nodes) as \(imported.spec.layers.count) layers, "
            + "dt = \(imported.dt) s -> \(out), \(weights)"
        return (try Session.load(path: out), imported.notes, summary)
    }
}

/// `spikescope export`: a session's model as a NIR graph.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the session's model as a NIR graph (HDF5) for other frameworks and chips.",
        discussion: """
            Each layer becomes a weight node (Affine, Linear, Conv2d, SumPool2d, AvgPool2d, Flatten) and a
            neuron node (LIF, IF, LI, I, CubaLIF) with τ = dt/(1 − β) and r = τ/dt, so that NIR's
            forward-Euler reading gives back the same β and an input gain of 1. Reset by subtraction,
            which NIR lacks, is written as the node metadata reset_mode = "subtract".
            """)

    @OptionGroup var options: SessionOptions
    @Option(help: "The NIR file to write.") var out: String
    @Option(help: "Step length in seconds that the time constants are written for.") var dt = 1e-3

    func run() throws {
        let path = options.resolvedPath()
        let session = try Session.load(path: path)
        let network: Network
        if let w = session.resolvedWeightsPath {
            network = try Network(spec: session.model, tensors: try Safetensors.read(path: w).tensors, file: w)
        } else {
            network = try Network(spec: session.model, seed: session.seed)
        }
        let file = try NIRFile.export(spec: session.model, tensors: network.tensors(), dt: dt, file: path)
        try file.write(to: out)
        for layer in session.model.layers where layer.neuron.map({ [.subtract].contains(NIRFile.resetMode(of: $0)) }) ?? false {
            FileHandle.standardError.write(Data(("warning: layer '\(layer.name)' resets by subtraction, which NIR cannot express: written as "
                + "the node metadata reset_mode = \"subtract\", which spikescope reads back; other tools will reset to v_reset = 0\n").utf8))
        }
        print("exported \(path) as \(out) (NIR \(file.version), \(file.graph.nodes.count) nodes, dt = \(dt) s)")
    }
}

/// `spikescope bench nir`: export and import of a 10-layer conv graph of ~10 M weights.
struct BenchNIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nir",
        abstract: "Seconds to export and to import a 10-layer conv graph of 10.04 M weights as NIR (goal: under 1 s each).")

    @Option(help: "Rounds; the median is reported.") var rounds = 3

    func run() throws {
        guard rounds >= 1 else { throw InputError(description: "--rounds must be at least 1") }
        // 10 layers of 3x3 conv, 334 → 334 channels on 4x4 (1,004,004 weights each), each with LIF neurons.
        let lif = NeuronModel.lif(LIFParameters(beta: 0.9, threshold: 1, reset: .zero))
        let spec = ModelSpec(inputShape: FeatureShape(channels: 334, height: 4, width: 4), layers: (1...10).map {
            LayerSpec(name: "conv\($0)", kind: .conv2d(outChannels: 334, kernel: 3, stride: 1, padding: 1), neuron: lif)
        })
        let net = try Network(spec: spec, seed: 0)
        let tensors = net.tensors()
        let weights = tensors.filter { $0.key.hasSuffix(".weight") }.reduce(0) { $0 + $1.value.data.count }
        let dir = NSTemporaryDirectory() + "spikescope-bench-nir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/conv10.nir"
        var exports: [Double] = [], imports: [Double] = []
        for _ in 0..<rounds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try NIRFile.export(spec: spec, tensors: tensors, dt: 1e-3, file: "bench").write(to: path)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let imported = try readNIRIsolated(path).model(dt: nil, file: path)
            _ = try Network(spec: imported.spec, tensors: imported.tensors, file: path)
            let t2 = DispatchTime.now().uptimeNanoseconds
            exports.append(Double(t1 - t0) / 1e9); imports.append(Double(t2 - t1) / 1e9)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
        print(String(format: "{\"bench\":\"nir\",\"layers\":10,\"weights\":%d,\"file_bytes\":%d,\"export_s\":%.3f,\"import_s\":%.3f,\"rounds\":%d,\"goal_s\":1}",
                     weights, size, median(exports), median(imports), rounds))
    }
}

/// `spikescope nir-read FILE` (internal): reads an HDF5 file with libhdf5 and writes its values
/// in `HDF5Tree.encoded()` form to stdout. The other commands run it as a child process, so
/// that libhdf5 meeting a damaged or hostile file (Debian's 1.10.8 fails AddressSanitizer on
/// crafted files) ends the child with a signal, reported as a clear error, instead of the program.
struct NIRRead: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nir-read", shouldDisplay: false)

    @Argument var file: String

    func run() throws {
        if ProcessInfo.processInfo.environment["SPIKESCOPE_FAULT"] == "nir-read-crash" { abort() }   // tests: a reader crash
        let bytes = try HDF5.read(path: file).encoded()
        bytes.withUnsafeBytes { var p = $0.baseAddress!, left = $0.count
            while left > 0 { let n = write(STDOUT_FILENO, p, left); if n <= 0 { break }; p += n; left -= n }
        }
    }
}

/// Reads a NIR file through `spikescope nir-read` in a child process (see `NIRRead`).
func readNIRIsolated(_ path: String) throws -> NIRFile {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    p.arguments = ["nir-read", path]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err; p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile(), message = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    if p.terminationReason == .uncaughtSignal {
        throw InputError(description: "\(path): the HDF5 library crashed reading it (signal \(p.terminationStatus)): a damaged file, or not one nir.write made")
    }
    guard p.terminationStatus == 0 else {
        // The child's own message ("spikescope: error: FILE: ...") without its prefix.
        let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        throw InputError(description: text.hasPrefix("spikescope: error: ") ? String(text.dropFirst("spikescope: error: ".count)) : text)
    }
    return try NIRFile.parse(try HDF5Tree.decode([UInt8](data), file: path), file: path)
}
