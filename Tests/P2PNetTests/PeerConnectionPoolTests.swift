import NIOCore
import P2PNet
import P2PProtocol
import Testing

/// `PeerClient.obtain` with a `PeerConnectionPool`, against a real `PeerServer` and against
/// servers that do not keep connections, on 127.0.0.1.
@Suite struct PeerConnectionPoolTests {
    /// One obtain; the body collected whole. Asks `keep_alive` like the downloader does.
    static func fetch(
        _ name: String, from endpoint: PeerEndpoint, pool: PeerConnectionPool, offset: Int64 = 0
    ) async throws -> (ObtainResponse, [UInt8]) {
        let request = Envelope(
            type: .obtainRequest, peerID: "peer9",
            payload: ObtainRequest(fileName: name, offset: offset, keepAlive: true).payload)
        return try await PeerClient.obtain(request, from: endpoint, timeout: .seconds(10), pool: pool) { header, body in
            var bytes: [UInt8] = []
            while let chunk = try await body.next() { bytes += chunk.readableBytesView }
            #expect(body.remaining == 0)
            return (header, bytes)
        }
    }

    @Test func fiftySmallFilesFromOneSourceUseFarFewerConnectionsThanFiles() async throws {
        let folder = try ServedFolder()
        var contents: [String: [UInt8]] = [:]
        for number in 0..<50 { contents["f\(number).bin"] = try folder.add("f\(number).bin", count: 1024 + number) }
        let server = try await PeerServerUnderTest(folder: folder)
        let pool = PeerConnectionPool()
        for number in 0..<50 {
            let (header, bytes) = try await Self.fetch("f\(number).bin", from: server.endpoint, pool: pool)
            #expect(header.keepAlive)
            #expect(bytes == contents["f\(number).bin"])
        }
        let uploads = server.uploads
        #expect(uploads.total == 50)
        // One connection carries them all unless the machine stalls for the pool's idle time.
        #expect(uploads.firstOnConnection <= 2, "\(uploads.firstOnConnection) connections for 50 files")
        #expect(pool.reuseCount >= 48)
        #expect(pool.idleCount(for: server.endpoint) == 1)
        await server.stop()
    }

    @Test func concurrentObtainsKeepAtMostTheIdleLimit() async throws {
        let folder = try ServedFolder()
        try folder.add("shared.bin", count: 20_000)
        let server = try await PeerServerUnderTest(folder: folder)
        let pool = PeerConnectionPool(maxIdlePerEndpoint: 2)
        let endpoint = server.endpoint
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    for _ in 0..<10 {
                        let (_, bytes) = try await Self.fetch("shared.bin", from: endpoint, pool: pool)
                        #expect(bytes.count == 20_000)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(server.uploads.total == 60)
        #expect(server.uploads.firstOnConnection < 60)
        #expect(pool.idleCount(for: endpoint) <= 2)
        await server.stop()
    }

    @Test func aKeptConnectionIsClosedAfterThePoolsIdleTime() async throws {
        let folder = try ServedFolder()
        try folder.add("a.bin", count: 10)
        let server = try await PeerServerUnderTest(folder: folder)
        let pool = PeerConnectionPool(idleTime: .milliseconds(200))
        _ = try await Self.fetch("a.bin", from: server.endpoint, pool: pool)
        #expect(pool.idleCount(for: server.endpoint) == 1)
        try await Task.sleep(for: .milliseconds(600))
        #expect(pool.idleCount(for: server.endpoint) == 0)
        _ = try await Self.fetch("a.bin", from: server.endpoint, pool: pool)
        #expect(server.uploads == (total: 2, firstOnConnection: 2))
        await server.stop()
    }

    @Test func anErrorReplyIsNotPooled() async throws {
        let folder = try ServedFolder()
        try folder.add("a.bin", count: 10)
        let server = try await PeerServerUnderTest(folder: folder)
        let pool = PeerConnectionPool()
        await #expect(throws: ClientError.refused(server.endpoint.description, code: "file_not_found")) {
            _ = try await Self.fetch("missing.bin", from: server.endpoint, pool: pool)
        }
        #expect(pool.idleCount(for: server.endpoint) == 0)
        // An offset past the end is refused after the file was found: still not kept.
        await #expect(throws: ClientError.self) {
            _ = try await Self.fetch("a.bin", from: server.endpoint, pool: pool, offset: 11)
        }
        #expect(pool.idleCount(for: server.endpoint) == 0)
        await server.stop()
    }

    @Test func aSeedPeerThatDoesNotEchoIsServedCorrectlyAndNotPooled() async throws {
        let files = ["one.bin": Array(repeating: UInt8(1), count: 3000), "two.bin": Array(0...255)]
        let server = try ScriptedObtainServer(behaviour: .seed, files: files)
        defer { server.stop() }
        let pool = PeerConnectionPool()
        for name in ["one.bin", "two.bin", "one.bin"] {
            let (header, bytes) = try await Self.fetch(name, from: server.endpoint, pool: pool)
            #expect(!header.keepAlive)
            #expect(bytes == files[name])
            #expect(pool.idleCount(for: server.endpoint) == 0)
        }
        #expect(pool.reuseCount == 0)
        #expect(server.connectionsAccepted == 3)
    }

    @Test func aKeptConnectionDroppedAtTheNextRequestIsRetriedOnceOnANewOne() async throws {
        let files = ["one.bin": Array(repeating: UInt8(9), count: 5000)]
        let server = try ScriptedObtainServer(behaviour: .keepsButDropsTheNextRequest, files: files)
        defer { server.stop() }
        let pool = PeerConnectionPool()
        for _ in 0..<3 {
            let (header, bytes) = try await Self.fetch("one.bin", from: server.endpoint, pool: pool)
            #expect(header.keepAlive)
            #expect(bytes == files["one.bin"])
        }
        // Each later request met its kept connection closed, and went out again on a new one.
        #expect(pool.reuseCount == 2)
        #expect(server.connectionsAccepted == 3)
    }
}
