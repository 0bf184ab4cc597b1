#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A libsystemd call failed.
///
/// libsystemd reports failures as negative errno values; keeping the call's name and the errno
/// (rather than a formatted message) lets a daemon log it as structured data and decide for
/// itself whether the failure matters: a lost notification rarely does, a bad LISTEN_FDS does.
public struct SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libsystemd function (or Systemd module operation) that failed.
    public var function: String
    /// The positive errno value, e.g. `EINVAL`.
    public var errno: CInt

    public init(function: String, errno: CInt) {
        self.function = function
        self.errno = errno
    }

    /// Makes an error from a libsystemd return value, which is `-errno` on failure.
    init(function: String, returnValue: CInt) {
        self.init(function: function, errno: -returnValue)
    }

    public var description: String {
        guard let text = strerror(errno) else {
            return "\(function): errno \(errno)"
        }
        return "\(function): \(String(cString: text)) (errno \(errno))"
    }
}
