import Foundation
import P2PNet
import P2PProtocol
import Synchronization
import Testing

/// `IndexConnectionPool` against a real TCP line server on 127.0.0.1 that answers each request
/// line with one reply echoing the request's `request_id` and a per-connection sequence number.
@Suite struct IndexConnectionPoolTests {
    @Test func sequentialRequestsShareOneConnection() async throws {
        let server = try LineServer(closeAfterEachReply: false)
        defer { server.stop() }
        let pool = IndexConnectionPool(endpoint: server.endpoint)
        for number in 0..<20 {
            let reply = try await pool.request(Self.search(id: "r\(number)"))
            #expect(reply.requestID == "r\(number)")
            #expect(reply.payload["line"]?.int64Value == Int64(number + 1))
        }
        #expect(server.connectionsAccepted == 1)
    }

    @Test func aConnectionTheServerClosedIsReplacedAndTheRequestSentAgain() async throws {
        let server = try LineServer(closeAfterEachReply: true)
        defer { server.stop() }
        let pool = IndexConnectionPool(endpoint: server.endpoint)
        for number in 0..<5 {
            let reply = try await pool.request(Self.search(id: "r\(number)"))
            #expect(reply.requestID == "r\(number)")
            // Give the server's close time to arrive, so the next request meets a closed connection.
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.connectionsAccepted == 5)
        #expect(server.linesAnswered == 5)
    }

    @Test func concurrentRequestsGetTheirOwnReplies() async throws {
        let server = try LineServer(closeAfterEachReply: false)
        defer { server.stop() }
        let pool = IndexConnectionPool(endpoint: server.endpoint, maxIdle: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for number in 0..<25 {
                        let id = "w\(worker)-\(number)"
                        let reply = try await pool.request(Self.search(id: id))
                        #expect(reply.requestID == id)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(server.linesAnswered == 100)
        #expect(server.connectionsAccepted <= 8)
    }

    @Test func anIndexThatIsNotListeningIsAClearError() async throws {
        let server = try LineServer(closeAfterEachReply: false)
        let endpoint = server.endpoint
        server.stop()
        let pool = IndexConnectionPool(endpoint: endpoint, timeout: .seconds(2))
        await #expect(throws: (any Error).self) { try await pool.request(Self.search(id: "x")) }
    }

    static func search(id: String) -> Envelope {
        Envelope(
            type: .searchRequest, peerID: "peer9", requestID: id,
            payload: SearchRequest(query: "song.ogg").payload)
    }
}

/// A blocking TCP server on its own threads: one line in, one line out, per connection in order.
private final class LineServer: Sendable {
    let endpoint: PeerEndpoint
    private let listener: Int32
    private let closeAfterEachReply: Bool
    private let accepted = Atomic<Int>(0)
    private let answered = Atomic<Int>(0)

    var connectionsAccepted: Int { accepted.load(ordering: .relaxed) }
    var linesAnswered: Int { answered.load(ordering: .relaxed) }

    init(closeAfterEachReply: Bool) throws {
        self.closeAfterEachReply = closeAfterEachReply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
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

    /// Stops listening; the accept thread closes the descriptor once its `accept` fails. Closing it
    /// here instead would let the number be reused by the next test's listener while this thread
    /// still accepts on it, counting the other server's connections as its own.
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
        var sequence: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                guard let request = try? line.withUnsafeBytes({ try Envelope(line: $0) }) else { return }
                sequence += 1
                let reply = request.reply(.searchResponse, payload: .object([("line", .int(sequence))])).encodedLine()
                guard write(client, reply, reply.count) == reply.count else { return }
                answered.add(1, ordering: .relaxed)
                if closeAfterEachReply { return }
            }
        }
    }
}
