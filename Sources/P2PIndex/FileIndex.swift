import P2PProtocol

/// Which peer shares which file: the index daemon's whole state, as a value with no I/O.
///
/// Time is passed in (`now`, monotonic milliseconds) so expiry is testable without sleeping.
///
/// The layout is built for millions of files at about 130 bytes each: names are interned once in
/// a `NameTable`; each (peer, file) pair is one fixed-size `FileEntry` in a flat array, digest
/// inline, linked into four intrusive lists (holders of its name, holders of its digest, files of
/// its peer, and its peer's under-replicated files); peers are small integer slots. Lookups by
/// name and by SHA-256 are hash-table hits; substring and glob searches scan the names once.
public struct FileIndex: Sendable {
    struct PeerRecord: Sendable {
        var id: String
        var endpoint: PeerEndpoint
        var lastSeen: Int64
        /// `nil` for seed peers, which never heartbeat.
        var heartbeatInterval: Int?
        var fileCount = 0
        /// Head of the circular list of this peer's files (`FileEntry.nextOfPeer`).
        var firstFile = FileEntry.none
        /// Head of the circular list of this peer's files whose name lacks copies.
        var firstUnderReplicated = FileEntry.none
        var underReplicatedCount = 0
    }

    public private(set) var configuration: IndexConfiguration
    private var peerSlots: [PeerRecord?] = []
    private var slotOfPeer: [String: UInt32] = [:]
    private var freePeerSlots: [UInt32] = []
    private var entries = FileEntries()
    private var names = NameTable()
    /// First holder of each name id (`FileEntry.nextOfName` continues the list).
    private var firstHolder: [UInt32] = []
    /// Name ids → first entry with that digest (a circular list through `nextOfDigest`).
    private var digests = IDHashTable()
    /// Copies handed out but not yet registered, per name id: they count toward the factor until
    /// they arrive or `pendingReplicaMilliseconds` passes, so two peers registering at once are
    /// not both sent to copy the same file.
    private var pendingReplicas: [UInt32: [(peerID: String, until: Int64)]] = [:]
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
            for name in 0..<UInt32(names.idLimit) where names.isLive(name) { updateReplicationState(of: name) }
        }
    }

    public var peerCount: Int { slotOfPeer.count }
    public var nameCount: Int { names.count }

    // MARK: Registration

    /// Applies a registration and returns how many of its files were accepted (names that are not
    /// a valid `FileName` are skipped) and the replication work for this peer.
    /// - Returns: `nil` when an `add` or `remove` comes from a peer the index does not know
    ///   (after an index restart): applying it would list a fraction of the peer's files as if they
    ///   were all of them, so the peer is told to register its whole catalog instead.
    public mutating func register(peerID: String, request: RegistryRequest, now: Int64) -> RegistryResponse? {
        register(
            peerID: peerID, endpoint: request.endpoint, mode: request.mode,
            heartbeatIntervalSeconds: request.heartbeatIntervalSeconds, entries: RegistryEntries(request.files),
            now: now)
    }

    /// `register(peerID:request:now:)` for files already in compact form (the daemon's decoder
    /// writes them so, without a string per file).
    public mutating func register(
        peerID: String, endpoint: PeerEndpoint, mode: RegistrationMode, heartbeatIntervalSeconds: Int?,
        entries incoming: RegistryEntries, now: Int64
    ) -> RegistryResponse? {
        if mode != .replace, slotOfPeer[peerID] == nil { return nil }
        let peer = slotOfPeer[peerID] ?? addPeer(peerID, endpoint: endpoint, now: now)
        peerSlots[Int(peer)]!.endpoint = endpoint
        peerSlots[Int(peer)]!.lastSeen = now
        // Batches after the first need not repeat the interval; a new catalog may change it.
        if mode == .replace || heartbeatIntervalSeconds != nil {
            peerSlots[Int(peer)]!.heartbeatInterval = heartbeatIntervalSeconds
        }

        var accepted = 0
        for index in 0..<incoming.count {
            let size = incoming.size(at: index)
            let digest = incoming.digest(at: index)
            switch mode {
            case .replace:
                // Every listed file is marked; afterwards the unmarked ones are dropped.
                guard let name = incoming.withName(at: index, { listableName($0) }) else { continue }
                if let existing = entryOf(peer: peer, name: name) {
                    // Listed twice in one catalog: counted once, and the last listing wins.
                    if !entries.isMarked(existing) { accepted += 1 }
                    updateMeta(existing, size: size, digest: digest)
                    entries.setMarked(existing, true)
                } else {
                    accepted += 1
                    entries.setMarked(addEntry(peer: peer, name: name, size: size, digest: digest), true)
                }
            case .add:
                guard let name = incoming.withName(at: index, { listableName($0) }) else { continue }
                accepted += 1
                if let existing = entryOf(peer: peer, name: name) {
                    updateMeta(existing, size: size, digest: digest)
                } else {
                    _ = addEntry(peer: peer, name: name, size: size, digest: digest)
                }
            case .remove:
                let existing = incoming.withName(at: index) { bytes -> UInt32? in
                    guard FileName.isValid(bytes: bytes), let name = names.find(bytes) else { return nil }
                    return entryOf(peer: peer, name: name)
                }
                guard let existing else { continue }
                removeEntry(existing)
                accepted += 1
            }
        }
        if mode == .replace { dropUnmarkedFiles(of: peer) }
        return RegistryResponse(
            registeredFiles: accepted, replicationTasks: assignReplicationTasks(to: peerID, now: now))
    }

    /// The id of a name the index lists, interning it: a valid `FileName` that is not hidden,
    /// since no peer of ours serves hidden files, and a copy of one made by replication would
    /// never be announced again.
    private mutating func listableName(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard FileName.isValid(bytes: bytes), bytes[0] != UInt8(ascii: ".") else { return nil }
        let name = names.insert(bytes)
        if Int(name) == firstHolder.count {
            firstHolder.append(FileEntry.none)
        }
        return name
    }

    /// After a `replace`: drops the peer's files the catalog no longer lists, clears the marks.
    private mutating func dropUnmarkedFiles(of peer: UInt32) {
        guard let first = peerSlots[Int(peer)]?.firstFile, first != FileEntry.none else { return }
        var stale: [UInt32] = []
        var entry = first
        repeat {
            if entries.isMarked(entry) {
                entries.setMarked(entry, false)
            } else {
                stale.append(entry)
            }
            entry = entries[entry].nextOfPeer
        } while entry != first
        for entry in stale { removeEntry(entry) }
    }

    private mutating func addPeer(_ peerID: String, endpoint: PeerEndpoint, now: Int64) -> UInt32 {
        let record = PeerRecord(id: peerID, endpoint: endpoint, lastSeen: now, heartbeatInterval: nil)
        let slot: UInt32
        if let free = freePeerSlots.popLast() {
            slot = free
            peerSlots[Int(slot)] = record
        } else {
            slot = UInt32(peerSlots.count)
            peerSlots.append(record)
        }
        slotOfPeer[peerID] = slot
        return slot
    }

    /// Refreshes a peer's lease; `false` when the index does not know it (e.g. after a restart),
    /// which tells the peer to register again.
    public mutating func heartbeat(peerID: String, now: Int64) -> Bool {
        guard let slot = slotOfPeer[peerID] else { return false }
        peerSlots[Int(slot)]!.lastSeen = now
        return true
    }

    public mutating func unregister(peerID: String) {
        guard let slot = slotOfPeer[peerID] else { return }
        while let first = peerSlots[Int(slot)]?.firstFile, first != FileEntry.none { removeEntry(first) }
        peerSlots[Int(slot)] = nil
        slotOfPeer[peerID] = nil
        freePeerSlots.append(slot)
    }

    /// Drops peers whose lease ran out and returns their ids.
    @discardableResult
    public mutating func expire(now: Int64) -> [String] {
        let expired = peerSlots.compactMap { record in record.flatMap { isExpired($0, now: now) ? $0.id : nil } }
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

    private func isLive(peer: UInt32, now: Int64) -> Bool {
        peerSlots[Int(peer)].map { !isExpired($0, now: now) } ?? false
    }

    // MARK: Entries and their lists

    /// The peer's entry for `name`, found among the name's holders (a short list).
    private func entryOf(peer: UInt32, name: UInt32) -> UInt32? {
        var entry = firstHolder[Int(name)]
        while entry != FileEntry.none {
            if entries[entry].peer == peer { return entry }
            entry = entries[entry].nextOfName
        }
        return nil
    }

    private func holderCount(of name: UInt32) -> Int {
        var count = 0
        var entry = firstHolder[Int(name)]
        while entry != FileEntry.none {
            count += 1
            entry = entries[entry].nextOfName
        }
        return count
    }

    private static func digestHash(_ digest: SHA256Value) -> UInt32 {
        UInt32(truncatingIfNeeded: digest.hashValue)
    }

    private func firstWithDigest(_ digest: SHA256Value) -> UInt32? {
        digests.find(hash: Self.digestHash(digest)) { entries[$0].digest == digest }
    }

    private mutating func addEntry(peer: UInt32, name: UInt32, size: Int64?, digest: SHA256Value?) -> UInt32 {
        let entry = entries.allocate(peer: peer, name: name, size: size, digest: digest)
        // Holders of the name, in registration order.
        if firstHolder[Int(name)] == FileEntry.none {
            firstHolder[Int(name)] = entry
        } else {
            var last = firstHolder[Int(name)]
            while entries[last].nextOfName != FileEntry.none { last = entries[last].nextOfName }
            entries[last].nextOfName = entry
        }
        if digest != nil { linkDigest(entry) }
        let first = peerSlots[Int(peer)]!.firstFile
        if first == FileEntry.none {
            entries.linkPeerAlone(entry)
            peerSlots[Int(peer)]!.firstFile = entry
        } else {
            entries.linkPeer(entry, before: first)
        }
        peerSlots[Int(peer)]!.fileCount += 1
        fileCount += 1
        if pendingReplicas[name] != nil {
            let peerID = peerSlots[Int(peer)]!.id
            pendingReplicas[name]!.removeAll { $0.peerID == peerID }
        }
        updateReplicationState(of: name)
        return entry
    }

    /// A file the peer lists again with other metadata (it changed on disk): the entry keeps its
    /// place among the name's holders and moves to its new digest's list.
    private mutating func updateMeta(_ entry: UInt32, size: Int64?, digest: SHA256Value?) {
        if entries.hasMeta(entry, size: size, digest: digest) { return }
        unlinkDigest(entry)
        entries.setMeta(entry, size: size, digest: digest)
        if digest != nil { linkDigest(entry) }
        let name = entries[entry].name
        if pendingReplicas[name] != nil {
            let peerID = peerSlots[Int(entries[entry].peer)]!.id
            pendingReplicas[name]!.removeAll { $0.peerID == peerID }
        }
    }

    private mutating func linkDigest(_ entry: UInt32) {
        let digest = entries[entry].digest
        if let head = firstWithDigest(digest) {
            entries.linkDigest(entry, before: head)
        } else {
            entries.linkDigestAlone(entry)
            digests.insert(entry, hash: Self.digestHash(digest)) { Self.digestHash(entries[$0].digest) }
        }
    }

    private mutating func unlinkDigest(_ entry: UInt32) {
        guard entries.hasDigest(entry) else { return }
        let hash = Self.digestHash(entries[entry].digest)
        let next = entries.unlinkDigest(entry)
        guard digests.find(hash: hash, where: { $0 == entry }) != nil else { return }
        if let next {
            digests.replace(entry, with: next, hash: hash)
        } else {
            digests.remove(entry, hash: hash) { Self.digestHash(entries[$0].digest) }
        }
    }

    private mutating func removeEntry(_ entry: UInt32) {
        let removed = entries[entry]
        let name = removed.name
        let peer = removed.peer
        // Out of the name's holders.
        if firstHolder[Int(name)] == entry {
            firstHolder[Int(name)] = removed.nextOfName
        } else {
            var previous = firstHolder[Int(name)]
            while entries[previous].nextOfName != entry { previous = entries[previous].nextOfName }
            entries[previous].nextOfName = removed.nextOfName
        }
        // Out of the digest's holders.
        unlinkDigest(entry)
        // Out of the peer's lists.
        let nextOfPeer = entries.unlinkPeer(entry)
        if peerSlots[Int(peer)]!.firstFile == entry { peerSlots[Int(peer)]!.firstFile = nextOfPeer ?? FileEntry.none }
        if entries.isUnderReplicated(entry) { unlinkUnderReplicated(entry) }
        peerSlots[Int(peer)]!.fileCount -= 1
        fileCount -= 1
        entries.free(entry)
        if firstHolder[Int(name)] == FileEntry.none {
            pendingReplicas[name] = nil
            names.remove(name)
            firstHolder[Int(name)] = FileEntry.none
        } else {
            updateReplicationState(of: name)
        }
    }

    private mutating func linkUnderReplicated(_ entry: UInt32) {
        let peer = Int(entries[entry].peer)
        let first = peerSlots[peer]!.firstUnderReplicated
        if first == FileEntry.none {
            entries.linkUnderAlone(entry)
            peerSlots[peer]!.firstUnderReplicated = entry
        } else {
            entries.linkUnder(entry, before: first)
        }
        peerSlots[peer]!.underReplicatedCount += 1
    }

    private mutating func unlinkUnderReplicated(_ entry: UInt32) {
        let peer = Int(entries[entry].peer)
        let next = entries.unlinkUnder(entry)
        if peerSlots[peer]!.firstUnderReplicated == entry {
            peerSlots[peer]!.firstUnderReplicated = next ?? FileEntry.none
        }
        peerSlots[peer]!.underReplicatedCount -= 1
    }

    /// Keeps every holder's under-replicated list in step with the name's holder count.
    private mutating func updateReplicationState(of name: UInt32) {
        let holders = holderCount(of: name)
        let under = holders > 0 && holders < configuration.replicationFactor
        var entry = firstHolder[Int(name)]
        while entry != FileEntry.none {
            if entries.isUnderReplicated(entry) != under {
                if under { linkUnderReplicated(entry) } else { unlinkUnderReplicated(entry) }
            }
            entry = entries[entry].nextOfName
        }
    }

    // MARK: Replication

    /// Up to `maxReplicationTasks` files this peer lacks whose copies, counting those already
    /// handed out, are below the factor, each with a live holder to copy from. The tasks are
    /// recorded as pending copies. Only other peers' under-replicated lists are walked, so a peer
    /// holding a million single copies itself does not scan them on every batch.
    public mutating func assignReplicationTasks(to peerID: String, now: Int64) -> [ReplicationTask] {
        guard configuration.replicationFactor > 1, let mine = slotOfPeer[peerID] else { return [] }
        var tasks: [ReplicationTask] = []
        for other in peerSlots.indices where other != Int(mine) {
            guard let first = peerSlots[other]?.firstUnderReplicated, first != FileEntry.none else { continue }
            var entry = first
            repeat {
                let name = entries[entry].name
                entry = entries[entry].nextUnder
                guard entryOf(peer: mine, name: name) == nil else { continue }
                let pending = (pendingReplicas[name] ?? []).filter { $0.until > now }
                guard !pending.contains(where: { $0.peerID == peerID }),
                    holderCount(of: name) + pending.count < configuration.replicationFactor,
                    let source = liveHolder(of: name, now: now)
                else { continue }
                let record = peerSlots[Int(entries[source].peer)]!
                tasks.append(
                    ReplicationTask(
                        fileName: names.string(of: name), sourcePeerID: record.id, source: record.endpoint,
                        meta: entries.meta(source)))
                pendingReplicas[name] = pending + [(peerID, now + Self.pendingReplicaMilliseconds)]
                if tasks.count == configuration.maxReplicationTasks { return tasks }
            } while entry != first
        }
        return tasks
    }

    private func liveHolder(of name: UInt32, now: Int64) -> UInt32? {
        var entry = firstHolder[Int(name)]
        while entry != FileEntry.none {
            if isLive(peer: entries[entry].peer, now: now) { return entry }
            entry = entries[entry].nextOfName
        }
        return nil
    }

    // MARK: Search

    /// Matches for a search, at most `min(request.limit, maxSearchResults)`, live peers only.
    public func search(_ request: SearchRequest, now: Int64) -> [SearchResult] {
        let limit = min(request.limit ?? configuration.maxSearchResults, configuration.maxSearchResults)
        var results: [SearchResult] = []
        /// Adds the entry if its peer is live; `false` once the limit is reached.
        func collect(_ entry: UInt32) -> Bool {
            let file = entries[entry]
            guard let record = peerSlots[Int(file.peer)], !isExpired(record, now: now) else { return true }
            results.append(
                SearchResult(
                    peerID: record.id, endpoint: record.endpoint, fileName: names.string(of: file.name),
                    meta: entries.meta(entry)))
            return results.count < limit
        }
        func collectHolders(of name: UInt32) -> Bool {
            var entry = firstHolder[Int(name)]
            while entry != FileEntry.none {
                if !collect(entry) { return false }
                entry = entries[entry].nextOfName
            }
            return true
        }
        func exactName(_ text: String) -> UInt32? {
            var text = text
            return text.withUTF8 { names.find(UnsafeRawBufferPointer($0)) }
        }
        switch request.mode {
        case .exact:
            if let name = exactName(request.query) { _ = collectHolders(of: name) }
        case .sha256:
            guard let digest = SHA256Value(hex: request.query), let first = firstWithDigest(digest) else { break }
            var entry = first
            repeat {
                if !collect(entry) { break }
                entry = entries[entry].nextOfDigest
            } while entry != first
        case .substring:
            let needle = Array(request.query.utf8.map(FileIndex.asciiLowercased))
            for name in 0..<UInt32(names.idLimit) where names.isLive(name) {
                guard names.withBytes(of: name, { FileIndex.containsIgnoringASCIICase($0, needle) }) else { continue }
                if !collectHolders(of: name) { break }
            }
        case .glob:
            let pattern = GlobPattern(request.query)
            if let literal = pattern.literal {
                if let name = exactName(literal) { _ = collectHolders(of: name) }
            } else {
                var scratch: [Unicode.Scalar] = []
                for name in 0..<UInt32(names.idLimit) where names.isLive(name) {
                    guard names.withBytes(of: name, { pattern.matches(utf8: $0, scratch: &scratch) }) else { continue }
                    if !collectHolders(of: name) { break }
                }
            }
        }
        return results
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func containsIgnoringASCIICase(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
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

    // MARK: Listing

    public func peerSummaries(now: Int64) -> [PeerSummary] {
        peerSlots.compactMap { record in
            record.map {
                PeerSummary(
                    peerID: $0.id, endpoint: $0.endpoint, fileCount: $0.fileCount,
                    idleMilliseconds: now - $0.lastSeen, heartbeats: $0.heartbeatInterval != nil)
            }
        }.sorted { $0.peerID < $1.peerID }
    }
}
