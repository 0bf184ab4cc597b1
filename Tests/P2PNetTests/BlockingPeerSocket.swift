import Foundation
import P2PProtocol

/// A plain blocking TCP client on 127.0.0.1 that speaks the obtain protocol byte by byte, so a
/// test sees exactly what a server sends and when it closes. Every read waits at most `timeout`.
/// Use it off the cooperative pool (`offThread`).
final class BlockingPeerSocket {
    private let descriptor: Int32
    private var pending: [UInt8] = []

    enum Failure: Error { case connect, timeout, closedEarly }

    init(port: Int, timeout: Double = 5) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else {
            close(descriptor)
            throw Failure.connect
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    func sendObtain(_ request: ObtainRequest, type: MessageType = .obtainRequest) {
        send(Envelope(type: type, peerID: "peer9", payload: request.payload).encodedLine())
    }

    /// One line, newline included.
    func readLine() throws -> [UInt8] {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[...newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard try fill() else { throw Failure.closedEarly }
        }
    }

    /// The reply header, parsed.
    func readHeader() throws -> Envelope {
        let line = try readLine()
        return try line.withUnsafeBytes { try Envelope(line: UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        while pending.count < count {
            guard try fill() else { throw Failure.closedEarly }
        }
        let bytes = Array(pending[..<count])
        pending.removeSubrange(..<count)
        return bytes
    }

    /// True when the server closed the connection with nothing more sent; false if bytes came.
    /// Throws `timeout` when the connection stays open and silent.
    func endsWithoutMoreBytes() throws -> Bool {
        if !pending.isEmpty { return false }
        return try !fill()
    }

    /// Reads once; false at the end of the stream.
    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(descriptor, &buffer, buffer.count)
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timeout }
            if errno == ECONNRESET { return false }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        pending += buffer[..<count]
        return count > 0
    }
}
