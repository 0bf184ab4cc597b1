/// The two folders of a peer's state whose files are served to other peers.
///
/// `shared/` holds what the peer's owner chose to share; `replicated/` holds copies the peer keeps
/// for the network's replication factor. `downloaded/` is the owner's and is not served. When both
/// hold the same name, `shared/` wins: it is the owner's deliberate choice, and a replica of the
/// same name is redundant or stale.
public enum ServedFolder: String, Hashable, Comparable, Sendable, CaseIterable,
    CustomStringConvertible
{
    case shared
    case replicated

    /// The folder's name inside the peer's state folder; also its token in the hash cache file.
    public var description: String { rawValue }

    /// Precedence: `shared` before `replicated`.
    public static func < (lhs: ServedFolder, rhs: ServedFolder) -> Bool {
        lhs == .shared && rhs == .replicated
    }
}
