import SpikeCore

/// The node classes of NIR (nir 1.0.8), by the `type` string a file stores.
public enum NIRNodeType: String, CaseIterable, Sendable {
    case input = "Input", output = "Output"
    case affine = "Affine", linear = "Linear", scale = "Scale"
    case conv1d = "Conv1d", conv2d = "Conv2d", sumPool2d = "SumPool2d", avgPool2d = "AvgPool2d", flatten = "Flatten"
    case delay = "Delay", threshold = "Threshold"
    case integrator = "I", integrateAndFire = "IF", leakyIntegrator = "LI", lif = "LIF", cubaLI = "CubaLI", cubaLIF = "CubaLIF"
    case graph = "NIRGraph"

    /// The fields nir.read requires of this class (others, e.g. v_reset or input_shape, are optional).
    public var requiredFields: [String] {
        switch self {
        case .input, .output: []   // "shape" is expected; graphs without it are read with a note (NIRFile.model)
        case .affine: ["weight", "bias"]
        case .linear: ["weight"]
        case .scale: ["scale"]
        case .conv1d, .conv2d: ["weight", "stride", "padding", "dilation", "groups", "bias"]
        case .sumPool2d, .avgPool2d: ["kernel_size", "stride", "padding"]
        case .flatten: ["start_dim", "end_dim"]
        case .delay: ["delay"]
        case .threshold: ["threshold"]
        case .integrator: ["r"]
        case .integrateAndFire: ["r", "v_threshold"]
        case .leakyIntegrator: ["tau", "r", "v_leak"]
        case .lif: ["tau", "r", "v_leak", "v_threshold"]
        case .cubaLI: ["tau_mem", "tau_syn", "r", "v_leak", "w_in"]
        case .cubaLIF: ["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "w_in"]
        case .graph: []
        }
    }
}

/// One node of a NIR graph: its class, its fields as plain values, its metadata, and for a
/// nested graph the graph.
public struct NIRNode: Sendable {
    public var name: String
    public var type: NIRNodeType
    public var fields: [String: HDF5Value]
    public var metadata: [String: HDF5Value]
    public var subgraph: NIRGraph?

    public init(name: String, type: NIRNodeType, fields: [String: HDF5Value], metadata: [String: HDF5Value] = [:], subgraph: NIRGraph? = nil) {
        self.name = name; self.type = type; self.fields = fields; self.metadata = metadata; self.subgraph = subgraph
    }

    /// A numeric field's values and shape.
    public func numbers(_ field: String) -> (values: [Double], shape: [Int])? {
        if case .numbers(let v, let s)? = fields[field] { (v, s) } else { nil }
    }
}

/// A NIR graph read into plain values: nodes by name, edges (source, target), metadata.
public final class NIRGraph: Sendable {
    public let nodes: [String: NIRNode]
    public let edges: [(source: String, target: String)]
    public let metadata: [String: HDF5Value]

    public init(nodes: [String: NIRNode], edges: [(source: String, target: String)], metadata: [String: HDF5Value] = [:]) {
        self.nodes = nodes; self.edges = edges; self.metadata = metadata
    }
}

/// A NIR file: its version string and its top graph.
public struct NIRFile: Sendable {
    public var version: String
    public var graph: NIRGraph

    public init(version: String, graph: NIRGraph) { self.version = version; self.graph = graph }
}

/// What is wrong with a NIR file or graph; names the file, the node and the field.
public struct NIRError: UserInputError, Equatable {
    public var file: String
    public var node: String
    public var reason: String
    public var description: String { node.isEmpty ? "\(file): \(reason)" : "\(file): node '\(node)': \(reason)" }
}

extension NIRFile {
    /// Reads a NIR file (HDF5, as nir.write makes it).
    public static func read(path: String) throws -> NIRFile {
        try parse(HDF5.read(path: path), file: path)
    }

