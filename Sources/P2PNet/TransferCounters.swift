import Synchronization

/// Live transfer figures for STATUS= and `p2pctl stats`, updated from the event loops.
public final class TransferCounters: Sendable {
    public let bytesUploaded = Atomic<Int64>(0)
    public let bytesDownloaded = Atomic<Int64>(0)
    public let uploadsInFlight = Atomic<Int>(0)
    public let downloadsInFlight = Atomic<Int>(0)
    public let downloadsCompleted = Atomic<Int64>(0)
    public let downloadsFailed = Atomic<Int64>(0)

    public init() {}
}
