#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's `NOTIFY_SOCKET`: a daemon started with
/// `NOTIFY_SOCKET=<path>` sends `READY=1` here when it serves, as it would to systemd, so the
/// bench can time exec → READY=1 the way `systemctl start` experiences it.
public final class NotifySocket {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws(BenchError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", path: path, errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw .invalidArgument("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        unlink(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw .system("bind", path: path, errno: code)
        }
        self.path = path
        descriptor = fd
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Waits for a datagram containing `text`; the monotonic time it arrived, or `nil` when
    /// `timeoutSeconds` pass first or `alive` says the sender is gone.
    public func waitFor(_ text: String, timeoutSeconds: Double, alive: () -> Bool) -> UInt64? {
        let start = MonotonicTime.now()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 5) == 1 else {
                if !alive() { return nil }
                continue
            }
            let arrived = MonotonicTime.now()
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0, String(decoding: buffer[..<count], as: UTF8.self).contains(text) { return arrived }
        }
        return nil
    }
}
