import P2PCluster

/// One peer daemon's settings: `peer.conf` (defaults for every peer), then `peers/<id>.conf`.
public struct PeerSettings: Sendable, Equatable {
    /// The peer id (`p2p-peer@<id>`); valid per ``PeerID``.
    public var id: String
    /// `[Peer] ListenAddress=`, default `0.0.0.0`: where the peer serves files to other peers; all
    /// interfaces by default so peers on other machines can download.
    public var listenAddress: String
    /// `[Peer] Port=`, default `BasePort + N − 1` for an id ending in the number N (peer1 → 7100,
    /// peer2 → 7101), the seed's numbering. An id without a trailing number needs it set.
    public var port: Int
    /// `[Peer] BasePort=`, default `7100`: the seed's first peer port, the base of the derived
    /// ``port``.
    public var basePort: Int
    /// `[Peer] AdvertiseHost=`, default `127.0.0.1`: the host this peer registers with the index,
    /// i.e. what other peers connect to. Separate from ``listenAddress`` because `0.0.0.0` is not
    /// an address anyone can connect to; set it to this machine's name or address when peers run
    /// on more than one machine.
    public var advertiseHost: String
    /// `[Peer] StateDirectory=`, default `/var/lib/p2p/<id>` (`%i` = id): holds `shared/`,
    /// `downloaded/`, `replicated/` and the daemon's caches. `--state-dir` overrides it.
    public var stateDirectory: String
    /// `[Peer] ControlSocket=`, default `/run/p2p/<id>.sock` (`%i` = id), or
    /// `<state dir>/control.sock` when `--state-dir` is given, so a non-root scratch run keeps its
    /// sockets in its own folder. Where p2pctl talks to the daemon.
    public var controlSocket: String
    /// `[Peer] ControlGroup=`, default `p2p`: members of this group (and root) may use p2pctl;
    /// the socket gets this group and the daemon checks callers against it.
    public var controlGroup: String
    /// `[Peer] ControlSocketMode=`, default `0660` (octal): owner and group may connect, others not.
    public var controlSocketMode: UInt32
    /// `[Peer] HeartbeatIntervalSec=`, default `10`: how often the peer tells the index it is
    /// alive; a third of the index's default 30 s TTL, so one lost heartbeat is harmless.
    public var heartbeatIntervalSeconds: Int
    /// `[Peer] RescanIntervalSec=`, default `60`: the periodic full rescan of the shared folder, a
    /// safety net behind inotify (missed events, overflowed queues, network file systems).
    public var rescanIntervalSeconds: Int
    /// `[Index]`: where the index is.
    public var index: IndexEndpoint
    /// `[Transfer]`: rate limit, chunking, fsync, timeouts, upload slots, frame cap.
    public var transfer: TransferSettings
    /// `[Replication]`: whether this peer replicates.
    public var replication: ReplicationSettings
    /// `[Peer] ClusterKeyFile=`, default none: a file holding the cluster key. With one, this peer
    /// proves the key to the index and to peers it downloads from, and asks the same of anyone
    /// who downloads from it; see p2p.conf(5). Read at start; a change needs a restart.
    public var clusterKey: ClusterKey?

    /// Creates settings. `stateDirectory` and `controlSocket` default to `/var/lib/p2p/<id>` and
    /// `/run/p2p/<id>.sock`; the rest default to the built-in defaults. No validation: this is for
    /// code and tests that build settings directly (e.g. with port 0).
    public init(
        id: String,
        port: Int,
        listenAddress: String = "0.0.0.0",
        basePort: Int = 7100,
        advertiseHost: String = "127.0.0.1",
        stateDirectory: String? = nil,
        controlSocket: String? = nil,
        controlGroup: String = "p2p",
        controlSocketMode: UInt32 = 0o660,
        heartbeatIntervalSeconds: Int = 10,
        rescanIntervalSeconds: Int = 60,
        index: IndexEndpoint = IndexEndpoint(),
        transfer: TransferSettings = TransferSettings(),
        replication: ReplicationSettings = ReplicationSettings(),
        clusterKey: ClusterKey? = nil
    ) {
        self.id = id
        self.listenAddress = listenAddress
        self.port = port
        self.basePort = basePort
        self.advertiseHost = advertiseHost
        self.stateDirectory = stateDirectory ?? "/var/lib/p2p/\(id)"
        self.controlSocket = controlSocket ?? "/run/p2p/\(id).sock"
        self.controlGroup = controlGroup
        self.controlSocketMode = controlSocketMode
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.rescanIntervalSeconds = rescanIntervalSeconds
        self.index = index
        self.transfer = transfer
        self.replication = replication
        self.clusterKey = clusterKey
    }

    /// `<state>/shared`: files this peer offers.
    public var sharedDirectory: String { stateDirectory + "/shared" }
    /// `<state>/downloaded`: finished, verified downloads.
    public var downloadedDirectory: String { stateDirectory + "/downloaded" }
    /// `<state>/replicated`: copies made for replication, served like shared files.
    public var replicatedDirectory: String { stateDirectory + "/replicated" }
}
