import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP connection carrying newline-terminated lines: what a benchmark client needs
/// and no more. Nagle is off (one small request at a time); reads time out after `timeout`, so a
/// stuck server fails the run instead of hanging it.
public final class LineSocket {
    private let descriptor: Int32
    private let peer: String
    private var pending: [UInt8] = []
    private var start = 0
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    public init(connectingTo address: SocketAddress, timeoutSeconds: Int = 30) throws(BenchError) {
        peer = address.text
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", path: peer, errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw .system("connect", path: peer, errno: code)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    public func send(_ bytes: [UInt8]) throws(BenchError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw .system("send", path: peer, errno: errno)
            }
            offset += sent
        }
    }

    /// The next line without its newline; `nil` when the server closed the connection first.
    public func readLine(maxBytes: Int = 64 << 20) throws(BenchError) -> [UInt8]? {
        var scanned = start
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                let line = Array(pending[start..<newline])
                start = newline + 1
                if start == pending.count {
                    pending.removeAll(keepingCapacity: true)
                    start = 0
                }
                return line
            }
            scanned = pending.count
            guard pending.count - start <= maxBytes else {
                throw .protocolFailure("\(peer) sent a line longer than \(maxBytes) bytes")
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system("recv", path: peer, errno: errno)
            }
            if count == 0 { return nil }
            if start > 0 {
                pending.removeFirst(start)
                scanned -= start
                start = 0
            }
            pending.append(contentsOf: buffer[..<count])
        }
    }

    /// Sends one envelope and parses the reply line.
    public func request(_ envelope: Envelope) throws(BenchError) -> Envelope {
        try send(envelope.encodedLine())
        guard let line = try readLine() else { throw .protocolFailure("\(peer) closed the connection without a reply") }
        do {
            return try line.withUnsafeBytes { raw throws(ProtocolError) in try Envelope(line: raw) }
        } catch {
            throw .protocolFailure("\(peer) sent an unreadable reply: \(error)")
        }
    }
}
