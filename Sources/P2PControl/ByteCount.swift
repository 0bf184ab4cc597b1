/// Sizes and rates for people: binary units with one decimal ("1.5 MiB", "512 B").
public enum ByteCount {
    private static let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    public static func human(_ bytes: Int64) -> String {
        guard bytes >= 1024 || bytes <= -1024 else { return "\(bytes) B" }
        var unit = 0
        var scale = 1024.0
        while unit + 1 < units.count, Double(bytes.magnitude) >= scale * 1024 {
            scale *= 1024
            unit += 1
        }
        let tenths = Int64((Double(bytes) / scale * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10)) \(units[unit])"
    }

    public static func rate(_ bytesPerSecond: Int64) -> String { human(bytesPerSecond) + "/s" }

    /// Whole percent of `part` in `total`, 0–100; 100 for an empty total.
    public static func percent(_ part: Int64, of total: Int64) -> Int {
        guard total > 0 else { return 100 }
        return Int(min(100, max(0, Double(part) / Double(total) * 100)))
    }
}
