// Fuzz target: event recordings (N-MNIST .bin, AEDAT 2.0 in both layouts, and CSV) through the decoders the readers use;
// every input that decodes must also encode and decode back to the same recording.
import Foundation
import SpikeFuzzDriver
import SpikeData

public func fuzzEvents(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    if let r = try? NMNIST.decode(bytes, file: "fuzz.bin"), let again = try? NMNIST.encode(r) {
        precondition((try? NMNIST.decode(again, file: "again.bin")) == r, "N-MNIST round trip differs")
    }
    for layout in AEDAT.Layout.allCases { _ = try? AEDAT.decode(bytes, file: "fuzz.aedat", layout: layout) }
    if let text = String(bytes: bytes, encoding: .utf8), let r = try? EventCSV.decode(text, file: "fuzz.csv") {
        precondition((try? EventCSV.decode(EventCSV.encode(r), file: "again.csv", width: r.width, height: r.height)) == r,
                     "CSV round trip differs")
    }
    return 0
}

fuzz { fuzzEvents($0, $1) }
