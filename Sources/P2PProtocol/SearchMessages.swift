/// How a search matches file names.
public enum SearchMode: String, Sendable, CaseIterable {
    /// The whole name, exactly (the seed's only mode).
    case exact
    /// Names containing the query, ignoring ASCII case.
    case substring
    /// Shell-style `*`, `?` and `[…]` against the whole name.
    case glob
    /// Files whose SHA-256 is the query.
    case sha256
}

/// `SEARCH_REQUEST`.
public struct SearchRequest: Sendable, Equatable {
    public var query: String
    public var mode: SearchMode
    /// At most this many results; `nil` lets the index apply its own cap.
    public var limit: Int?

    public init(query: String, mode: SearchMode = .exact, limit: Int? = nil) {
        self.query = query
        self.mode = mode
        self.limit = limit
    }

    /// Accepts the seed's `{"query": {"file_name": f}}` and `{"query": f}`, and our
    /// `{"query": {"file_name": f, "mode": m, "limit": n}}` or `{"query": {"sha256": h}}`.
    public init(payload: JSONValue) throws(ProtocolError) {
        switch payload["query"] {
        case .string(let name)?:
            query = name
            mode = .exact
        case .object?:
            let object = payload["query"]!
            if let digest = object["sha256"]?.stringValue {
                guard let normalized = SHA256Hex.normalized(digest) else {
                    throw .invalidField("query.sha256", "expected 64 hex digits")
                }
                query = normalized
                mode = .sha256
            } else if let name = object["file_name"]?.stringValue {
                query = name
                if let text = object["mode"]?.stringValue {
                    guard let mode = SearchMode(rawValue: text), mode != .sha256 else {
                        throw .invalidField("query.mode", "expected exact, substring or glob")
                    }
                    self.mode = mode
                } else {
                    mode = .exact
                }
            } else {
                throw .missingField("file_name")
            }
            if let limit = object["limit"] {
                guard let value = limit.int64Value, value >= 1 else {
                    throw .invalidField("query.limit", "expected a positive integer")
                }
                self.limit = Int(min(value, Int64(Int32.max)))
            }
        default:
            throw .missingField("file_name")
        }
        guard !query.isEmpty, query.utf8.count <= 1024 else {
            throw .invalidField("file_name", "expected 1-1024 bytes")
        }
    }

    public var payload: JSONValue {
        var query: [(String, JSONValue)]
        if mode == .sha256 {
            query = [("sha256", .string(self.query))]
        } else {
            query = [("file_name", .string(self.query))]
            if mode != .exact { query.append(("mode", .string(mode.rawValue))) }
        }
        if let limit { query.append(("limit", .int(Int64(limit)))) }
        return .object([("query", .object(query))])
    }
}

/// One holder of a matching file.
public struct SearchResult: Sendable, Equatable {
    public var peerID: String
    public var endpoint: PeerEndpoint
    public var fileName: String
    public var meta: FileMeta

    public init(peerID: String, endpoint: PeerEndpoint, fileName: String, meta: FileMeta) {
        self.peerID = peerID
        self.endpoint = endpoint
        self.fileName = fileName
        self.meta = meta
    }

    public init(json: JSONValue, defaultName: String) throws(ProtocolError) {
        guard let peerID = json["peer_id"]?.stringValue else { throw .missingField("peer_id") }
        guard let peer = json["peer"] else { throw .missingField("peer") }
        self.peerID = peerID
        endpoint = try PeerEndpoint(json: peer)
        fileName = json["file_name"]?.stringValue ?? defaultName
        meta = try json["meta"].map { meta throws(ProtocolError) in try FileMeta(json: meta) } ?? FileMeta()
    }

    public var json: JSONValue {
        .object([
            ("peer_id", .string(peerID)),
            ("peer", endpoint.json),
            ("file_name", .string(fileName)),
            ("meta", meta.json),
        ])
    }
}

/// `SEARCH_RESPONSE`. The seed's shape: `status`, `file_name` (the query) and `results`; a
/// search without results is `status: error`, `error: file_not_found`, `results: []`.
public struct SearchResponse: Sendable, Equatable {
    public var query: String
    public var results: [SearchResult]

    public init(query: String, results: [SearchResult]) {
        self.query = query
        self.results = results
    }

    public init(payload: JSONValue) throws(ProtocolError) {
        query = payload["file_name"]?.stringValue ?? ""
        var results: [SearchResult] = []
        if case .array(let elements)? = payload["results"] {
            for element in elements { results.append(try SearchResult(json: element, defaultName: query)) }
        }
        self.results = results
    }

    public var payload: JSONValue {
        if results.isEmpty {
            return ReplyStatus.error(
                "file_not_found", extra: [("file_name", .string(query)), ("results", .array([]))])
        }
        return .object([
            ("status", "ok"),
            ("file_name", .string(query)),
            ("results", .array(results.map(\.json))),
        ])
    }
}
