import P2PProtocol

/// An immutable view of the catalog at one moment: what the peer serves.
///
/// Readers (the server answering an obtain, the registration code) take a snapshot and work on it
/// without holding any lock; a refresh publishes a new snapshot and never changes an old one.
/// Copying is cheap (the dictionaries are copy-on-write).
public struct CatalogSnapshot: Sendable {
    /// The served entries by name; where a name exists in both folders, the `shared/` one.
    public let entries: [FileName: CatalogEntry]
    /// Names by content, for obtain-by-hash.
    private let namesByDigest: [SHA256Digest: [FileName]]
    /// Increases by one with each published snapshot; 0 is the empty catalog before any load.
    public let generation: UInt64

    init(entries: [FileName: CatalogEntry], generation: UInt64) {
        self.entries = entries
        self.generation = generation
        var byDigest: [SHA256Digest: [FileName]] = [:]
        for (name, entry) in entries { byDigest[entry.sha256, default: []].append(name) }
        self.namesByDigest = byDigest.mapValues { $0.sorted() }
    }

    /// The empty catalog.
    public static let empty = CatalogSnapshot(entries: [:], generation: 0)

    /// The entry served under `name`.
    public subscript(name: FileName) -> CatalogEntry? { entries[name] }

    /// Every entry whose content has this digest, sorted by name.
    public func entries(withSHA256 digest: SHA256Digest) -> [CatalogEntry] {
        (namesByDigest[digest] ?? []).compactMap { entries[$0] }
    }

    /// Every entry, sorted by name.
    public var sortedEntries: [CatalogEntry] { entries.values.sorted { $0.name < $1.name } }

    /// Number of served files.
    public var count: Int { entries.count }

    /// Total size of the served files, in bytes.
    public var totalBytes: Int64 { entries.values.reduce(0) { $0 + $1.size } }
}
