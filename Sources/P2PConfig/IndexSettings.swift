import P2PCluster

/// The index daemon's settings: section `[Index]` of `index.conf`.
///
/// Defaults follow the seed system where it had one (port 7000, replication factor 2) and are
/// otherwise sized for thousands of peers on one small machine.
public struct IndexSettings: Sendable, Equatable {
    /// `ListenAddress=`, default `0.0.0.0`: all IPv4 interfaces, so peers on other machines can
    /// register; set `127.0.0.1` to keep the index private to this host, `::` for IPv6.
    public var listenAddress: String
    /// `Port=`, default `7000`: the seed's index port, which existing peers and scripts expect.
    /// A socket passed by systemd wins over this.
    public var port: Int
    /// `HeartbeatTTLSec=`, default `30`: a heartbeating peer silent this long disappears from
    /// search (a peer announcing a longer heartbeat interval gets three of its intervals); three
    /// heartbeat intervals at the peers' default 10 s.
    public var heartbeatTTLSeconds: Int
    /// `SeedPeerLifetimeSec=`, default `3600`: peers that never heartbeat (seed-format peers) cannot
    /// be expired by the TTL, so they stay listed this long after each registration.
    public var seedPeerLifetimeSeconds: Int
    /// `ReplicationFactor=`, default `2`: how many peers should hold each file, as in the seed.
    public var replicationFactor: Int
    /// `MaxFrameBytes=`, default `65536` (64K): the cap on one request line other than a registry,
    /// so a bad client costs little memory. At least 4K, the size of the seed-compatible padded
    /// reply header.
    public var maxFrameBytes: Int
    /// `MaxRegistryFrameBytes=`, default `16777216` (16M): the separate, larger cap on a
    /// `REGISTRY_REQUEST` line, since a seed peer sends its whole catalog in one line (≈ 40 KB for
    /// 1,101 files).
    public var maxRegistryFrameBytes: Int
    /// `ReadTimeoutSec=`, default `30`: how long a connection may sit idle or mid-line before it is
    /// closed, so stalled clients do not hold connections forever.
    public var readTimeoutSeconds: Int
    /// `MaxConnections=`, default `4096`: concurrent client connections accepted; one more is
    /// refused at once with `too_many_connections`. Keep `LimitNOFILE=` in the unit above this.
    public var maxConnections: Int
    /// `MaxConnectionsPerClient=`, default `1024`: concurrent connections from one source address;
    /// one more is refused at once with `too_many_connections_from_address`, so one host (a
    /// runaway script, a flood) cannot take every slot of `MaxConnections` from the others.
    public var maxConnectionsPerClient: Int
    /// `MaxSearchResults=`, default `100`: the most results one search returns, bounding reply size.
    public var maxSearchResults: Int
    /// `TrustAdvertisedAddresses=`, default `no`: a peer may register only where it connects
    /// from. A host name it advertises is replaced by the connection's source address, and a
    /// literal IP that differs from it is refused, so no one can list files at someone else's
    /// address. Set `yes` when peers reach the index through a proxy or NAT.
    public var trustAdvertisedAddresses: Bool
    /// `StateDirectory=`, default `/var/lib/p2p/index`: the index's own folder (systemd's
    /// StateDirectory); the index is soft state, so this is for optional caches only.
    public var stateDirectory: String
    /// `ClusterKeyFile=`, default none: a file holding the cluster key. With one, every connection
    /// must prove the key (HMAC challenge-response) before its first request; see p2p.conf(5).
    /// Read at start; a change needs a restart.
    public var clusterKey: ClusterKey?

    /// Creates settings; every argument defaults to the built-in default.
    public init(
        listenAddress: String = "0.0.0.0",
        port: Int = 7000,
        heartbeatTTLSeconds: Int = 30,
        seedPeerLifetimeSeconds: Int = 3600,
        replicationFactor: Int = 2,
        maxFrameBytes: Int = 65_536,
        maxRegistryFrameBytes: Int = 16_777_216,
        readTimeoutSeconds: Int = 30,
        maxConnections: Int = 4096,
        maxConnectionsPerClient: Int = 1024,
        maxSearchResults: Int = 100,
        trustAdvertisedAddresses: Bool = false,
        stateDirectory: String = "/var/lib/p2p/index",
        clusterKey: ClusterKey? = nil
    ) {
        self.listenAddress = listenAddress
        self.port = port
        self.heartbeatTTLSeconds = heartbeatTTLSeconds
        self.seedPeerLifetimeSeconds = seedPeerLifetimeSeconds
        self.replicationFactor = replicationFactor
        self.maxFrameBytes = maxFrameBytes
        self.maxRegistryFrameBytes = maxRegistryFrameBytes
        self.readTimeoutSeconds = readTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxSearchResults = maxSearchResults
        self.trustAdvertisedAddresses = trustAdvertisedAddresses
        self.stateDirectory = stateDirectory
        self.clusterKey = clusterKey
    }
}
