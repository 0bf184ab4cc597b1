/// The index's tunables. Defaults follow the spec and the seed.
public struct IndexConfiguration: Sendable, Equatable {
    /// A heartbeating peer silent this long disappears from search. Default 30 s: three missed
    /// heartbeats at the peers' default 10 s interval.
    public var heartbeatTTLMilliseconds: Int64 = 30_000
    /// Seed peers never heartbeat, so they stay listed this long after each registration.
    /// Default one hour.
    public var seedPeerLifetimeMilliseconds: Int64 = 3_600_000
    /// Copies of each file the index asks peers to keep. Default 2, as in the seed.
    public var replicationFactor: Int = 2
    /// Replication tasks handed out per registration; the seed's limit is 5.
    public var maxReplicationTasks: Int = 5
    /// Results per search when the client asks for none or more. Default 100.
    public var maxSearchResults: Int = 100

    /// Whether a registration may name any address (peers behind a proxy or NAT) instead of the
    /// one it connects from. Default no.
    public var trustAdvertisedAddresses = false

    public init() {}
}
