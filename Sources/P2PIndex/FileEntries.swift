import P2PProtocol

/// One (peer, file) pair of the index: 80 bytes, no heap references.
///
/// The links are entry ids (`FileEntry.none` ends a list). A name's holders form a singly linked
/// list (short: one holder per peer that has the file); the other lists are circular and doubly
/// linked because they can be long (every file of a peer, every file with one digest, such as
/// the digest of the empty file) and entries leave them one at a time.
struct FileEntry: Sendable {
    static let none = UInt32.max

    var digest: SHA256Value
    /// `-1` when unknown.
    var size: Int64
    var name: UInt32
    var peer: UInt32
    var nextOfName: UInt32
    var nextOfDigest: UInt32
    var previousOfDigest: UInt32
    var nextOfPeer: UInt32
    var previousOfPeer: UInt32
    var nextUnder: UInt32
    var previousUnder: UInt32
    var flags: UInt8

    static let hasDigestFlag: UInt8 = 1
    static let markedFlag: UInt8 = 2
    static let underReplicatedFlag: UInt8 = 4
}

/// The flat table of `FileEntry` values, with a free list so ids of removed files are reused, and
/// the list operations every intrusive list shares.
struct FileEntries: Sendable {
    private var storage: [FileEntry] = []
    /// Free entries chain through `nextOfPeer`.
    private var firstFree = FileEntry.none

    subscript(id: UInt32) -> FileEntry {
        get { storage[Int(id)] }
        set { storage[Int(id)] = newValue }
    }

    mutating func allocate(peer: UInt32, name: UInt32, size: Int64?, digest: SHA256Value?) -> UInt32 {
        let entry = FileEntry(
            digest: digest ?? SHA256Value(word0: 0, word1: 0, word2: 0, word3: 0), size: size ?? -1, name: name,
            peer: peer, nextOfName: FileEntry.none, nextOfDigest: FileEntry.none, previousOfDigest: FileEntry.none,
            nextOfPeer: FileEntry.none, previousOfPeer: FileEntry.none, nextUnder: FileEntry.none,
            previousUnder: FileEntry.none, flags: digest == nil ? 0 : FileEntry.hasDigestFlag)
        if firstFree != FileEntry.none {
            let id = firstFree
            firstFree = storage[Int(id)].nextOfPeer
            storage[Int(id)] = entry
            return id
        }
        storage.append(entry)
        return UInt32(storage.count - 1)
    }

    mutating func free(_ id: UInt32) {
        storage[Int(id)].flags = 0
        storage[Int(id)].peer = FileEntry.none
        storage[Int(id)].nextOfPeer = firstFree
        firstFree = id
    }

    // MARK: Metadata

    func hasDigest(_ id: UInt32) -> Bool { storage[Int(id)].flags & FileEntry.hasDigestFlag != 0 }

    func hasMeta(_ id: UInt32, size: Int64?, digest: SHA256Value?) -> Bool {
        let entry = storage[Int(id)]
        guard entry.size == (size ?? -1) else { return false }
        guard let digest else { return !hasDigest(id) }
        return hasDigest(id) && entry.digest == digest
    }

    /// Sets size and digest; the caller has taken the entry out of its digest list first.
    mutating func setMeta(_ id: UInt32, size: Int64?, digest: SHA256Value?) {
        storage[Int(id)].size = size ?? -1
        storage[Int(id)].digest = digest ?? SHA256Value(word0: 0, word1: 0, word2: 0, word3: 0)
        setFlag(FileEntry.hasDigestFlag, of: id, digest != nil)
    }

    func meta(_ id: UInt32) -> FileMeta {
        let entry = storage[Int(id)]
        return FileMeta(size: entry.size < 0 ? nil : entry.size, sha256: hasDigest(id) ? entry.digest.hex : nil)
    }

    func isMarked(_ id: UInt32) -> Bool { storage[Int(id)].flags & FileEntry.markedFlag != 0 }
    mutating func setMarked(_ id: UInt32, _ on: Bool) { setFlag(FileEntry.markedFlag, of: id, on) }

    func isUnderReplicated(_ id: UInt32) -> Bool { storage[Int(id)].flags & FileEntry.underReplicatedFlag != 0 }

    private mutating func setFlag(_ flag: UInt8, of id: UInt32, _ on: Bool) {
        if on {
            storage[Int(id)].flags |= flag
        } else {
            storage[Int(id)].flags &= ~flag
        }
    }

    // MARK: Circular lists

    /// The two link fields of one of the circular lists.
    private typealias Link = WritableKeyPath<FileEntry, UInt32>

    mutating func linkDigestAlone(_ id: UInt32) { linkAlone(id, \.nextOfDigest, \.previousOfDigest) }

    /// Appends `id` at the tail of the circular list whose head is `head`.
    mutating func linkDigest(_ id: UInt32, before head: UInt32) {
        link(id, before: head, \.nextOfDigest, \.previousOfDigest)
    }

    /// Takes `id` out of its digest list; returns the next member, `nil` if it was alone.
    mutating func unlinkDigest(_ id: UInt32) -> UInt32? { unlink(id, \.nextOfDigest, \.previousOfDigest) }

    mutating func linkPeerAlone(_ id: UInt32) { linkAlone(id, \.nextOfPeer, \.previousOfPeer) }

    mutating func linkPeer(_ id: UInt32, before head: UInt32) {
        link(id, before: head, \.nextOfPeer, \.previousOfPeer)
    }

    mutating func unlinkPeer(_ id: UInt32) -> UInt32? { unlink(id, \.nextOfPeer, \.previousOfPeer) }

    mutating func linkUnderAlone(_ id: UInt32) {
        linkAlone(id, \.nextUnder, \.previousUnder)
        setFlag(FileEntry.underReplicatedFlag, of: id, true)
    }

    mutating func linkUnder(_ id: UInt32, before head: UInt32) {
        link(id, before: head, \.nextUnder, \.previousUnder)
        setFlag(FileEntry.underReplicatedFlag, of: id, true)
    }

    mutating func unlinkUnder(_ id: UInt32) -> UInt32? {
        setFlag(FileEntry.underReplicatedFlag, of: id, false)
        return unlink(id, \.nextUnder, \.previousUnder)
    }

    // The operations every circular list shares. Always inlined: each call site passes literal
    // key paths, which the optimizer then turns into plain field accesses (registration and
    // removal run these for every file; measured no slower than the hand-written copies).

    @inline(__always)
    private mutating func linkAlone(_ id: UInt32, _ next: Link, _ previous: Link) {
        storage[Int(id)][keyPath: next] = id
        storage[Int(id)][keyPath: previous] = id
    }

    @inline(__always)
    private mutating func link(_ id: UInt32, before head: UInt32, _ next: Link, _ previous: Link) {
        let tail = storage[Int(head)][keyPath: previous]
        storage[Int(id)][keyPath: next] = head
        storage[Int(id)][keyPath: previous] = tail
        storage[Int(tail)][keyPath: next] = id
        storage[Int(head)][keyPath: previous] = id
    }

    @inline(__always)
    private mutating func unlink(_ id: UInt32, _ next: Link, _ previous: Link) -> UInt32? {
        let following = storage[Int(id)][keyPath: next]
        let preceding = storage[Int(id)][keyPath: previous]
        storage[Int(id)][keyPath: next] = FileEntry.none
        storage[Int(id)][keyPath: previous] = FileEntry.none
        if following == id { return nil }
        storage[Int(preceding)][keyPath: next] = following
        storage[Int(following)][keyPath: previous] = preceding
        return following
    }
}
