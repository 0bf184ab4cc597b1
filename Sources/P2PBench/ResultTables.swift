/// One-line-per-point tables for the terminal.
public enum ResultTables {
    public static let weakHeader =
        "mode         clients  searches  failed  searches/s   mean ms    p50 ms    p99 ms    max ms  cores busy"

    public static func row(_ point: WeakScaling.Point) -> String {
        let latency = point.latency
        return [
            point.mode.rawValue.padding(11), Formatting.right("\(point.clients)", 8),
            Formatting.right("\(point.succeeded)", 9), Formatting.right("\(point.failed)", 7),
            Formatting.right(Formatting.fixed(point.searchesPerSecond, 1), 11),
            Formatting.right(Formatting.fixed(latency.mean / 1e6, 3), 9),
            Formatting.right(Formatting.fixed(Double(latency.p50) / 1e6, 3), 9),
            Formatting.right(Formatting.fixed(Double(latency.p99) / 1e6, 3), 9),
            Formatting.right(Formatting.fixed(Double(latency.max) / 1e6, 3), 9),
            " " + (point.cpu?.coresText(wallNanoseconds: point.wallNanoseconds) ?? ""),
        ].joined(separator: " ")
    }

    public static let strongHeader =
        "workload  conc  files      bytes   wall s      MB/s   files/s  failed short corrupt   p50 ms   max ms  cores busy"

    public static func row(_ point: StrongScaling.Point) -> String {
        [
            point.workload.padding(8), Formatting.right("\(point.concurrency)", 5),
            Formatting.right("\(point.files)", 6), Formatting.right(Formatting.bytes(point.bytes), 10),
            Formatting.right(Formatting.fixed(Double(point.wallNanoseconds) / 1e9, 3), 8),
            Formatting.right(Formatting.fixed(point.megabytesPerSecond, 1), 9),
            Formatting.right(Formatting.fixed(point.filesPerSecond, 1), 9),
            Formatting.right("\(point.failed)", 7), Formatting.right("\(point.short)", 5),
            Formatting.right("\(point.corrupt)", 7),
            Formatting.right(Formatting.fixed(Double(point.latency.p50) / 1e6, 1), 8),
            Formatting.right(Formatting.fixed(Double(point.latency.max) / 1e6, 1), 8),
            " " + (point.cpu?.coresText(wallNanoseconds: point.wallNanoseconds) ?? ""),
        ].joined(separator: " ")
    }

    public static func summary(_ outcome: RegistryLoad.Outcome) -> String {
        var text =
            "registered \(outcome.files) files in \(outcome.batches) batch(es) of ≤ \(outcome.batchSize): "
            + "\(Formatting.fixed(Double(outcome.wallNanoseconds) / 1e9, 3)) s, "
            + "\(Formatting.fixed(outcome.filesPerSecond, 0)) files/s; index now \(outcome.stats.peers) peers, "
            + "\(outcome.stats.files) files"
        if let perFile = outcome.residentBytesPerFile, let after = outcome.residentKiBAfter {
            text += "; RSS \(Formatting.bytes(after * 1024)), \(Formatting.fixed(perFile, 0)) B per file"
        }
        return text
    }
}

extension String {
    /// Padded with spaces on the right to `width`.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
