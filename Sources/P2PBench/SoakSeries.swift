/// One daemon's samples over a soak, and the comparison the soak is judged by: the first
/// measured window against the last. A leak per request or per connection shows as a later
/// window above an earlier one under the same load; noise and the allocator's steady churn stay
/// within the tolerance.
public struct SoakSeries: Sendable {
    public let name: String
    public let pid: Int32
    public var samples: [SoakSample] = []

    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    /// Means of the samples taken in `[from, to)` seconds; `nil` when there are none.
    public func means(from: Double, to: Double) -> (residentKiB: Double, openFiles: Double)? {
        let chosen = samples.filter { $0.second >= from && $0.second < to }
        guard !chosen.isEmpty else { return nil }
        let count = Double(chosen.count)
        return (
            chosen.reduce(0.0) { $0 + Double($1.residentKiB) } / count,
            chosen.reduce(0.0) { $0 + Double($1.openFiles) } / count
        )
    }
}
