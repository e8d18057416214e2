// Fuzz target: NIR's HDF5 graph structure once read into plain values (issue 20), written as
// JSON: objects are groups, strings and numbers datasets, arrays of arrays 2-D datasets. The
// mutations reach the graph checks and the model mapping (dt, shapes, folding) rather than
// libhdf5's header checks. Every graph that maps onto a model is exported again and must map to
// the same layers. (libhdf5 itself is not fuzzed here: Debian's 1.10.8 fails AddressSanitizer on
// crafted files within seconds, in H5HG_read; see README "Fuzzing".)
import Foundation
import SpikeCore
import SpikeFuzzDriver
import SpikeNIR

/// Nested arrays of numbers or strings as (values, shape); nil when ragged or mixed.
func flatten(_ array: [Any], depth: Int) -> (numbers: [Double]?, strings: [String]?, shape: [Int])? {
    guard depth < 8 else { return nil }
    if let strings = array as? [String] { return (nil, strings, [strings.count]) }
    if let numbers = array as? [NSNumber] { return (numbers.map(\.doubleValue), nil, [numbers.count]) }
    var numbers: [Double] = [], strings: [String] = [], inner: [Int]?
    for element in array {
        guard let sub = element as? [Any], let f = flatten(sub, depth: depth + 1) else { return nil }
        if let i = inner, i != f.shape { return nil }
        inner = f.shape
        numbers += f.numbers ?? []; strings += f.strings ?? []
    }
    guard let inner else { return ([], nil, [0]) }
    if !strings.isEmpty && !numbers.isEmpty { return nil }
    return strings.isEmpty ? (numbers, nil, [array.count] + inner) : (nil, strings, [array.count] + inner)
}

func tree(_ json: Any, depth: Int) -> HDF5Tree? {
    guard depth < 24 else { return nil }
    switch json {
    case let object as [String: Any]:
        var members: [String: HDF5Tree] = [:]
        for (k, v) in object { guard let t = tree(v, depth: depth + 1) else { return nil }; members[k] = t }
        return .group(members)
    case let s as String: return .dataset(.strings([s], shape: []))
    case let n as NSNumber: return .dataset(.numbers([n.doubleValue], shape: []))
    case let array as [Any]:
        guard let f = flatten(array, depth: 0) else { return nil }
        if let strings = f.strings { return .dataset(.strings(strings, shape: f.shape)) }
        return .dataset(.numbers(f.numbers ?? [], shape: f.shape))
    default: return nil
    }
}

public func fuzzNIR(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard let json = try? JSONSerialization.jsonObject(with: Data(bytes)), let t = tree(json, depth: 0),
          let file = try? NIRFile.parse(t, file: "fuzz.nir") else { return 0 }
    for dt in [nil, 1e-3] as [Double?] {
        guard let model = try? file.model(dt: dt, file: "fuzz.nir") else { continue }
        // The mapping must give tensors the network accepts, and survive export and import.
        guard (try? Network(spec: model.spec, tensors: model.tensors, file: "fuzz.nir")) != nil else { continue }
        guard let exported = try? NIRFile.export(spec: model.spec, tensors: model.tensors, dt: model.dt, file: "fuzz.nir") else { continue }
        let back = try? NIRFile.parse(exported.tree, file: "again.nir").model(dt: model.dt, file: "again.nir")
        precondition(back?.spec.layers.count == model.spec.layers.count, "NIR export and import changed the layers")
    }
    return 0
}

fuzz { fuzzNIR($0, $1) }