    /// The graph in an HDF5 tree: root dataset `version` and group `node`.
    public static func parse(_ tree: HDF5Tree, file: String) throws -> NIRFile {
        guard case .dataset(.strings(let v, _))? = tree["version"], let version = v.first else {
            throw NIRError(file: file, node: "", reason: "no 'version' string at the root: HDF5, but not a NIR file")
        }
        guard let top = tree["node"] else {
            throw NIRError(file: file, node: "", reason: "no 'node' group at the root: HDF5, but not a NIR file")
        }
        return NIRFile(version: version, graph: try graph(top, name: "", file: file, depth: 0))
    }

    static func string(_ tree: HDF5Tree?) -> String? {
        if case .dataset(.strings(let s, let shape))? = tree, shape.isEmpty || s.count == 1 { s.first } else { nil }
    }

    static func graph(_ tree: HDF5Tree, name: String, file: String, depth: Int) throws -> NIRGraph {
        guard case .group = tree, string(tree["type"]) == NIRNodeType.graph.rawValue else {
            throw NIRError(file: file, node: name, reason: "type: expected \"NIRGraph\"")
        }
        guard depth <= 16 else { throw NIRError(file: file, node: name, reason: "graphs nest deeper than 16") }
        guard case .group(let members)? = tree["nodes"] else {
            throw NIRError(file: file, node: name, reason: "nodes: a group of nodes is missing")
        }
        var nodes: [String: NIRNode] = [:]
        for (key, member) in members {
            let full = name.isEmpty ? key : name + "." + key
            nodes[key] = try node(member, name: key, full: full, file: file, depth: depth)
        }
        var edges: [(source: String, target: String)] = []
        switch tree["edges"] {
        case nil: break
        case .dataset(.strings(let s, let shape))?:
            guard s.isEmpty || (shape.count == 2 && shape[1] == 2) else {
                throw NIRError(file: file, node: name, reason: "edges: expected E x 2 strings, found shape \(shape)")
            }
            for k in stride(from: 0, to: s.count - 1, by: 2) { edges.append((s[k], s[k + 1])) }
        case .dataset(.numbers(let v, _))? where v.isEmpty: break
        default: throw NIRError(file: file, node: name, reason: "edges: expected E x 2 strings")
        }
        for (source, target) in edges {
            for end in [source, target] where nodes[end] == nil {
                throw NIRError(file: file, node: name, reason: "the edge \(source) -> \(target) names '\(end)', which is not a node of the graph")
            }
        }
        return NIRGraph(nodes: nodes, edges: edges, metadata: metadata(tree["metadata"]))
    }

    static func metadata(_ tree: HDF5Tree?) -> [String: HDF5Value] {
        guard case .group(let members)? = tree else { return [:] }
        var out: [String: HDF5Value] = [:]
        for (key, value) in members { if case .dataset(let v) = value { out[key] = v } }
        return out
    }

    static func node(_ tree: HDF5Tree, name: String, full: String, file: String, depth: Int) throws -> NIRNode {
        guard case .group(let members) = tree else { throw NIRError(file: file, node: full, reason: "not a group") }
        guard let typeName = string(members["type"]) else { throw NIRError(file: file, node: full, reason: "type: no type string") }
        guard let type = NIRNodeType(rawValue: typeName) else {
            throw NIRError(file: file, node: full, reason: "type '\(typeName)' is not a NIR node class (expected one of "
                + NIRNodeType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        if type == .graph {
            let sub = try graph(tree, name: full, file: file, depth: depth + 1)
            return NIRNode(name: name, type: .graph, fields: [:], metadata: sub.metadata, subgraph: sub)
        }
        var fields: [String: HDF5Value] = [:]
        for (key, value) in members where key != "type" && key != "metadata" {
            switch value {
            case .dataset(let v): fields[key] = v
            case .group(let inner):
                // input_type / output_type written as {"input": shape}: keep the shape.
                if case .dataset(let v)? = inner.values.first, inner.count == 1 { fields[key] = v }
            }
        }
        for field in type.requiredFields where fields[field] == nil {
            throw NIRError(file: file, node: full, reason: "\(type.rawValue) needs the field '\(field)', which is missing")
        }
        return NIRNode(name: name, type: type, fields: fields, metadata: metadata(members["metadata"]))
    }
}
