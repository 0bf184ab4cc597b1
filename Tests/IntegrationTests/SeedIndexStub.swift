import Foundation
import P2PProtocol

/// An index that speaks only the seed's protocol, the way the seed's server does: registrations
/// add to what a peer had, searches answer by exact name, any other type gets an error, and each
/// read of the socket handles its first line only (so pipelined requests are lost).
final class SeedIndexStub: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var files: [String: [(peerID: String, host: String, port: Int, meta: JSONValue)]] = [:]
    private(set) var registrations = 0

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 ? getsockname(listener, pointer, &length) : -1
            }
        }
        Glibc.listen(listener, 64)
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops listening; the accept thread closes the descriptor when its `accept` fails, so the
    /// number cannot be reused by another listener while that thread still accepts on it.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    var registrationCount: Int { lock.withLock { registrations } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                close(listener)
                return
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        while true {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            pending += buffer[..<count]
            guard let newline = pending.firstIndex(of: 0x0A) else { continue }
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending = []  // The rest of this read is dropped, as the seed's server does.
            guard let request = try? Envelope(line: line) else { return }
            let reply = respond(request)
            var bytes = Array((reply.serialized + "\n").utf8)
            _ = send(client, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
        }
    }

    private func respond(_ request: Envelope) -> JSONValue {
        func envelope(_ type: String, _ payload: JSONValue) -> JSONValue {
            [
                "type": .string(type), "timestamp": 0, "version": "1.0", "peer_id": nil, "request_id": nil,
                "payload": payload,
            ]
        }
        switch request.type {
        case "REGISTRY_REQUEST":
            var entries: [(String, JSONValue)] = []
            switch request.payload["files"] {
            case .object(let members)?: entries = members
            case .array(let elements)?: entries = elements.compactMap { e in e["name"]?.stringValue.map { ($0, e) } }
            default: break
            }
            guard let peerID = request.peerID, let host = request.payload["peer"]?["host"]?.stringValue,
                let port = request.payload["peer"]?["port"]?.int64Value
            else { return envelope("REGISTRY_RESPONSE", ["status": "error", "error": "bad registration"]) }
            lock.withLock {
                registrations += 1
                for (name, meta) in entries {
                    files[name, default: []].removeAll { $0.peerID == peerID }
                    files[name, default: []].append((peerID, host, Int(port), meta))
                }
            }
            return envelope(
                "REGISTRY_RESPONSE",
                [
                    "status": "ok", "registered_files": .int(Int64(entries.count)), "replication_required": false,
                    "replication_tasks": [],
                ])
        case "SEARCH_REQUEST":
            let name =
                request.payload["query"]?["file_name"]?.stringValue ?? request.payload["query"]?.stringValue ?? ""
            let holders = lock.withLock { files[name] ?? [] }
            let results: [JSONValue] = holders.map {
                [
                    "peer_id": .string($0.peerID), "peer": ["host": .string($0.host), "port": .int(Int64($0.port))],
                    "meta": $0.meta,
                ]
            }
            return envelope(
                "SEARCH_RESPONSE",
                ["status": results.isEmpty ? "error" : "ok", "file_name": .string(name), "results": .array(results)])
        default:
            return envelope("ERROR", ["status": "error", "error": "Unknown message type"])
        }
    }
}
