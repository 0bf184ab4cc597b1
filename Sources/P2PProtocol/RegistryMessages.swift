/// One file in a registration: its name and what the peer knows about it.
public struct SharedFile: Sendable, Equatable {
    public var name: String
    public var meta: FileMeta

    public init(name: String, meta: FileMeta) {
        self.name = name
        self.meta = meta
    }
}

/// How a registration changes the peer's file list at the index.
public enum RegistrationMode: String, Sendable {
    /// The list is the peer's whole catalog (the seed's meaning, and the first batch of ours).
    case replace
    /// The list adds to what the peer registered before: later batches of a large catalog, and
    /// files that appeared in `shared/`.
    case add
    /// The listed names are gone from the peer.
    case remove
}

/// `REGISTRY_REQUEST`: a peer announces where it serves and what it shares.
public struct RegistryRequest: Sendable, Equatable {
    public var endpoint: PeerEndpoint
    public var files: [SharedFile]
    public var mode: RegistrationMode
    /// Set by our peers, which heartbeat at this interval; seed peers never do, so the index
    /// keeps them for a separate, longer lifetime instead of the heartbeat TTL.
    public var heartbeatIntervalSeconds: Int?

    public init(
        endpoint: PeerEndpoint, files: [SharedFile], mode: RegistrationMode = .replace,
        heartbeatIntervalSeconds: Int? = nil
    ) {
        self.endpoint = endpoint
        self.files = files
        self.mode = mode
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }

    /// Entries with a missing name or a malformed meta are skipped, not fatal: the seed keeps
    /// the rest of a catalog, and so do we. A missing or null `peer.host` (the seed client sends
    /// null when not told its address) is left empty for the index to fill in from the connection.
    public init(payload: JSONValue) throws(ProtocolError) {
        guard let peer = payload["peer"] else { throw .missingField("peer") }
        if peer["host"] == nil || peer["host"]?.isNull == true {
            var withHost = peer.members.filter { $0.0 != "host" }
            withHost.append(("host", "-"))
            endpoint = try PeerEndpoint(json: .object(withHost))
            endpoint.host = ""
        } else {
            endpoint = try PeerEndpoint(json: peer)
        }
        switch payload["files"] {
        case .object(let members)?:
            files = []
            files.reserveCapacity(members.count)
            for (name, meta) in members {
                guard let meta = try? FileMeta(json: meta) else { continue }
                files.append(SharedFile(name: name, meta: meta))
            }
        case .array(let elements)?:
            files = []
            files.reserveCapacity(elements.count)
            for element in elements {
                guard let name = element["name"]?.stringValue ?? element["file_name"]?.stringValue,
                    let meta = try? FileMeta(json: element)
                else { continue }
                files.append(SharedFile(name: name, meta: meta))
            }
        case nil, .null?:
            files = []
        default:
            throw .invalidField("files", "expected an object or an array")
        }
        if let value = payload["mode"], !value.isNull {
            guard let text = value.stringValue, let mode = RegistrationMode(rawValue: text) else {
                throw .invalidField("mode", "expected replace, add or remove")
            }
            self.mode = mode
        } else {
            mode = .replace
        }
        if let value = payload["heartbeat_interval"], !value.isNull {
            guard let interval = value.int64Value, (1...86_400).contains(interval) else {
                throw .invalidField("heartbeat_interval", "expected 1-86400 seconds")
            }
            heartbeatIntervalSeconds = Int(interval)
        }
    }

    public var payload: JSONValue {
        var members: [(String, JSONValue)] = [
            ("files", .array(files.map { file in .object([("name", .string(file.name))] + file.meta.json.members) })),
            ("peer", endpoint.json),
            ("mode", .string(mode.rawValue)),
        ]
        if let heartbeatIntervalSeconds {
            members.append(("heartbeat_interval", .int(Int64(heartbeatIntervalSeconds))))
        }
        return .object(members)
    }
}

/// A copy the index asks a registering peer to make, so that a file reaches its replication factor.
public struct ReplicationTask: Sendable, Equatable {
    public var fileName: String
    public var sourcePeerID: String
    public var source: PeerEndpoint
    public var meta: FileMeta

    public init(fileName: String, sourcePeerID: String, source: PeerEndpoint, meta: FileMeta = FileMeta()) {
        self.fileName = fileName
        self.sourcePeerID = sourcePeerID
        self.source = source
        self.meta = meta
    }

    public init(json: JSONValue) throws(ProtocolError) {
        guard let name = json["file_name"]?.stringValue else { throw .missingField("file_name") }
        guard let source = json["source"] else { throw .missingField("source") }
        fileName = name
        sourcePeerID = source["peer_id"]?.stringValue ?? ""
        self.source = try PeerEndpoint(json: source)
        meta = try json["meta"].map { meta throws(ProtocolError) in try FileMeta(json: meta) } ?? FileMeta()
    }

    public var json: JSONValue {
        .object([
            ("file_name", .string(fileName)),
            ("source", .object([("peer_id", .string(sourcePeerID))] + source.json.members)),
            ("meta", meta.json),
        ])
    }
}

/// `REGISTRY_RESPONSE` with status "ok".
public struct RegistryResponse: Sendable, Equatable {
    public var registeredFiles: Int
    public var replicationTasks: [ReplicationTask]

    public init(registeredFiles: Int, replicationTasks: [ReplicationTask]) {
        self.registeredFiles = registeredFiles
        self.replicationTasks = replicationTasks
    }

    public init(payload: JSONValue) throws(ProtocolError) {
        if let code = ReplyStatus.errorCode(of: payload) { throw .invalidField("status", code) }
        registeredFiles = Int(payload["registered_files"]?.int64Value ?? 0)
        var tasks: [ReplicationTask] = []
        if case .array(let elements)? = payload["replication_tasks"] {
            for element in elements { tasks.append(try ReplicationTask(json: element)) }
        }
        replicationTasks = tasks
    }

    public var payload: JSONValue {
        .object([
            ("status", "ok"),
            ("registered_files", .int(Int64(registeredFiles))),
            ("replication_required", .bool(!replicationTasks.isEmpty)),
            ("replication_tasks", .array(replicationTasks.map(\.json))),
        ])
    }
}

extension JSONValue {
    /// The members of an object, or none.
    public var members: [(String, JSONValue)] {
        if case .object(let members) = self { return members }
        return []
    }
}
