import Foundation
import SpikeCore
import SpikeData
import Testing

/// Three events by hand, an overflow marker between the second and the third:
/// (x 1, y 2, ON, 5 µs); (x 33, y 0, OFF, 2^22 + 258 µs: bit 22 is bit 6 of byte 2);
/// a marker (y 240: +8192 µs from here on); (x 7, y 9, ON, 2^22 + 259 + 8192 µs).
private let handMade: [UInt8] = [
    1, 2, 0x80, 0, 5,
    33, 0, 0x40, 1, 2,
    0, 240, 0, 0, 0,
    7, 9, 0xC0, 1, 3,
]

@Test func nmnistDecodesHandMadeBytesWithAnOverflowMarker() throws {
    let r = try NMNIST.decode(handMade, file: "hand.bin")
    #expect(r.width == 34 && r.height == 34)
    #expect(r.events == [Event(t: 5, x: 1, y: 2, on: true), Event(t: 4_194_562, x: 33, y: 0, on: false),
                         Event(t: 4_194_563 + 8192, x: 7, y: 9, on: true)])
    // the writer needs no marker below 2^23 µs: the third event's time goes into its own 23 bits
    #expect(try NMNIST.encode(r) == Array(handMade.prefix(10)) + [7, 9, 0xC0, 0x21, 0x03])
}

@Test func nmnistAndCSVRoundTripsAreExact() throws {
    var rng = Rng(seed: 4)
    var t: Int64 = 0
    let events: [Event] = (0..<5000).map { _ in
        t += Int64(rng.nextInt(below: 4000))          // reaches beyond 2^23 µs: overflow markers are needed
        return Event(t: t, x: rng.nextInt(below: 34), y: rng.nextInt(below: 34), on: rng.nextFloat() < 0.5)
    }
    #expect(t > 1 << 23)
    let recording = EventRecording(width: 34, height: 34, events: events)
    let bytes = try NMNIST.encode(recording)
    #expect(bytes.count > events.count * 5)              // markers were written
    #expect(try NMNIST.decode(bytes, file: "x.bin") == recording)
    #expect(try EventCSV.decode(EventCSV.encode(recording), file: "x.csv", width: 34, height: 34) == recording)
    let dir = NSTemporaryDirectory() + "spikescope-events-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try NMNIST.write(recording, to: dir + "/r.bin")
    try EventCSV.write(recording, to: dir + "/r.csv")
    #expect(try NMNIST.read(path: dir + "/r.bin") == recording)
    #expect(try EventCSV.read(path: dir + "/r.csv", width: 34, height: 34) == recording)
}

@Test(arguments: [
    (Array(handMade.prefix(7)), "t.bin: byte 5: truncated: 2 bytes of a 5-byte event"),
    ([40, 1, 0, 0, 1], "t.bin: byte 0: pixel (40, 1) lies outside the 34x34 sensor"),
    ([1, 1, 0, 0, 9, 2, 2, 0, 0, 3], "t.bin: byte 5: time goes backwards (3 µs after 9 µs); events must be in time order"),
    ([], "t.bin: no events: the recording is empty"),
    ([0, 240, 0, 0, 0], "t.bin: no events: the recording is empty"),
])
func badNMNISTBytesNameTheByte(bytes: [UInt8], message: String) {
    #expect(throws: DataError.self) { try NMNIST.decode(bytes, file: "t.bin") }
    do { _ = try NMNIST.decode(bytes, file: "t.bin") } catch { #expect("\(error)" == message) }
}

@Test(arguments: [
    ("t,x,y,p\n1,2,3,1\n5,2,x,0\n", "e.csv: line 3: expected four integers t,x,y,p, found '5,2,x,0'"),
    ("1,2,3,2\n", "e.csv: line 1: polarity must be 0 or 1, found 2"),
    ("9,0,0,1\n4,0,0,1\n", "e.csv: line 2: time goes backwards (4 µs after 9 µs); events must be in time order"),
    ("t,x,y,p\n", "e.csv: no events: the recording is empty"),
    // found by the events fuzz target (a timeout: frames of a 6,942,534 x 10 sensor)
    ("t,x,y,p\n5,1,2,1\n94,6942533,0,0\n", "e.csv: a 6942534x3 sensor is larger than the 4096x4096 spikescope reads (pixel coordinates too large?)"),
])
func badCSVNamesTheLine(text: String, message: String) {
    do { _ = try EventCSV.decode(text, file: "e.csv"); Issue.record("no error") } catch { #expect("\(error)" == message) }
}

@Test func writerRefusesWhatTheFormatCannotHold() {
    #expect(throws: DataError.self) { try NMNIST.encode(EventRecording(width: 300, height: 300, events: [Event(t: 0, x: 0, y: 240, on: true)])) }
    #expect(throws: DataError.self) { try NMNIST.encode(EventRecording(width: 34, height: 34, events: [Event(t: 5, x: 0, y: 0, on: true), Event(t: 1, x: 0, y: 0, on: true)])) }
}

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"

/// An AEDAT 2.0 file written by `Fixtures/make_aedat_fixture.py` decodes, in the CIFAR10-DVS
/// layout, to the events SpikingJelly's CIFAR10-DVS reader gives for it (the CSV beside it).
@Test func aedatMatchesSpikingJellysCIFAR10DVSReader() throws {
    let ours = try AEDAT.read(path: fixtures + "/cifar10dvs-fixture.aedat", layout: .cifar10DVS)
    let theirs = try EventCSV.read(path: fixtures + "/cifar10dvs-fixture.csv", width: 128, height: 128)
    #expect(ours.events.count == 300)
    #expect(ours == theirs)
}

@Test func aedatDVS128LayoutAndBadFiles() throws {
    let header: [UInt8] = Array("#!AER-DAT2.0\r\n# comment\r\n".utf8)
    let version3: [UInt8] = Array("#!AER-DAT3.1\n".utf8)
    let event: [UInt8] = [0, 0, 0x05, 0x13, 0, 0, 0, 100]      // address 5 << 8 | 9 << 1 | 1, time 100 µs
    let decoded = try AEDAT.decode(header + event, file: "d.aedat", layout: .dvs128)
    #expect(decoded.events == [Event(t: 100, x: 5, y: 9, on: true)])
    let cases: [([UInt8], String)] = [
        (event, "d.aedat: byte 0: not AEDAT 2.0: no '#!AER-DAT2.0' header line"),
        (version3 + event, "d.aedat: byte 0: not AEDAT 2.0: the first line is '#!AER-DAT3.1', expected '#!AER-DAT2.0'"),
        (header + event + [1, 2, 3], "d.aedat: byte 33: truncated: 3 bytes of an 8-byte event"),
        (header, "d.aedat: no events: the recording is empty"),
    ]
    for (bytes, message) in cases {
        do {
            _ = try AEDAT.decode(bytes, file: "d.aedat", layout: .dvs128)
            Issue.record("no error for \(bytes.count) bytes")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
