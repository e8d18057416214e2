import Foundation
import Testing
@testable import SpikeCore

private func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return url.path
}

@Test func readsAFileWrittenByPythonSafetensors() throws {
    let (t, meta) = try Safetensors.read(path: try fixture("python_written.safetensors"))
    #expect(meta == ["format": "pt", "made_by": "make_safetensors_fixture.py"])
    #expect(t["fc1.weight"] == Tensor(shape: [2, 3], data: [-0.5, -0.25, 0, 0.25, 0.5, 0.75]))
    #expect(t["fc1.bias"] == Tensor(shape: [2], data: [0.25, -1.5]))
    #expect(t["half"] == Tensor(shape: [4], data: [1, -2.5, 65504, 0x1p-24]))
    #expect(t["double"] == Tensor(shape: [2, 1], data: [Float(1.0 / 3.0), -7]))
    #expect(t["scalar"] == Tensor(shape: [], data: [3.5]))
}

@Test func networkWeightsRoundTripThroughSafetensors() throws {
    let net = try Network(spec: mlp(), seed: 42)
    let path = NSTemporaryDirectory() + "spikescope-roundtrip-\(getpid()).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Safetensors.write(net.tensors(), metadata: ["note": "tab\there \"quoted\""], to: path)
    let (tensors, meta) = try Safetensors.read(path: path)
    #expect(meta == ["note": "tab\there \"quoted\""])
    #expect(Set(tensors.keys) == ["hidden.weight", "hidden.bias", "readout.weight", "readout.bias"])
    let back = try Network(spec: mlp(), tensors: tensors, file: path)
    #expect(back.parameters == net.parameters)
    // header length is a multiple of 8 so tensors start aligned
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect((8 + Int(data[0]) + Int(data[1]) << 8) % 8 == 0)
}

@Test func badSafetensorsFilesGiveClearErrors() throws {
    let good = Safetensors.encode(["w": Tensor(shape: [2], data: [1, 2])])
    #expect(throws: SafetensorsError.truncated(file: "f", expected: 8, found: 3)) {
        try Safetensors.decode(Data([1, 2, 3]), file: "f")
    }
    #expect(throws: SafetensorsError.truncated(file: "f", expected: good.count, found: good.count - 1)) {
        try Safetensors.decode(good.dropLast(), file: "f")
    }
    var notJSON = Data([8, 0, 0, 0, 0, 0, 0, 0]); notJSON.append(contentsOf: Array("not json".utf8))
    #expect(throws: SafetensorsError.badHeader(file: "f", reason: "the header is not a JSON object")) {
        try Safetensors.decode(notJSON, file: "f")
    }
    func withHeader(_ json: String, body: Int) -> Data {
        var d = Data(); var n = UInt64(json.utf8.count)
        withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(json.utf8)); d.append(contentsOf: [UInt8](repeating: 0, count: body))
        return d
    }
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "x", reason: "dtype I8 is not supported (expected F32, F64, F16 or BF16)")) {
        try Safetensors.decode(withHeader(#"{"x":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}"#, body: 2), file: "f")
    }
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "x", reason: "data_offsets [0, 4] hold 4 bytes, shape [2] of F32 needs 8")) {
        try Safetensors.decode(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, body: 4), file: "f")
    }
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "b", reason: "its data overlaps tensor 'a'")) {
        try Safetensors.decode(withHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, body: 8), file: "f")
    }
    #expect(throws: SafetensorsError.unreadable(file: "/nonexistent/w.safetensors", reason: "no such file")) {
        try Safetensors.read(path: "/nonexistent/w.safetensors")
    }
    // a weights file that lacks a tensor or has a wrong shape names it
    let tensors = ["hidden.weight": Tensor(shape: [20, 30], data: Array(repeating: 0, count: 600))]
    #expect(throws: ModelError.tensorShape(file: "w", name: "hidden.weight", expected: [30, 20], found: [20, 30])) {
        try Network(spec: mlp(), tensors: tensors, file: "w")
    }
    #expect(throws: ModelError.missingTensor(file: "w", name: "hidden.weight", expectedShape: [30, 20])) {
        try Network(spec: mlp(), tensors: [:], file: "w")
    }
}

/// Found by `bench/fuzz.sh` (30-minute run, 2026-11-30): a data offset written `26E040` read as a
/// negative Int and `offs[1] - offs[0]` trapped on overflow. Sizes from a header are now whole
/// non-negative numbers multiplied with overflow checks.
@Test func headerNumbersThatOverflowAreErrorsNotTraps() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/fuzz/safetensors-huge-offset.safetensors", withExtension: nil))
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "readout.bias", reason: "shape and data_offsets must be non-negative integers")) {
        try Safetensors.decode(try Data(contentsOf: url), file: "f")
    }
    func withHeader(_ json: String) -> Data {
        var d = Data(); var n = UInt64(json.utf8.count)
        withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(json.utf8)); d.append(contentsOf: [UInt8](repeating: 0, count: 8))
        return d
    }
    let huge = #"{"x":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "x",
                                               reason: "shape [4294967296, 4294967296] of F64 needs more bytes than a file can hold")) {
        try Safetensors.decode(withHeader(huge), file: "f")
    }
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "x", reason: "shape and data_offsets must be non-negative integers")) {
        try Safetensors.decode(withHeader(#"{"x":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#), file: "f")
    }
    #expect(throws: SafetensorsError.badTensor(file: "f", name: "x", reason: "shape and data_offsets must be non-negative integers")) {
        try Safetensors.decode(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}"#), file: "f")
    }
}
