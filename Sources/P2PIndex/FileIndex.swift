import P2PProtocol

/// Which peer shares which file: the index daemon's whole state, as a value with no I/O.
///
/// Time is passed in (`now`, monotonic milliseconds) so expiry is testable without sleeping.
/// Lookups by name and by SHA-256 are hash-table hits; substring and glob searches scan the
/// distinct names once.
public struct FileIndex: Sendable {
    struct PeerRecord: Sendable {
        var endpoint: PeerEndpoint
        var files: [String: FileMeta]
        var lastSeen: Int64
        /// `nil` for seed peers, which never heartbeat.
        var heartbeatInterval: Int?
    }

    /// A file held by a peer, as listed under its SHA-256.
    struct Holding: Hashable, Sendable {
        var peerID: String
        var name: String
    }

    public private(set) var configuration: IndexConfiguration
    private var peers: [String: PeerRecord] = [:]
    private var holdersByName: [String: [String]] = [:]
    private var holdersByHash: [String: [Holding]] = [:]
    /// Names held by fewer peers than the replication factor, kept up to date on every change so
    /// a registration need not scan the whole index to find replication work.
    private var underReplicated: Set<String> = []
    /// (peer, file) pairs.
    public private(set) var fileCount = 0

    public init(configuration: IndexConfiguration = IndexConfiguration()) {
        self.configuration = configuration
    }

    /// Applies new tunables (a reload). A changed replication factor re-evaluates every name.
    public mutating func reconfigure(_ configuration: IndexConfiguration) {
        let factorChanged = configuration.replicationFactor != self.configuration.replicationFactor
        self.configuration = configuration
        if factorChanged {
            underReplicated = []
            for name in holdersByName.keys { updateReplicationState(of: name) }
        }
    }

    public var peerCount: Int { peers.count }
    public var nameCount: Int { holdersByName.count }

    public func isRegistered(_ peerID: String) -> Bool { peers[peerID] != nil }

    // MARK: Registration

    /// Applies a registration and returns how many of its files were accepted (names that break
    /// `NameRules` are skipped) and the replication work for this peer.
    /// - Returns: `nil` when an `add` or `remove` comes from a peer the index does not know
    ///   (after an index restart): applying it would list a fraction of the peer's files as if they
    ///   were all of them, so the peer is told to register its whole catalog instead.
    public mutating func register(peerID: String, request: RegistryRequest, now: Int64) -> RegistryResponse? {
        if request.mode != .replace, peers[peerID] == nil { return nil }
        var record =
            peers[peerID]
            ?? PeerRecord(endpoint: request.endpoint, files: [:], lastSeen: now, heartbeatInterval: nil)
        record.endpoint = request.endpoint
        record.lastSeen = now
        record.heartbeatInterval = request.heartbeatIntervalSeconds
        peers[peerID] = record

        var accepted = 0
        switch request.mode {
        case .replace:
            let incoming = Dictionary(
                request.files.filter { NameRules.fileNameProblem($0.name) == nil }.map { ($0.name, $0.meta) },
                uniquingKeysWith: { _, last in last })
            for (name, meta) in record.files where incoming[name] != meta { removeFile(name, from: peerID) }
            for (name, meta) in incoming where peers[peerID]!.files[name] != meta { addFile(name, meta, to: peerID) }
            accepted = incoming.count
        case .add:
            for file in request.files where NameRules.fileNameProblem(file.name) == nil {
                if let existing = peers[peerID]!.files[file.name] {
                    if existing == file.meta {
                        accepted += 1
                        continue
                    }
                    removeFile(file.name, from: peerID)
                }
                addFile(file.name, file.meta, to: peerID)
                accepted += 1
            }
        case .remove:
            for file in request.files where peers[peerID]!.files[file.name] != nil {
                removeFile(file.name, from: peerID)
                accepted += 1
            }
        }
        return RegistryResponse(registeredFiles: accepted, replicationTasks: replicationTasks(for: peerID))
    }

    /// Refreshes a peer's lease; `false` when the index does not know it (e.g. after a restart),
    /// which tells the peer to register again.
    public mutating func heartbeat(peerID: String, now: Int64) -> Bool {
        guard peers[peerID] != nil else { return false }
        peers[peerID]!.lastSeen = now
        return true
    }

    public mutating func unregister(peerID: String) {
        guard let record = peers[peerID] else { return }
        for name in record.files.keys { removeFile(name, from: peerID) }
        peers[peerID] = nil
    }

    /// Drops peers whose lease ran out and returns their ids.
    @discardableResult
    public mutating func expire(now: Int64) -> [String] {
        let expired = peers.filter { isExpired($0.value, now: now) }.map(\.key)
        for peerID in expired { unregister(peerID: peerID) }
        return expired.sorted()
    }

