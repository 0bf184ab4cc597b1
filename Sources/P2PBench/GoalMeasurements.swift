import P2PProtocol

/// Everything the goals are judged on, gathered by one `p2p-bench run --goals [--anchors]`.
/// Each field is `nil` (or skipped) when its step did not run; the verdicts say so.
public struct GoalMeasurements: Sendable {
    /// The big-file download, peer to peer, verified, into a fresh file without fsync.
    public var bigDownload: RepeatedTransfer?
    /// The same once with `Transfer.Fsync=yes`.
    public var bigDownloadFsync: RepeatedTransfer?
    /// The KiB workload at concurrency 4, once per repetition.
    public var smallFiles: [StrongScaling.Point] = []
    public var smallFilesConcurrency = 4
    /// The same files written by the bench alone beside the daemon's folder, before each run.
    public var fileCreationCeiling: [FileCreationCeiling.Outcome] = []
    /// Registering `registerFiles` files, once per repetition (each fresh: unregistered after).
    public var register: [RegistryLoad.Outcome] = []
    /// The big registration the search and memory goals are measured with.
    public var bigIndex: RegistryLoad.Outcome?
    /// Persistent searches with `searchClients` clients against the big index, once per repetition.
    public var search: [WeakScaling.Point] = []
    public var searchClients = 16
    public var indexStartup: DaemonStartup.Outcome?
    public var peerStartup: DaemonStartup.Outcome?

    public var rsync: AnchorResult<RepeatedTransfer>?
    public var nginx: AnchorResult<RepeatedTransfer>?
    public var iperf: AnchorResult<Double>?
    /// `redis-benchmark -t get -c searchClients`, once per repetition.
    public var redis: AnchorResult<[RedisAnchor.Point]>?

    public init() {}

    /// Every anchor that was skipped, for the report.
    public var skippedAnchors: [AnchorSkip] {
        [rsync?.skip, nginx?.skip, iperf?.skip, redis?.skip].compactMap { $0 }
    }
}
