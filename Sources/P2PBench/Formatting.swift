/// Numbers for the human-readable tables (the JSON files carry the full precision).
public enum Formatting {
    /// `value` with exactly `digits` decimals, e.g. fixed(3.14159, 2) = "3.14".
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        var text = String(whole)
        if digits > 0 {
            let fraction = String(Int64(scaled - Double(whole) * scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (value < 0 && scaled != 0 ? "-" : "") + text
    }

    /// Bytes as B, KiB, MiB or GiB with one decimal above bytes.
    public static func bytes(_ count: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard count >= 1024 else { return "\(count) B" }
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return fixed(value, 1) + " " + units[unit]
    }

    /// `text` padded with spaces on the left to `width`.
    public static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
