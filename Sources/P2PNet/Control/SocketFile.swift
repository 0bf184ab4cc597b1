#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sets the mode and group of a Unix socket file we bound, so that the control group can connect.
///
/// Between bind and chmod the file has the umask's mode (only the owner can connect), so the
/// window admits no one extra; the SO_PEERCRED check is the real gate anyway.
enum SocketFile {
    static func setPermissions(path: String, mode: mode_t, group: ControlGroup?) throws(SocketFileError) {
        if let group, chown(path, uid_t.max, group.id) != 0 {
            throw .failed("chown to group \(group.name)", path, errno)
        }
        if chmod(path, mode) != 0 { throw .failed("chmod \(String(mode, radix: 8))", path, errno) }
    }
}

/// chmod or chown of the socket file failed; names the file, the step and the reason.
public struct SocketFileError: Error, CustomStringConvertible {
    public let step: String
    public let path: String
    public let code: CInt

    static func failed(_ step: String, _ path: String, _ code: CInt) -> SocketFileError {
        SocketFileError(step: step, path: path, code: code)
    }

    public var description: String { "cannot \(step) \(path): \(String(cString: strerror(code)))" }
}
