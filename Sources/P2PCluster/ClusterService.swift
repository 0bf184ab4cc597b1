/// Which listener a handshake is for. Part of every proof, so a proof made for the index can
/// never be accepted by a peer's data port or the other way round.
public enum ClusterService: String, Sendable {
    /// The index's request port: registrations, heartbeats, searches, everything.
    case index
    /// A peer's data port: OBTAIN and REPLICATE.
    case peer
}
