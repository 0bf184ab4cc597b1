#if canImport(Glibc)
    import Glibc
#endif

/// Ports for the anchor servers, which (unlike our daemons) cannot be asked for port 0 and then
/// report the one they got.
public enum LoopbackPort {
    /// A port the kernel just handed out for 127.0.0.1 and that is free again: bind to port 0,
    /// read the port, close. Another program could take it in between; the servers then fail to
    /// start with a clear message rather than measure the wrong thing.
    public static func ephemeral() throws(BenchError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", path: "127.0.0.1", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw .system("bind", path: "127.0.0.1:0", errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`; fails when `server`
    /// exits or `timeoutSeconds` pass first.
    public static func waitUntilListening(
        _ port: Int, server: ChildProcess, timeoutSeconds: Double = 10
    ) throws(BenchError) {
        let address = try HostPort(host: "127.0.0.1", port: port).resolve()
        let start = MonotonicTime.now()
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            if (try? LineSocket(connectingTo: address, timeoutSeconds: 1)) != nil { return }
            guard server.isRunning else { throw .daemon("\(server.name) exited early: \(server.tail(5))") }
            Sleep.milliseconds(20)
        }
        throw .daemon("\(server.name) did not listen on 127.0.0.1:\(port) within \(Int(timeoutSeconds)) s")
    }
}
