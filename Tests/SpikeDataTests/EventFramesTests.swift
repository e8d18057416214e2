import Foundation
import SpikeCore
import SpikeData
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"

/// Six events on a 4x2 sensor over 0...99 µs.
private let six = EventRecording(width: 4, height: 2, events: [
    Event(t: 0, x: 0, y: 0, on: true), Event(t: 10, x: 1, y: 0, on: false), Event(t: 49, x: 3, y: 1, on: true),
    Event(t: 50, x: 3, y: 1, on: true), Event(t: 70, x: 2, y: 1, on: false), Event(t: 99, x: 0, y: 1, on: true),
])

@Test func binningByTimeCountsEachEventOnceInItsWindowAndChannel() {
    let frames = Binning().bin(six, timesteps: 2)       // windows [0, 50) and [50, 100): 3 events each
    #expect(frames.count == 2 * 2 * 2 * 4)
    func at(_ k: Int, _ c: Int, _ x: Int, _ y: Int) -> Float { frames[k * 16 + c * 8 + y * 4 + x] }
    #expect(at(0, 0, 0, 0) == 1 && at(0, 1, 1, 0) == 1 && at(0, 0, 3, 1) == 1)
    #expect(at(1, 0, 3, 1) == 1 && at(1, 1, 2, 1) == 1 && at(1, 0, 0, 1) == 1)
    #expect(frames.reduce(0, +) == 6)
    #expect(Binning().windows(six.events, timesteps: 2).map { [$0.start, $0.end] } == [[0, 50], [50, 100]])
    // one channel for both polarities
    let merged = Binning(polarity: .merge).bin(six, timesteps: 1)
    #expect(merged == [1, 1, 0, 0, 1, 0, 1, 2])
}

@Test func binningByCountSplitsTheEventListEvenly() {
    let b = Binning(split: .count)
    let frames = b.bin(six, timesteps: 4)               // runs of i·4/6: [0, 1], [2], [3, 4], [5]
    let perFrame = (0..<4).map { k in frames[(k * 16)..<((k + 1) * 16)].reduce(0, +) }
    #expect(perFrame == [2, 1, 2, 1])
    #expect(b.windows(six.events, timesteps: 4).map(\.start) == [0, 49, 50, 99])
}

@Test func everyTBinsTheSameEventsAndDownsamplingSumsBlocks() {
    var rng = Rng(seed: 9)
    var t: Int64 = 0
    let r = EventRecording(width: 34, height: 34, events: (0..<3000).map { _ in
        t += Int64(rng.nextInt(below: 100))
        return Event(t: t, x: rng.nextInt(below: 34), y: rng.nextInt(below: 34), on: rng.nextInt(below: 2) == 0)
    })
    let full = Binning().bin(r, timesteps: 1)
    for split in Binning.Split.allCases {
        for T in [1, 2, 4, 8] {
            let frames = Binning(split: split).bin(r, timesteps: T)
            var sum = [Float](repeating: 0, count: full.count)
            for k in 0..<T { for i in 0..<full.count { sum[i] += frames[k * full.count + i] } }
            #expect(sum == full, "split \(split), T = \(T)")
        }
    }
    let d = Binning(downsample: 4)
    #expect(d.frameShape(width: 34, height: 34) == [2, 9, 9])
    let small = d.bin(r, timesteps: 1)
    #expect(small.reduce(0, +) == 3000)
    // block (0, 0) of the ON channel is the sum of pixels x, y < 4
    var block: Float = 0
    for y in 0..<4 { for x in 0..<4 { block += full[y * 34 + x] } }
    #expect(small[0] == block)
}

@Test func refractoryAndDenoiseFiltersKeepWhatTheyDocument() {
    let r = EventRecording(width: 5, height: 5, events: [
        Event(t: 0, x: 2, y: 2, on: true), Event(t: 5, x: 2, y: 2, on: true), Event(t: 12, x: 2, y: 2, on: false),
        Event(t: 13, x: 3, y: 2, on: true), Event(t: 100, x: 0, y: 4, on: true),
    ])
    // refractory 10 µs: the second event (5 µs after the first kept one) goes
    #expect(Binning(refractoryUs: 10).filtered(r).map(\.t) == [0, 12, 13, 100])
    // denoise 10 µs: kept only with a neighbour's event at most 10 µs before; (3,2) at 13 has (2,2) at 12
    #expect(Binning(denoiseUs: 10).filtered(r).map(\.t) == [13])
    #expect(Binning(refractoryUs: 10, denoiseUs: 10).bin(r, timesteps: 1).reduce(0, +) == 1)
}

@Test func saccadeCameraFollowsTheTriangleAndIsSeeded() {
    let camera = SaccadeCamera()
    #expect(camera.problem() == nil)
    #expect([0, 8, 16, 24, 4].map { camera.offset(at: $0) }.map { [$0.dx, $0.dy] } == [[0, 0], [2, 2], [-2, 2], [0, 0], [1, 1]])
    // a bright square on black: edges fire ON and OFF events, the flat inside and the far border do not
    var image = [Float](repeating: 0, count: 16 * 16)
    for y in 6..<10 { for x in 6..<10 { image[y * 16 + x] = 1 } }
    let r = image.withUnsafeBufferPointer { camera.record($0.baseAddress!, shape: [1, 16, 16], index: 0) }
    #expect(r.width == 16 && r.height == 16 && r.events.count > 100)
    #expect(r.events.contains { $0.on } && r.events.contains { !$0.on })
    #expect(!r.events.contains { $0.x < 3 || $0.y < 3 || $0.x > 12 || $0.y > 12 })
    #expect(zip(r.events, r.events.dropFirst()).allSatisfy { $0.t <= $1.t })
    #expect(r.events.allSatisfy { $0.t >= 0 && $0.t <= camera.durationUs })
    let again = image.withUnsafeBufferPointer { camera.record($0.baseAddress!, shape: [1, 16, 16], index: 0) }
    #expect(again == r)
    let other = image.withUnsafeBufferPointer { camera.record($0.baseAddress!, shape: [1, 16, 16], index: 1) }
    #expect(other != r)
    var still = camera
    still.amplitude = 0
    #expect(image.withUnsafeBufferPointer { still.record($0.baseAddress!, shape: [1, 16, 16], index: 0) }.events.isEmpty)
    var bad = camera
    bad.microSteps = 25
    #expect(bad.problem()?.contains("micro_steps must be a multiple of 3") == true)
}

