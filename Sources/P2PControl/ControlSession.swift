import P2PProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One connection to a peer daemon's control socket, carrying requests one after another.
///
/// Plain blocking sockets: p2pctl does one thing at a time, and without NIO its binary stays small.
/// The connection closes when the session is deinitialised.
public final class ControlSession {
    public let socketPath: String
    private let descriptor: CInt
    private var pending: [UInt8] = []
    /// Longest reply line accepted (a search or `ls` of a big catalog is a few MB).
    public static let maxLineBytes = 64 << 20

    public init(socketPath: String) throws(ControlClientError) {
        self.socketPath = socketPath
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard socketPath.utf8.count < capacity else { throw .cannotConnect(path: socketPath, code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: socketPath.utf8)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .cannotConnect(path: socketPath, code: errno) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw .cannotConnect(path: socketPath, code: code)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends `request`, hands each event line to `onEvent`, and returns the final reply; a
    /// `{"status": "error"}` reply is thrown as `ControlClientError.daemon`.
    public func send(
        _ request: ControlRequest, onEvent: (ControlEvent) -> Void = { _ in }
    ) throws(ControlClientError) -> ControlFinalReply {
        // A daemon that refuses a caller says why and closes at once, so sending can fail with
        // EPIPE while the reason already waits to be read: read it before reporting the send.
        var sendError: ControlClientError?
        do {
            try write(request.encodedLine())
        } catch {
            sendError = error
        }
        while true {
            let next: [UInt8]?
            do {
                next = try readLine()
            } catch {
                throw sendError ?? error
            }
            guard let line = next else { throw sendError ?? .closedEarly(path: socketPath) }
            let parsed: ControlResponseLine
            do {
                parsed = try ControlResponseLine(line: line)
            } catch {
                throw .badReply(error.description)
            }
            let text = String(decoding: line, as: UTF8.self)
            switch parsed {
            case .event(let event): onEvent(event)
            case .ok(let document): return ControlFinalReply(command: request.command, line: text, document: document)
            case .failure(let reason): throw .daemon(reason: reason, line: text)
            }
        }
    }

    private func write(_ bytes: [UInt8]) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw .io(path: socketPath, code: errno)
            }
            offset += sent
        }
    }

    /// The next line without its newline; `nil` at the end of the stream.
    private func readLine() throws(ControlClientError) -> [UInt8]? {
        var scanned = 0
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return line
            }
            scanned = pending.count
            guard pending.count <= Self.maxLineBytes else {
                throw .badReply("a line longer than \(Self.maxLineBytes) bytes")
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: socketPath, code: errno)
            }
            if count == 0 { return nil }
            pending.append(contentsOf: buffer[..<count])
        }
    }
}

/// A successful final reply: the raw line (what `--json` prints) and its parsed document.
public struct ControlFinalReply: Sendable, Equatable {
    public let command: ControlCommand
    public let line: String
    public let document: JSONValue

    /// The reply as its typed value.
    public func decoded() throws(ControlClientError) -> ControlReply {
        do {
            return try ControlReply(json: document, for: command)
        } catch {
            throw .badReply(error.description)
        }
    }
}
