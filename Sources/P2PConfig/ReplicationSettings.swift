/// Whether a peer takes part in replication: section `[Replication]`.
public struct ReplicationSettings: Sendable, Equatable {
    /// `Enabled=`, default `yes`: carry out the replication tasks the index hands out, copying
    /// files into `replicated/` so each stays available on ReplicationFactor peers. `no` makes a
    /// peer that only shares and downloads (e.g. on a metered link).
    public var enabled: Bool

    /// Creates replication settings; replication is on by default.
    public init(enabled: Bool = true) {
        self.enabled = enabled
    }
}
