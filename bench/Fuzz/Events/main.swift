// Fuzz target: event recordings (N-MNIST .bin, AEDAT 2.0 in both layouts, and CSV) through the decoders the readers use;
// every input that decodes must also encode and decode back to the same recording, and bin (every binning the
// first byte picks) into frames that hold each kept event exactly once.
import Foundation
import SpikeFuzzDriver
import SpikeData

public func fuzzEvents(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    if let r = try? NMNIST.decode(bytes, file: "fuzz.bin"), let again = try? NMNIST.encode(r) {
        precondition((try? NMNIST.decode(again, file: "again.bin")) == r, "N-MNIST round trip differs")
    }
    for layout in AEDAT.Layout.allCases {
        if let r = try? AEDAT.decode(bytes, file: "fuzz.aedat", layout: layout) { checkBinning(r, bytes.first ?? 0) }
    }
    if let r = try? NMNIST.decode(bytes, file: "fuzz.bin") { checkBinning(r, bytes.last ?? 0) }
    if let text = String(bytes: bytes, encoding: .utf8), let r = try? EventCSV.decode(text, file: "fuzz.csv") {
        precondition((try? EventCSV.decode(EventCSV.encode(r), file: "again.csv", width: r.width, height: r.height)) == r,
                     "CSV round trip differs")
        checkBinning(r, bytes.first ?? 0)
    }
    return 0
}

/// Bins `r` as `pick` chooses (split, polarity, downsample 1-4, filters, T 1-8): the frames hold every kept event once.
func checkBinning(_ r: EventRecording, _ pick: UInt8) {
    let b = Binning(split: pick & 1 == 0 ? .time : .count, polarity: pick & 2 == 0 ? .split : .merge,
                    downsample: Int(pick >> 2 & 3) + 1, refractoryUs: pick & 16 == 0 ? 0 : 50, denoiseUs: pick & 32 == 0 ? 0 : 500)
    let T = Int(pick >> 5) + 1
    let frames = b.bin(r, timesteps: T)
    precondition(frames.count == T * b.frameShape(width: r.width, height: r.height).reduce(1, *), "frame size")
    precondition(Int(frames.reduce(0, +)) == b.filtered(r).count, "binned events differ from the kept ones")
    precondition(b.windows(b.filtered(r), timesteps: T).count == T, "windows")
}

fuzz { fuzzEvents($0, $1) }
