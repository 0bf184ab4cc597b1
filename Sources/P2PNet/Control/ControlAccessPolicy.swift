#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who may use the control socket: root, the daemon's own user, and members of the control group
/// (by primary or supplementary group).
public struct ControlAccessPolicy: Sendable, Equatable {
    /// The daemon's own uid (the `p2p` user under systemd).
    public var daemonUID: uid_t
    /// `nil` admits only root and the daemon's user.
    public var group: ControlGroup?

    public init(daemonUID: uid_t = getuid(), group: ControlGroup?) {
        self.daemonUID = daemonUID
        self.group = group
    }

    /// Why `caller` may not use the socket, as the one line it is told; `nil` when it may.
    public func refusal(for caller: PeerCredentials) -> String? {
        if caller.uid == 0 || caller.uid == daemonUID { return nil }
        guard let group else { return "permission denied: uid \(caller.uid) is neither root nor the daemon's user" }
        if caller.gid == group.id || caller.groups?.contains(group.id) == true { return nil }
        return "permission denied: uid \(caller.uid) is not root and not in group \(group.name)"
    }
}
