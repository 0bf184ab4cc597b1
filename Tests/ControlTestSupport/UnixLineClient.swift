#if canImport(Glibc)
    import Glibc
#endif

/// A blocking Unix-socket client that sends raw bytes and reads raw lines, for the cases a real
/// client never produces (bad JSON, oversized lines, silence). Reads time out, so a test fails
/// instead of hanging.
public final class UnixLineClient {
    public let fd: CInt
    private var pending: [UInt8] = []

    public init(path: String, timeoutSeconds: Int = 10) throws(UnixLineClientError) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw .connect(code)
        }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) throws(UnixLineClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw .closed }
            offset += n
        }
    }

    public func send(line: String) throws(UnixLineClientError) { try send(Array((line + "\n").utf8)) }

    /// One line without its newline; `nil` when the server closed the connection.
    public func readLine() throws(UnixLineClientError) -> String? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? .timeout : .closed }
            if n == 0 { return nil }
            pending.append(contentsOf: buffer[..<n])
        }
    }

    /// Half-closes: "no more requests", while replies can still arrive.
    public func finishSending() { shutdown(fd, Int32(SHUT_WR)) }
}

public enum UnixLineClientError: Error, Equatable {
    case connect(CInt)
    case closed
    case timeout
}
