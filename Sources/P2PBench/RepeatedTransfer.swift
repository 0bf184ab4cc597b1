import P2PProtocol

/// One file moved `n` times: the wall time of each run, and the median rate.
public struct RepeatedTransfer: Sendable, Equatable {
    public var name: String
    public var bytes: Int64
    public var wallNanoseconds: [UInt64]

    public init(name: String, bytes: Int64, wallNanoseconds: [UInt64]) {
        self.name = name
        self.bytes = bytes
        self.wallNanoseconds = wallNanoseconds
    }

    /// MB/s (10^6 bytes) of each run.
    public var rates: [Double] {
        wallNanoseconds.map { Throughput.megabytesPerSecond(bytes: bytes, wallNanoseconds: $0) }
    }

    /// The median of `rates`; 0 without runs.
    public var medianMegabytesPerSecond: Double { Median.of(rates) ?? 0 }

    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("bytes", .int(bytes)),
            ("runs_megabytes_per_second", .array(rates.map { .rounded($0, digits: 1) })),
            ("median_megabytes_per_second", .rounded(medianMegabytesPerSecond, digits: 1)),
        ])
    }
}
