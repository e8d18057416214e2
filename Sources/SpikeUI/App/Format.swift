// Number formats of the panes and the status line.

import SpikeTerm
import SpikeTrain

/// `v` as a percentage with one decimal ("95.8%"); "-" when not finite.
func percent(_ v: Double) -> String { v.isFinite ? fixed(100 * v, 1) + "%" : "-" }

/// `v` with `digits` decimals ("0.4321"); "-" when not finite.
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    let whole = Int(r / scale), frac = Int(r.truncatingRemainder(dividingBy: scale))
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (v < 0 && r > 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
}


extension AccuracyByT {
    /// "T1 95.8 T2 96.1 T4 96.1 T8 96.4 %": every T in about 33 columns (fits the outputs pane at 120x40).
    public var compactText: String {
        zip(timesteps, accuracy).map { "T\($0) \(fixed(100 * Double($1), 1))" }.joined(separator: " ") + " %"
    }

    /// "T=1 95.8% T=2 96.1% ..." (one decimal).
    public var text: String {
        zip(timesteps, accuracy).map { "T=\($0) \(percent(Double($1)))" }.joined(separator: " ")
    }
}

/// `formatValue`, except that positive values below 0.005 (which it rounds to "0") read "<0.01".
func formatSmall(_ v: Float) -> String {
    v > 0 && v < 0.005 ? "<0.01" : formatValue(v)
}

/// An integer with thousands separators ("12,345").
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

extension String {
    /// The text with the non-ASCII punctuation used in titles replaced ("·" → "-", "θ" → "th").
    var replacingDots: String {
        var out = ""
        for ch in self {
            switch ch {
            case "·": out.append("-")
            case "θ": out.append("th")
            default: out.append(ch)
            }
        }
        return out
    }

    /// `replacingDots` when `ascii` is true.
    func asciiIf(_ ascii: Bool) -> String { ascii ? replacingDots : self }
}

/// "1 neuron", "1,024 neurons": a count with thousands separators and the noun agreeing.
func counted(_ n: Int, _ noun: String) -> String { "\(grouped(n)) \(noun)" + (n == 1 ? "" : "s") }
