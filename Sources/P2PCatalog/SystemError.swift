import Glibc
import P2PProtocol

/// A failed system call, with what was being done and to which path.
///
/// The catalog talks to the kernel directly (no Foundation), so errors carry `errno` as is; the
/// description adds `strerror` text so a log line says what went wrong without a lookup.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The system call or step that failed, e.g. `"openat"`.
    public var operation: String
    /// The path (or name) involved, already escaped for display; empty when there is none.
    public var path: String
    /// The `errno` value.
    public var errno: Int32

    public init(_ operation: String, path: String = "", errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Captures the current `errno` for a call that just failed.
    static func last(_ operation: String, path: String = "") -> SystemError {
        SystemError(operation, path: path, errno: Glibc.errno)
    }

    /// As `last`, with `path` escaped for display.
    static func last(_ operation: String, pathBytes: [UInt8]) -> SystemError {
        SystemError(operation, path: EscapedBytes.quoted(pathBytes), errno: Glibc.errno)
    }

    public var description: String {
        let message = String(cString: strerror(errno))
        return path.isEmpty ? "\(operation): \(message)" : "\(operation) \(path): \(message)"
    }
}