    private func isExpired(_ record: PeerRecord, now: Int64) -> Bool {
        let lease =
            record.heartbeatInterval == nil
            ? configuration.seedPeerLifetimeMilliseconds : configuration.heartbeatTTLMilliseconds
        return now - record.lastSeen > lease
    }

    private mutating func addFile(_ name: String, _ meta: FileMeta, to peerID: String) {
        peers[peerID]!.files[name] = meta
        holdersByName[name, default: []].append(peerID)
        if let digest = meta.sha256 { holdersByHash[digest, default: []].append(Holding(peerID: peerID, name: name)) }
        fileCount += 1
        updateReplicationState(of: name)
    }

    private mutating func removeFile(_ name: String, from peerID: String) {
        guard let meta = peers[peerID]?.files.removeValue(forKey: name) else { return }
        holdersByName[name]?.removeAll { $0 == peerID }
        if holdersByName[name]?.isEmpty == true { holdersByName[name] = nil }
        if let digest = meta.sha256 {
            holdersByHash[digest]?.removeAll { $0.peerID == peerID && $0.name == name }
            if holdersByHash[digest]?.isEmpty == true { holdersByHash[digest] = nil }
        }
        fileCount -= 1
        updateReplicationState(of: name)
    }

    private mutating func updateReplicationState(of name: String) {
        let holders = holdersByName[name]?.count ?? 0
        if holders > 0 && holders < configuration.replicationFactor {
            underReplicated.insert(name)
        } else {
            underReplicated.remove(name)
        }
    }

    // MARK: Replication

    /// Up to `maxReplicationTasks` files this peer lacks whose copies are below the factor, each
    /// with a live holder to copy from.
    public func replicationTasks(for peerID: String) -> [ReplicationTask] {
        guard configuration.replicationFactor > 1, let mine = peers[peerID] else { return [] }
        var tasks: [ReplicationTask] = []
        for name in underReplicated where mine.files[name] == nil {
            guard let sourceID = holdersByName[name]?.first, let source = peers[sourceID],
                let meta = source.files[name]
            else { continue }
            tasks.append(ReplicationTask(fileName: name, sourcePeerID: sourceID, source: source.endpoint, meta: meta))
            if tasks.count == configuration.maxReplicationTasks { break }
        }
        return tasks
    }

    // MARK: Search

    /// Matches for a search, at most `min(request.limit, maxSearchResults)`, live peers only.
    public func search(_ request: SearchRequest, now: Int64) -> [SearchResult] {
        let limit = min(request.limit ?? configuration.maxSearchResults, configuration.maxSearchResults)
        var results: [SearchResult] = []
        func collect(_ name: String, _ holders: [String]) -> Bool {
            for peerID in holders {
                guard let record = peers[peerID], !isExpired(record, now: now), let meta = record.files[name] else {
                    continue
                }
                results.append(SearchResult(peerID: peerID, endpoint: record.endpoint, fileName: name, meta: meta))
                if results.count >= limit { return false }
            }
            return true
        }
        switch request.mode {
        case .exact:
            if let holders = holdersByName[request.query] { _ = collect(request.query, holders) }
        case .sha256:
            for holding in holdersByHash[request.query] ?? [] where !collect(holding.name, [holding.peerID]) { break }
        case .substring:
            let needle = Array(request.query.utf8.map(FileIndex.asciiLowercased))
            for (name, holders) in holdersByName where FileIndex.containsIgnoringASCIICase(name, needle) {
                if !collect(name, holders) { break }
            }
        case .glob:
            let pattern = GlobPattern(request.query)
            if let literal = pattern.literal {
                // One lookup instead of a scan. The key found may differ from `literal` in its
                // scalars (`String` keys compare by canonical equivalence, the pattern does not),
                // so it must still match, and results carry the name as registered.
                if let entry = holdersByName.index(forKey: literal), pattern.matches(holdersByName[entry].key) {
                    _ = collect(holdersByName[entry].key, holdersByName[entry].value)
                }
            } else {
                for (name, holders) in holdersByName where pattern.matches(name) {
                    if !collect(name, holders) { break }
                }
            }
        }
        return results
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func containsIgnoringASCIICase(_ haystack: String, _ needle: [UInt8]) -> Bool {
        var haystack = haystack
        return haystack.withUTF8 { bytes in
            guard needle.count <= bytes.count else { return false }
            if needle.isEmpty { return true }
            let first = needle[0]
            for start in 0...(bytes.count - needle.count) where asciiLowercased(bytes[start]) == first {
                var offset = 1
                while offset < needle.count, asciiLowercased(bytes[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            return false
        }
    }

    // MARK: Listing

    public func peerSummaries(now: Int64) -> [PeerSummary] {
        peers.map { id, record in
            PeerSummary(
                peerID: id, endpoint: record.endpoint, fileCount: record.files.count,
                idleMilliseconds: now - record.lastSeen, heartbeats: record.heartbeatInterval != nil)
        }.sorted { $0.peerID < $1.peerID }
    }
}
