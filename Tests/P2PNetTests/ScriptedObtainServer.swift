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

    private let listener: BlockingLoopbackListener

    var endpoint: PeerEndpoint { listener.endpoint }
    var connectionsAccepted: Int { listener.connectionsAccepted }

    init(behaviour: Behaviour, files: [String: [UInt8]]) throws {
        listener = try BlockingLoopbackListener { client in Self.serve(client, behaviour: behaviour, files: files) }
    }

    func stop() { listener.stop() }

    private static func serve(_ client: Int32, behaviour: Behaviour, files: [String: [UInt8]]) {
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
