import Foundation
import P2PProtocol

/// A blocking TCP client for tests: sends lines, reads lines and raw bytes, with a timeout, the
/// way a simple script or the seed's client talks to our daemons.
final class LineClient {
    let fd: Int32
    private var pending: [UInt8] = []

    /// - Parameter source: the local address to connect from (any of 127.0.0.0/8 is this host),
    ///   so one test can be several clients to a server that counts them per address.
    init(port: Int, host: String = "127.0.0.1", source: String? = nil, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                let error = errno
                close(fd)
                throw ClientError.connect(error)
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw ClientError.connect(errno)
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError.closed }
            offset += n
        }
    }

    func send(_ line: String) throws { try send(Array((line + "\n").utf8)) }

    func send(_ envelope: Envelope) throws { try send(envelope.encodedLine()) }

    /// Reads up to `count` bytes as one recv; empty at end of stream.
    func receiveSome(_ count: Int = 65536) throws -> [UInt8] {
        if !pending.isEmpty {
            let out = Array(pending.prefix(count))
            pending.removeFirst(out.count)
            return out
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
        guard n >= 0 else { throw ClientError.timeout }
        return Array(buffer.prefix(n))
    }

    /// One line without its newline; `nil` at end of stream.
    func readLine() throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if n < 0 { throw ClientError.timeout }
            if n == 0 { return nil }
            pending.append(contentsOf: buffer.prefix(n))
        }
    }

    func request(_ envelope: Envelope) throws -> Envelope {
        try send(envelope)
        guard let line = try readLine() else { throw ClientError.closed }
        return try Envelope(line: line)
    }

    /// Reads exactly `count` bytes after the header.
    func readBytes(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let chunk = try receiveSome(min(1 << 20, count - out.count))
            if chunk.isEmpty { break }
            out.append(contentsOf: chunk)
        }
        return out
    }

    /// True when the server has closed the connection (reads return end of stream).
    func isClosedByServer() -> Bool {
        (try? receiveSome(1))?.isEmpty ?? true
    }
}

enum ClientError: Error {
    case connect(Int32)
    case closed
    case timeout
}
