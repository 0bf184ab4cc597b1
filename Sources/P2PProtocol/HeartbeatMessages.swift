/// `HEARTBEAT_REQUEST` (ours): "I am alive"; the peer id travels in the envelope.
///
/// The reply says whether the index still knows the peer. After an index restart it does not,
/// and the peer registers again at once, so it is searchable within one heartbeat.
public struct HeartbeatResponse: Sendable, Equatable {
    public var known: Bool

    public init(known: Bool) { self.known = known }

    public init(payload: JSONValue) throws(ProtocolError) {
        if let code = ReplyStatus.errorCode(of: payload) { throw .invalidField("status", code) }
        known = payload["known"]?.boolValue ?? false
    }

    public var payload: JSONValue { .object([("status", "ok"), ("known", .bool(known))]) }
}

/// One row of `PEERS_RESPONSE`: a registered peer as the index sees it.
public struct PeerSummary: Sendable, Equatable {
    public var peerID: String
    public var endpoint: PeerEndpoint
    public var fileCount: Int
    /// Milliseconds since the peer's last registration or heartbeat.
    public var idleMilliseconds: Int64
    /// False for seed peers, which are kept for the seed lifetime instead of the heartbeat TTL.
    public var heartbeats: Bool

    public init(peerID: String, endpoint: PeerEndpoint, fileCount: Int, idleMilliseconds: Int64, heartbeats: Bool) {
        self.peerID = peerID
        self.endpoint = endpoint
        self.fileCount = fileCount
        self.idleMilliseconds = idleMilliseconds
        self.heartbeats = heartbeats
    }

    public init(json: JSONValue) throws(ProtocolError) {
        guard let peerID = json["peer_id"]?.stringValue else { throw .missingField("peer_id") }
        self.peerID = peerID
        endpoint = try PeerEndpoint(json: json["peer"] ?? .null)
        fileCount = Int(json["files"]?.int64Value ?? 0)
        idleMilliseconds = json["idle_ms"]?.int64Value ?? 0
        heartbeats = json["heartbeats"]?.boolValue ?? false
    }

    public var json: JSONValue {
        .object([
            ("peer_id", .string(peerID)),
            ("peer", endpoint.json),
            ("files", .int(Int64(fileCount))),
            ("idle_ms", .int(idleMilliseconds)),
            ("heartbeats", .bool(heartbeats)),
        ])
    }
}

/// `STATS_RESPONSE` from the index: figures an admin or the bench wants.
public struct IndexStats: Sendable, Equatable {
    public var peers: Int
    /// (peer, file) pairs: one file held by two peers counts twice.
    public var files: Int
    /// Distinct file names.
    public var names: Int
    public var searches: Int64
    public var registrations: Int64
    public var uptimeSeconds: Int64

    public init(peers: Int, files: Int, names: Int, searches: Int64, registrations: Int64, uptimeSeconds: Int64) {
        self.peers = peers
        self.files = files
        self.names = names
        self.searches = searches
        self.registrations = registrations
        self.uptimeSeconds = uptimeSeconds
    }

    public init(payload: JSONValue) throws(ProtocolError) {
        if let code = ReplyStatus.errorCode(of: payload) { throw .invalidField("status", code) }
        peers = Int(payload["peers"]?.int64Value ?? 0)
        files = Int(payload["files"]?.int64Value ?? 0)
        names = Int(payload["names"]?.int64Value ?? 0)
        searches = payload["searches"]?.int64Value ?? 0
        registrations = payload["registrations"]?.int64Value ?? 0
        uptimeSeconds = payload["uptime_sec"]?.int64Value ?? 0
    }

    public var payload: JSONValue {
        .object([
            ("status", "ok"),
            ("peers", .int(Int64(peers))),
            ("files", .int(Int64(files))),
            ("names", .int(Int64(names))),
            ("searches", .int(searches)),
            ("registrations", .int(registrations)),
            ("uptime_sec", .int(uptimeSeconds)),
        ])
    }
}
