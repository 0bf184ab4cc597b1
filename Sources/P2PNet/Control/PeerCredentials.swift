import CPeerCredentials
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who connected to the control socket, as the kernel saw it at connect time (SO_PEERCRED,
/// SO_PEERGROUPS): the file mode alone is not trusted, since a socket may be passed on or its
/// mode loosened by hand.
public struct PeerCredentials: Sendable, Equatable {
    public var pid: pid_t
    public var uid: uid_t
    /// The primary group.
    public var gid: gid_t
    /// Supplementary groups; `nil` when the kernel could not say (too many, or a kernel before
    /// 4.13), in which case only the uid and primary group count.
    public var groups: [gid_t]?

    public init(pid: pid_t, uid: uid_t, gid: gid_t, groups: [gid_t]?) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    /// Reads the credentials of the process on the other end of a Unix socket channel.
    static func read(from channel: Channel) async throws -> PeerCredentials {
        guard let provider = channel as? SocketOptionProvider else { throw PeerCredentialsError.notASocket }
        let level = SocketOptionLevel(SOL_SOCKET)
        let ucred: p2p_ucred = try await provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(p2p_so_peercred)
        ).get()
        let list: p2p_peer_groups? = try? await provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(p2p_so_peergroups)
        ).get()
        return PeerCredentials(pid: ucred.pid, uid: ucred.uid, gid: ucred.gid, groups: list.map(Self.groups(in:)))
    }

    /// The groups in a zero-filled SO_PEERGROUPS buffer. The kernel writes them sorted and
    /// distinct, so a zero after the first entry is the padding: the end of the list. (A list
    /// that is only group 0 reads as empty; root's group is not a sensible control group.)
    static func groups(in list: p2p_peer_groups) -> [gid_t] {
        withUnsafeBytes(of: list.groups) { raw in
            let all = raw.bindMemory(to: gid_t.self)
            var found: [gid_t] = []
            for (index, gid) in all.enumerated() {
                if gid == 0 && index > 0 { break }
                if gid != 0 { found.append(gid) }
            }
            return found
        }
    }
}

enum PeerCredentialsError: Error, CustomStringConvertible {
    case notASocket

    var description: String { "cannot read the caller's credentials: not a Unix socket" }
}
