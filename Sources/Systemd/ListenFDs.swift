import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One socket systemd passed to the daemon (socket activation, `LISTEN_FDS`).
///
/// The socket stays open across daemon restarts because PID 1 holds its own copy: connections
/// that arrive while the daemon restarts queue up instead of being refused. For the same reason
/// the daemon must only ever `close()` it, never `shutdown()` it: shutdown acts on the socket
/// shared with PID 1, not on the daemon's descriptor, and would leave systemd holding a dead
/// listener that the next start inherits.
public struct ListenFD: Sendable, Hashable, CustomStringConvertible {
    /// Socket type, as far as socket activation cares.
    public enum Kind: String, Sendable, Hashable {
        case stream, datagram, sequentialPacket, other
    }

    /// Address family of the socket.
    public enum Family: String, Sendable, Hashable {
        case unix, inet, inet6, other
    }

    /// The descriptor number (3, 4, … in the order of the socket unit's `Listen*=` lines).
    public let fd: CInt
    /// `FileDescriptorName=` of the socket unit (`--fdname=` of systemd-socket-activate), or
    /// `"unknown"` when none was given, as sd_listen_fds_with_names(3) reports it.
    public let name: String
    public let kind: Kind
    public let family: Family

    public init(fd: CInt, name: String, kind: Kind, family: Family) {
        self.fd = fd
        self.name = name
        self.kind = kind
        self.family = family
    }

    /// Classifies a descriptor with sd_is_socket(3). Loosely: the point is to refuse to run a
    /// stream server on a datagram socket by mistake, not to validate every socket option.
    public static func inspect(fd: CInt, name: String) -> ListenFD {
        func isSocket(family: CInt, type: CInt) -> Bool {
            sd_is_socket(fd, family, type, -1) > 0
        }
        let kind: Kind =
            if isSocket(family: AF_UNSPEC, type: CInt(SOCK_STREAM.rawValue)) {
                .stream
            } else if isSocket(family: AF_UNSPEC, type: CInt(SOCK_DGRAM.rawValue)) {
                .datagram
            } else if isSocket(family: AF_UNSPEC, type: CInt(SOCK_SEQPACKET.rawValue)) {
                .sequentialPacket
            } else {
                .other
            }
        let family: Family =
            if isSocket(family: AF_UNIX, type: 0) {
                .unix
            } else if isSocket(family: AF_INET, type: 0) {
                .inet
            } else if isSocket(family: AF_INET6, type: 0) {
                .inet6
            } else {
                .other
            }
        return ListenFD(fd: fd, name: name, kind: kind, family: family)
    }

    public var description: String {
        "fd=\(fd) name=\(name) kind=\(kind.rawValue) family=\(family.rawValue)"
    }
}

/// The sockets systemd passed to this process, with their names.
///
/// A socket passed by systemd wins over the port in the configuration; a daemon looks its
/// sockets up by `FileDescriptorName=` (``first(named:)``), never by position, so that adding a
/// `Listen*=` line to a unit does not silently swap them.
public struct ListenFDs: Sendable {
    /// All passed descriptors in order (fd 3 first). Empty when not socket-activated.
    public let all: [ListenFD]

    public init(_ all: [ListenFD]) {
        self.all = all
    }

    public var isEmpty: Bool { all.isEmpty }

    /// The first passed socket with that `FileDescriptorName=`.
    public func first(named name: String) -> ListenFD? {
        all.first { $0.name == name }
    }

    /// Every passed socket with that name (a unit may list several `ListenStream=` lines, e.g.
    /// one for IPv4 and one for IPv6, which then share the unit's name).
    public func all(named name: String) -> [ListenFD] {
        all.filter { $0.name == name }
    }

    /// Takes over the sockets systemd passed, via sd_listen_fds_with_names(3).
    ///
    /// libsystemd checks `LISTEN_PID` against our PID and sets FD_CLOEXEC on the descriptors.
    ///
    /// - Parameter unsetEnvironment: remove `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES`
    ///   afterwards (the default). The descriptors have exactly one owner: a second call, by us
    ///   or by a library, then finds nothing instead of adopting the same descriptors twice, and
    ///   a child process does not inherit variables that describe descriptors it does not have.
    ///   Because setenv/unsetenv are not thread-safe, call this once, early in `main`, before
    ///   other threads start, and keep the result.
    /// - Throws: ``SystemdError`` if the variables are malformed.
    public static func fromEnvironment(unsetEnvironment: Bool = true) throws(SystemdError)
        -> ListenFDs
    {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        if count < 0 {
            throw SystemdError(function: "sd_listen_fds_with_names", returnValue: count)
        }
        defer {
            // The names come back as a malloc'd NULL-terminated array of malloc'd strings.
            if let names {
                var index = 0
                while let name = names[index] {
                    free(name)
                    index += 1
                }
                free(names)
            }
        }
        var fds: [ListenFD] = []
        fds.reserveCapacity(Int(count))
        for offset in 0..<count {
            let fd = SD_LISTEN_FDS_START + offset
            let name = names?[Int(offset)].map { String(cString: $0) } ?? "unknown"
            fds.append(ListenFD.inspect(fd: fd, name: name))
        }
        return ListenFDs(fds)
    }
}