/// Files our writer made from camera recordings (timestamps beyond 2^23 µs, so overflow markers),
/// decoded by tonic's N-MNIST reader (`Fixtures/make_nmnist_fixture.py`): we decode the same
/// events, and recording the same digits again writes the same bytes.
@Test func nmnistFilesWeWriteAreReadIdenticallyByTonic() throws {
    let folder = fixtures + "/nmnist-digits"
    let lines = try String(contentsOfFile: fixtures + "/nmnist-digits.csv", encoding: .utf8).split(separator: "\n").dropFirst()
    var tonic: [String: [Event]] = [:]
    for line in lines {
        let f = line.split(separator: ",")
        tonic[String(f[0]), default: []].append(Event(t: Int64(f[1])!, x: Int(f[2])!, y: Int(f[3])!, on: f[4] == "1"))
    }
    #expect(tonic.keys.sorted() == ["Test/2/00000.bin", "Test/3/00001.bin"])
    let samples = try EventFolder.load(folder, split: .test)
    #expect(samples.width == 8 && samples.height == 8 && samples.labels == [2, 3])
    #expect(samples.recording(0).events == tonic["Test/2/00000.bin"])
    #expect(samples.recording(1).events == tonic["Test/3/00001.bin"])
    #expect(samples.recording(1).events.last!.t > 1 << 23)
    var camera = SaccadeCamera()
    camera.durationUs = 20_000_000
    camera.seed = 3
    let digits = EventSamples(camera: camera, images: try DataLoader.load(.digits, split: .test).prefix(2))
    for (i, name) in ["Test/2/00000.bin", "Test/3/00001.bin"].enumerated() {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        #expect(try NMNIST.encode(digits.recording(i)) == bytes)
    }
}

@Test func eventFoldersRoundTripAndBadFoldersAreNamed() throws {
    let dir = try makeTempFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let images = Dataset(name: "squares", split: .train, sampleShape: [1, 6, 6],
                         images: (0..<3).flatMap { k in (0..<36).map { Float(($0 + k) % 5) / 4 } }, labels: [0, 1, 1], classes: 2)
    let samples = EventSamples(camera: SaccadeCamera(), images: images)
    let written = try EventFolder.write(samples, to: dir)
    #expect(EventFolder.isEventFolder(dir))
    let back = try EventFolder.load(dir, split: .train)
    #expect(back.width == 6 && back.height == 6 && back.labels == [0, 1, 1] && back.classes == 2)
    #expect((0..<3).allSatisfy { back.recording($0) == samples.recording($0) })
    #expect(written == (0..<3).reduce(0) { $0 + samples.recording($1).events.count })
    // both hold the same frames, made on demand or kept as bytes
    let made = samples.frames(Binning(), timesteps: 4), kept = back.frames(Binning(), timesteps: 4).materialized()
    #expect(made.sampleShape == [8, 6, 6] && made.isGenerated && !kept.isGenerated)
    #expect(made.images == kept.images)
    // a missing split, a bad sensor file
    #expect(throws: DataError.fileMissing(file: dir + "/Test/", package: nil)) { try EventFolder.load(dir, split: .test) }
    try Data("34 x\n".utf8).write(to: URL(fileURLWithPath: dir + "/sensor"))
    #expect { try EventFolder.load(dir, split: .train) } throws: { ($0 as? DataError)?.description.contains("/sensor: expected the sensor's width and height") == true }
    // recordings that do not fit the sensor the folder declares: the file and the byte are named
    try Data("2 2\n".utf8).write(to: URL(fileURLWithPath: dir + "/sensor"))
    #expect { try EventFolder.load(dir, split: .train) } throws: {
        let m = ($0 as? DataError)?.description ?? ""
        return m.contains("/Train/0/00000.bin: byte ") && m.contains("outside the 2x2 sensor")
    }
}

@Test func binningSurvivesTheLargestTimes() {
    let r = EventRecording(width: 2, height: 1, events: [Event(t: 0, x: 0, y: 0, on: true), Event(t: .max, x: 1, y: 0, on: false)])
    for split in Binning.Split.allCases {
        let b = Binning(split: split)
        #expect(b.bin(r, timesteps: 8).reduce(0, +) == 2)
        #expect(b.windows(r.events, timesteps: 8).last!.end == .max)
    }
}

@Test func resizingIsBilinearWithAlignedPixelCentres() {
    let d = Dataset(name: "t", split: .test, sampleShape: [1, 2, 2], images: [0, 1, 1, 0], labels: [0], classes: 1)
    let same = d.resized(height: 2, width: 2)
    #expect(same.images == d.images)
    let big = d.resized(height: 4, width: 4)
    #expect(big.sampleShape == [1, 4, 4])
    // row 0 samples source row 0 (clamped), columns at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    #expect(Array(big.images[0..<4]) == [0, 0.25, 0.75, 1])
    // row 1 at source y = 0.25: a quarter of the way to row 1
    #expect(abs(big.images[5] - (0.75 * 0.25 + 0.25 * (0.75 * 1 + 0.25 * 0))) < 1e-6)
}
