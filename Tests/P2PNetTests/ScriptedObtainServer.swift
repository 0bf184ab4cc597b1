import Foundation
import P2PProtocol
import Synchronization

/// A blocking obtain server on its own threads that behaves like other implementations may: a
/// seed peer (no `keep_alive` echo, close after the body) or a peer that keeps connections but
/// drops a kept one just as the next request arrives. Counts the connections it accepts.
final class ScriptedObtainServer: Sendable {
    enum Behaviour: Sendable {
        /// Header without `keep_alive`, the body, close: what a seed peer does.
        case seed
        /// Echoes `keep_alive` and serves the first request; closes, unanswered, on the second.
        case keepsButDropsTheNextRequest
    }

    let endpoint: PeerEndpoint
    private let listener: Int32
    private let behaviour: Behaviour
    private let files: [String: [UInt8]]
    private let accepted = Atomic<Int>(0)

    var connectionsAccepted: Int { accepted.load(ordering: .relaxed) }

    init(behaviour: Behaviour, files: [String: [UInt8]]) throws {
        self.behaviour = behaviour
        self.files = files
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        endpoint = PeerEndpoint(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops listening; the accept thread closes the descriptor once its `accept` fails (closing
    /// it here could hand the number to another test's listener while this thread still accepts).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                close(listener)
                return
            }
            accepted.add(1, ordering: .relaxed)
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var pending: [UInt8] = []
        var served = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let newline = pending.firstIndex(of: 0x0A) else {
                let count = read(client, &buffer, buffer.count)
                guard count > 0 else { return }
                pending += buffer[0..<count]
                continue
            }
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            guard let envelope = try? line.withUnsafeBytes({ try Envelope(line: $0) }),
                let request = try? ObtainRequest(payload: envelope.payload),
                let bytes = files[request.fileName ?? ""]
            else { return }
            if served == 1, case .keepsButDropsTheNextRequest = behaviour { return }
            served += 1
            let offset = Int(request.offset ?? 0)
            var header = ObtainResponse(
                fileName: request.fileName!, fileSize: Int64(bytes.count), chunkSize: 1 << 20,
                offset: request.offset)
            if case .keepsButDropsTheNextRequest = behaviour { header.keepAlive = request.keepAlive }
            let reply = envelope.reply(.obtainResponse, payload: header.payload).encodedLine() + bytes[offset...]
            guard reply.withUnsafeBytes({ write(client, $0.baseAddress, $0.count) }) == reply.count else { return }
            if case .seed = behaviour { return }
        }
    }
}
