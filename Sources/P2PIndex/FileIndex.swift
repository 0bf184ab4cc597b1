import P2PProtocol

/// Which peer shares which file: the index daemon's whole state, as a value with no I/O.
///
/// Time is passed in (`now`, monotonic milliseconds) so expiry is testable without sleeping.
/// Lookups by name and by SHA-256 are hash-table hits; substring and glob searches scan the
/// distinct names once.
public struct FileIndex: Sendable {
    struct PeerRecord: Sendable {
        var endpoint: PeerEndpoint
        var files: [FileName: FileMeta]
        var lastSeen: Int64
        /// `nil` for seed peers, which never heartbeat.
        var heartbeatInterval: Int?
    }

    /// A file held by a peer, as listed under its SHA-256.
    struct Holding: Hashable, Sendable {
        var peerID: String
        var name: FileName
    }

    public private(set) var configuration: IndexConfiguration
    private var peers: [String: PeerRecord] = [:]
    private var holdersByName: [FileName: [String]] = [:]
    private var holdersByHash: [String: [Holding]] = [:]
    /// Names held by fewer peers than the replication factor, kept up to date on every change so
    /// a registration need not scan the whole index to find replication work.
    private var underReplicated: Set<FileName> = []
    /// Copies handed out but not yet registered, per name: they count toward the factor until
    /// they arrive or `pendingReplicaMilliseconds` passes, so two peers registering at once are
    /// not both sent to copy the same file.
    private var pendingReplicas: [FileName: [(peerID: String, until: Int64)]] = [:]
    static let pendingReplicaMilliseconds: Int64 = 120_000
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

    // MARK: Registration

    /// Applies a registration and returns how many of its files were accepted (names that are not
    /// a valid `FileName` are skipped) and the replication work for this peer.
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
        // Batches after the first need not repeat the interval; a new catalog may change it.
        if request.mode == .replace || request.heartbeatIntervalSeconds != nil {
            record.heartbeatInterval = request.heartbeatIntervalSeconds
        }
        peers[peerID] = record

        var accepted = 0
        switch request.mode {
        case .replace:
            let incoming = Dictionary(
                request.files.compactMap { file in Self.listable(file.name).map { ($0, file.meta) } },
                uniquingKeysWith: { _, last in last })
            for (name, meta) in record.files where incoming[name] != meta { removeFile(name, from: peerID) }
            for (name, meta) in incoming where peers[peerID]!.files[name] != meta { addFile(name, meta, to: peerID) }
            accepted = incoming.count
        case .add:
            for file in request.files {
                guard let name = Self.listable(file.name) else { continue }
                if let existing = peers[peerID]!.files[name] {
                    if existing == file.meta {
                        accepted += 1
                        continue
                    }
                    removeFile(name, from: peerID)
                }
                addFile(name, file.meta, to: peerID)
                accepted += 1
            }
        case .remove:
            for file in request.files {
                guard let name = try? FileName(file.name), peers[peerID]!.files[name] != nil else { continue }
                removeFile(name, from: peerID)
                accepted += 1
            }
        }
        return RegistryResponse(
            registeredFiles: accepted, replicationTasks: assignReplicationTasks(to: peerID, now: now))
    }

    /// A name the index lists: a valid `FileName` that is not hidden, since no peer of ours serves
    /// hidden files, and a copy of one made by replication would never be announced again.
    static func listable(_ text: String) -> FileName? {
        guard let name = try? FileName(text), !name.isHidden else { return nil }
        return name
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
        // A peer that says it heartbeats less often than the TTL still gets three intervals.
        let lease =
            record.heartbeatInterval.map { max(configuration.heartbeatTTLMilliseconds, Int64($0) * 3000) }
            ?? configuration.seedPeerLifetimeMilliseconds
        return now - record.lastSeen > lease
    }

    private mutating func addFile(_ name: FileName, _ meta: FileMeta, to peerID: String) {
        peers[peerID]!.files[name] = meta
        pendingReplicas[name]?.removeAll { $0.peerID == peerID }
        holdersByName[name, default: []].append(peerID)
        if let digest = meta.sha256 { holdersByHash[digest, default: []].append(Holding(peerID: peerID, name: name)) }
        fileCount += 1
        updateReplicationState(of: name)
    }

    private mutating func removeFile(_ name: FileName, from peerID: String) {
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

    private mutating func updateReplicationState(of name: FileName) {
        let holders = holdersByName[name]?.count ?? 0
        if holders == 0 { pendingReplicas[name] = nil }
        if holders > 0 && holders < configuration.replicationFactor {
            underReplicated.insert(name)
        } else {
            underReplicated.remove(name)
        }
    }

    // MARK: Replication

    /// Up to `maxReplicationTasks` files this peer lacks whose copies, counting those already
    /// handed out, are below the factor, each with a live holder to copy from. The tasks are
    /// recorded as pending copies.
    public mutating func assignReplicationTasks(to peerID: String, now: Int64) -> [ReplicationTask] {
        guard configuration.replicationFactor > 1, let mine = peers[peerID] else { return [] }
        var tasks: [ReplicationTask] = []
        for name in underReplicated where mine.files[name] == nil {
            let pending = (pendingReplicas[name] ?? []).filter { $0.until > now }
            guard !pending.contains(where: { $0.peerID == peerID }),
                (holdersByName[name]?.count ?? 0) + pending.count < configuration.replicationFactor,
                let sourceID = holdersByName[name]?.first(where: { peers[$0].map { !isExpired($0, now: now) } ?? false }
                ),
                let source = peers[sourceID], let meta = source.files[name]
            else { continue }
            tasks.append(
                ReplicationTask(fileName: name.string, sourcePeerID: sourceID, source: source.endpoint, meta: meta))
            pendingReplicas[name] = pending + [(peerID, now + Self.pendingReplicaMilliseconds)]
            if tasks.count == configuration.maxReplicationTasks { break }
        }
        return tasks
    }

    // MARK: Search

    /// Matches for a search, at most `min(request.limit, maxSearchResults)`, live peers only.
    public func search(_ request: SearchRequest, now: Int64) -> [SearchResult] {
        let limit = min(request.limit ?? configuration.maxSearchResults, configuration.maxSearchResults)
        var results: [SearchResult] = []
        func collect(_ name: FileName, _ holders: [String]) -> Bool {
            for peerID in holders {
                guard let record = peers[peerID], !isExpired(record, now: now), let meta = record.files[name] else {
                    continue
                }
                results.append(
                    SearchResult(peerID: peerID, endpoint: record.endpoint, fileName: name.string, meta: meta))
                if results.count >= limit { return false }
            }
            return true
        }
        switch request.mode {
        case .exact:
            if let name = try? FileName(request.query), let holders = holdersByName[name] { _ = collect(name, holders) }
        case .sha256:
            for holding in holdersByHash[request.query] ?? [] where !collect(holding.name, [holding.peerID]) { break }
        case .substring:
            let needle = Array(request.query.utf8.map(FileIndex.asciiLowercased))
            for (name, holders) in holdersByName where FileIndex.containsIgnoringASCIICase(name.string, needle) {
                if !collect(name, holders) { break }
            }
        case .glob:
            let pattern = GlobPattern(request.query)
            if let literal = pattern.literal {
                if let name = try? FileName(literal), let holders = holdersByName[name] { _ = collect(name, holders) }
            } else {
                for (name, holders) in holdersByName where pattern.matches(name.string) {
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
