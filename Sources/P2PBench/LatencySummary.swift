import P2PProtocol

/// Mean, median, 99th percentile and maximum of a set of durations.
///
/// Percentiles use the nearest-rank method: the p-th percentile of n sorted samples is the
/// sample at rank ⌈p/100 × n⌉ (1-based), so it is always a value that was actually measured
/// (p50 of [1, 2, 3, 4] is 2; p99 of 100 samples is the 99th smallest, of 10 samples the largest).
public struct LatencySummary: Sendable, Equatable {
    public let count: Int
    /// All in nanoseconds.
    public let mean: Double
    public let p50: UInt64
    public let p99: UInt64
    public let max: UInt64
    public let min: UInt64

    /// - Parameter samples: durations in nanoseconds, in any order; may be empty (all zero).
    public init(nanoseconds samples: [UInt64]) {
        count = samples.count
        guard !samples.isEmpty else {
            (mean, p50, p99, max, min) = (0, 0, 0, 0, 0)
            return
        }
        let sorted = samples.sorted()
        mean = sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count)
        p50 = Self.percentile(50, ofSorted: sorted)
        p99 = Self.percentile(99, ofSorted: sorted)
        max = sorted[sorted.count - 1]
        min = sorted[0]
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 100) of ascending, non-empty `sorted`.
    public static func percentile(_ p: Double, ofSorted sorted: [UInt64]) -> UInt64 {
        precondition(!sorted.isEmpty && p > 0 && p <= 100)
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(1, Swift.min(rank, sorted.count)) - 1]
    }

    /// `{"count", "mean", "p50", "p99", "max", "min"}` in milliseconds (µs precision).
    public var millisecondsJSON: JSONValue {
        .object([
            ("count", .int(Int64(count))),
            ("mean", JSONValue.rounded(mean / 1e6, digits: 3)),
            ("p50", JSONValue.rounded(Double(p50) / 1e6, digits: 3)),
            ("p99", JSONValue.rounded(Double(p99) / 1e6, digits: 3)),
            ("max", JSONValue.rounded(Double(max) / 1e6, digits: 3)),
            ("min", JSONValue.rounded(Double(min) / 1e6, digits: 3)),
        ])
    }
}
