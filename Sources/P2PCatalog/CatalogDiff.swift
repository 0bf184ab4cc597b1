import P2PProtocol

/// What changed between two catalog snapshots, in the terms the index cares about.
///
/// The daemon registers its whole catalog once, then sends only differences: `added` and `changed`
/// entries are (re-)announced, `removed` ones withdrawn. An entry counts as `changed` when its size
/// or SHA-256 differs; a file that was merely touched, or that moved between `shared/` and
/// `replicated/` with the same content, is no news to the index and appears in no list. Each list is
/// sorted by name.
public struct CatalogDiff: Hashable, Sendable, CustomStringConvertible {
    /// Names that were not in the old snapshot.
    public var added: [CatalogEntry]
    /// Entries of the old snapshot whose names are gone.
    public var removed: [CatalogEntry]
    /// New entries for names whose size or SHA-256 changed.
    public var changed: [CatalogEntry]

    public init(
        added: [CatalogEntry] = [], removed: [CatalogEntry] = [], changed: [CatalogEntry] = []
    ) {
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    /// The differences from `old` to `new`.
    public init(from old: [FileName: CatalogEntry], to new: [FileName: CatalogEntry]) {
        var added: [CatalogEntry] = []
        var changed: [CatalogEntry] = []
        for (name, entry) in new {
            if let previous = old[name] {
                if previous.size != entry.size || previous.sha256 != entry.sha256 { changed.append(entry) }
            } else {
                added.append(entry)
            }
        }
        let removed = old.filter { new[$0.key] == nil }.map(\.value)
        self.init(
            added: added.sorted { $0.name < $1.name }, removed: removed.sorted { $0.name < $1.name },
            changed: changed.sorted { $0.name < $1.name })
    }

    /// True when nothing changed.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public var description: String {
        "\(added.count) added, \(removed.count) removed, \(changed.count) changed"
    }
}
