#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The group whose members may use the control socket (`p2p` by default), besides root and the
/// daemon's own user. The socket file is chowned to it, and callers are checked against it.
public struct ControlGroup: Sendable, Equatable, CustomStringConvertible {
    public var id: gid_t
    /// For messages: "not in group p2p".
    public var name: String

    public init(id: gid_t, name: String) {
        self.id = id
        self.name = name
    }

    public var description: String { name }

    /// Looks a group up by name, or by number (`"998"`), in the system's group database.
    public static func resolve(_ nameOrID: String) throws(ControlGroupError) -> ControlGroup {
        if let id = gid_t(nameOrID) {
            return ControlGroup(id: id, name: lookup { getgrgid_r(id, &$0, $1, $2, $3) }?.name ?? nameOrID)
        }
        guard let found = lookup({ getgrnam_r(nameOrID, &$0, $1, $2, $3) }) else {
            throw .unknownGroup(nameOrID)
        }
        return ControlGroup(id: found.id, name: nameOrID)
    }

    /// Runs a `getgr*_r` call with a buffer that grows on ERANGE.
    private static func lookup(
        _ call: (inout group, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<UnsafeMutablePointer<group>?>)
            -> CInt
    ) -> (id: gid_t, name: String)? {
        var size = 1024
        while size <= 1 << 20 {
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let status = call(&entry, buffer, size, &result)
            if status == ERANGE {
                size *= 4
                continue
            }
            guard status == 0, result != nil else { return nil }
            return (entry.gr_gid, String(cString: entry.gr_name))
        }
        return nil
    }
}

/// A control group that does not exist.
public enum ControlGroupError: Error, Equatable, CustomStringConvertible {
    case unknownGroup(String)

    public var description: String {
        switch self {
        case .unknownGroup(let name): "no group named \(name.debugDescription) (create it, or configure another)"
        }
    }
}
