/// What a peer daemon is and what it is doing, for `p2pctl status`.
public struct PeerStatus: Sendable, Equatable {
    public var peerID: String
    public var version: String
    /// Where it serves files, e.g. `0.0.0.0:7101`.
    public var listen: String
    /// The index it registers with, e.g. `127.0.0.1:7000`.
    public var index: String
    public var indexReachable: Bool
    public var registeredFiles: Int
    public var uptimeSeconds: Int64
    /// A short phrase, the same one systemd's STATUS= shows (e.g. "hashing 3 of 100 files").
    public var state: String

    public init(
        peerID: String, version: String, listen: String, index: String, indexReachable: Bool, registeredFiles: Int,
        uptimeSeconds: Int64, state: String
    ) {
        self.peerID = peerID
        self.version = version
        self.listen = listen
        self.index = index
        self.indexReachable = indexReachable
        self.registeredFiles = registeredFiles
        self.uptimeSeconds = uptimeSeconds
        self.state = state
    }

    public init(json: JSONValue) throws(ProtocolError) {
        peerID = try json.requiredString("peer_id")
        version = try json.requiredString("version")
        listen = try json.requiredString("listen")
        index = try json.requiredString("index")
        indexReachable = try json.requiredBool("index_reachable")
        registeredFiles = try json.requiredInt("registered_files")
        uptimeSeconds = try json.requiredInt64("uptime_sec")
        state = try json.requiredString("state")
    }

    public var json: JSONValue {
        .object([
            ("peer_id", .string(peerID)),
            ("version", .string(version)),
            ("listen", .string(listen)),
            ("index", .string(index)),
            ("index_reachable", .bool(indexReachable)),
            ("registered_files", .int(Int64(registeredFiles))),
            ("uptime_sec", .int(uptimeSeconds)),
            ("state", .string(state)),
        ])
    }
}
