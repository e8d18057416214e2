// Fuzz target: NIR graphs. Two entries, picked by the input's first byte:
// - an HDF5 file image (first byte 0x89, as every HDF5 signature starts) through the reader the
//   program uses (libhdf5 in memory, then the graph and the model mapping);
// - NIR's HDF5 structure as plain values, written as JSON (objects are groups, strings and
//   numbers datasets, arrays of arrays 2-D datasets), so the mutations reach the graph and model
//   checks rather than HDF5's own header checks.
// Every graph that maps onto a model is exported again and must map to the same model.
import Foundation
import SpikeCore
import SpikeFuzzDriver
import SpikeNIR

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
        if let strings = array as? [String] { return .dataset(.strings(strings, shape: [strings.count])) }
        if let numbers = array as? [NSNumber] { return .dataset(.numbers(numbers.map(\.doubleValue), shape: [numbers.count])) }
        if let rows = array as? [[String]], let w = rows.first?.count, rows.allSatisfy({ $0.count == w }) {
            return .dataset(.strings(rows.flatMap { $0 }, shape: [rows.count, w]))
        }
        if let rows = array as? [[NSNumber]], let w = rows.first?.count, rows.allSatisfy({ $0.count == w }) {
            return .dataset(.numbers(rows.flatMap { $0.map(\.doubleValue) }, shape: [rows.count, w]))
        }
        return nil
    default: return nil
    }
}

public func fuzzNIR(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let file: NIRFile?
    if bytes.first == 0x89 {
        file = try? NIRFile.read(bytes: bytes, file: "fuzz.nir")
    } else if let json = try? JSONSerialization.jsonObject(with: Data(bytes)), let t = tree(json, depth: 0) {
        file = try? NIRFile.parse(t, file: "fuzz.nir")
    } else {
        file = nil
    }
    guard let file else { return 0 }
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
