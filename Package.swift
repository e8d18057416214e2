// swift-tools-version:6.0
// spikescope: an interactive terminal workbench for spiking neural networks.
// Module map and allowed imports: see DESIGN (engine SpikeCore has no UI; the widget kit
// SpikeTerm is the only user of ncurses and imports no module of ours; the executable only parses
// arguments and wires modules together).
import PackageDescription

let package = Package(
    name: "spikescope",
    products: [
        .executable(name: "spikescope", targets: ["spikescope"]),
        .library(name: "SpikeCore", targets: ["SpikeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries from Debian packages.
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),

        // Kernels needing instructions the Swift baseline does not emit (AVX-512), picked at run time.
        .target(name: "CSpikeKernels", linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SpikeCore", dependencies: ["CBLAS", "CSpikeKernels"]),
        .target(
            name: "SpikeData", dependencies: ["SpikeCore", "CZlib"],
            resources: [.copy("Resources/digits.csv.gz")]),
        // Mapping onto neuromorphic targets: partition, placement, routing, traffic; profiles as resources.
        .target(name: "SpikeHardware", dependencies: ["SpikeCore"], resources: [.copy("Profiles")]),
        .target(name: "SpikeSession", dependencies: ["SpikeCore", "SpikeData", "SpikeHardware", "SpikeLearn", "TOMLKit"]),
        .target(name: "SpikeTrain", dependencies: ["SpikeCore", "SpikeData"]),
        // Local plasticity rules (STDP, Diehl & Cook, R-STDP, VDSP, short-term plasticity): the engine only.
        .target(name: "SpikeLearn", dependencies: ["SpikeCore"]),
        // NIR (the Neuromorphic Intermediate Representation): HDF5 graphs read and written, mapped onto the engine.
        .target(name: "SpikeNIR", dependencies: ["SpikeCore", "CHDF5", "CZlib"]),
        // The widget kit: cells, layout, widgets, themes, terminals. It knows no model.
        .target(name: "SpikeTerm", dependencies: ["CNCurses"]),
        .target(name: "SpikeUI", dependencies: ["SpikeCore", "SpikeData", "SpikeSession", "SpikeTrain", "SpikeTerm", "SpikeHardware", "SpikeLearn"]),
        .executableTarget(
            name: "spikescope",
            dependencies: [
                "SpikeCore", "SpikeData", "SpikeSession", "SpikeTrain", "SpikeTerm", "SpikeUI", "SpikeHardware", "SpikeLearn", "SpikeNIR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(name: "spiketrain-bench", dependencies: ["SpikeCore", "SpikeData", "SpikeTrain"],
                          path: "bench/SpikeTrainBench"),
        // Fuzz targets, one per parser: bench/fuzz.sh builds them with -sanitize=fuzzer,address and
        // -D FUZZING; a plain build makes executables that do nothing.
        .target(name: "SpikeFuzzDriver", path: "bench/Fuzz/Driver"),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["SpikeCore", "SpikeFuzzDriver"], path: "bench/Fuzz/Safetensors"),
        .executableTarget(name: "fuzz-idx", dependencies: ["SpikeData", "SpikeFuzzDriver"], path: "bench/Fuzz/IDX"),
        .executableTarget(name: "fuzz-events", dependencies: ["SpikeData", "SpikeFuzzDriver"], path: "bench/Fuzz/Events"),
        .executableTarget(name: "fuzz-session", dependencies: ["SpikeSession", "SpikeFuzzDriver"], path: "bench/Fuzz/Session"),
        .executableTarget(name: "fuzz-theme", dependencies: ["SpikeSession", "SpikeFuzzDriver"], path: "bench/Fuzz/Theme"),
        .executableTarget(name: "fuzz-learn", dependencies: ["SpikeSession", "SpikeLearn", "SpikeFuzzDriver"], path: "bench/Fuzz/Learn"),
        .executableTarget(name: "fuzz-nir", dependencies: ["SpikeCore", "SpikeNIR", "SpikeFuzzDriver"], path: "bench/Fuzz/NIR"),
        .executableTarget(name: "fuzz-target", dependencies: ["SpikeCore", "SpikeHardware", "SpikeSession", "SpikeFuzzDriver"],
                          path: "bench/Fuzz/Target"),

        .testTarget(name: "SpikeCoreTests", dependencies: ["SpikeCore", "CSpikeKernels"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpikeDataTests", dependencies: ["SpikeData"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SpikeSessionTests", dependencies: ["SpikeSession", "SpikeHardware", "SpikeData"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SpikeLearnTests", dependencies: ["SpikeLearn", "SpikeCore"]),
        .testTarget(name: "SpikeTrainTests", dependencies: ["SpikeTrain", "SpikeCore", "SpikeData"]),
        .testTarget(name: "SpikeTermTests", dependencies: ["SpikeTerm"]),
        .testTarget(name: "SpikeHardwareTests", dependencies: ["SpikeHardware", "SpikeCore"]),
        .testTarget(name: "SpikeUITests", dependencies: ["SpikeUI", "SpikeTerm", "SpikeSession", "SpikeTrain", "SpikeCore", "SpikeHardware"]),
        .testTarget(name: "SpikeNIRTests", dependencies: ["SpikeNIR", "SpikeCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["spikescope", "SpikeCore"]),
        // Drives the built binary inside tmux (skipped when tmux is missing).
        .testTarget(name: "TUITests", dependencies: ["spikescope"]),
    ],
    swiftLanguageModes: [.v5]
)
