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
    private let listener: BlockingLoopbackListener
    private let answered: AnsweredLines

    var endpoint: PeerEndpoint { listener.endpoint }
    var connectionsAccepted: Int { listener.connectionsAccepted }
    var linesAnswered: Int { answered.count.load(ordering: .relaxed) }

    init(closeAfterEachReply: Bool) throws {
        let answered = AnsweredLines()
        self.answered = answered
        listener = try BlockingLoopbackListener { client in
            Self.serve(client, closeAfterEachReply: closeAfterEachReply, answered: answered)
        }
    }

    func stop() { listener.stop() }

    private static func serve(_ client: Int32, closeAfterEachReply: Bool, answered: AnsweredLines) {
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
                answered.count.add(1, ordering: .relaxed)
                if closeAfterEachReply { return }
            }
        }
    }
}

private final class AnsweredLines: Sendable {
    let count = Atomic<Int>(0)
}
