import NIOCore
import P2PNet
import P2PProtocol
import Testing

/// The server side of `keep_alive` on a real `PeerServer`, seen from a plain blocking socket: what
/// the header says, and when the connection ends.
@Suite struct KeptObtainConnectionTests {
    @Test func twoObtainsWithKeepAliveArriveCompleteOnOneConnection() async throws {
        let folder = try ServedFolder()
        let first = try folder.add("first.bin", count: 3000)
        let second = try folder.add("second.bin", count: 700_000)
        let server = try await PeerServerUnderTest(folder: folder)
        let port = server.port
        let (headers, bodies) = try await offThread {
            // Reads wait at most 2 s, well inside the server's 5 s idle time.
            let socket = try BlockingPeerSocket(port: port, timeout: 2)
            var headers: [ObtainResponse] = []
            var bodies: [[UInt8]] = []
            for name in ["first.bin", "second.bin"] {
                socket.sendObtain(ObtainRequest(fileName: name, offset: 0, keepAlive: true))
                let header = try ObtainResponse(payload: try socket.readHeader().payload)
                headers.append(header)
                bodies.append(try socket.readExactly(Int(header.bodyLength)))
            }
            // The connection stays open: no close, no stray byte, within a short wait.
            #expect(throws: BlockingPeerSocket.Failure.timeout) { _ = try socket.endsWithoutMoreBytes() }
            return (headers, bodies)
        }
        #expect(headers.map(\.keepAlive) == [true, true])
        #expect(headers.map(\.fileName) == ["first.bin", "second.bin"])
        #expect(bodies == [first, second])
        #expect(server.uploads == (total: 2, firstOnConnection: 1))
        #expect(server.counters.uploadsInFlight.load(ordering: .relaxed) == 0)
        await server.stop()
    }

    @Test func withoutKeepAliveTheConnectionEndsAfterTheBodyAndTheSeedHeaderIsStillPadded() async throws {
        let folder = try ServedFolder()
        let bytes = try folder.add("song.ogg", count: 5000)
        let server = try await PeerServerUnderTest(folder: folder)
        let port = server.port
        // A seed-format request (no sha256, no offset, no keep_alive) and one of ours without keep_alive.
        let requests = [ObtainRequest(fileName: "song.ogg"), ObtainRequest(fileName: "song.ogg", offset: 100)]
        for request in requests {
            let (line, body, ended) = try await offThread {
                let socket = try BlockingPeerSocket(port: port)
                socket.sendObtain(request)
                let line = try socket.readLine()
                let header = try ObtainResponse(
                    payload: try line.withUnsafeBytes { try Envelope(line: $0) }.payload)
                let body = try socket.readExactly(Int(header.bodyLength))
                return (line, body, try socket.endsWithoutMoreBytes())
            }
            let header = try ObtainResponse(payload: try line.withUnsafeBytes { try Envelope(line: $0) }.payload)
            #expect(!header.keepAlive)
            #expect(!String(decoding: line, as: UTF8.self).contains("keep_alive"))
            #expect(line.count == (request.isSeedFormat ? 4096 : line.count))
            #expect(request.isSeedFormat || line.count < 1000)
            #expect(body == Array(bytes[Int(request.offset ?? 0)...]))
            #expect(ended, "the connection should end after the body")
        }
        await server.stop()
    }

    @Test func anErrorReplyEndsTheConnectionEvenWithKeepAlive() async throws {
        let folder = try ServedFolder()
        try folder.add("here.bin", count: 10)
        let server = try await PeerServerUnderTest(folder: folder)
        let port = server.port
        let (first, error, ended) = try await offThread {
            let socket = try BlockingPeerSocket(port: port)
            socket.sendObtain(ObtainRequest(fileName: "here.bin", offset: 0, keepAlive: true))
            let first = try ObtainResponse(payload: try socket.readHeader().payload)
            _ = try socket.readExactly(Int(first.bodyLength))
            // The second request on the kept connection asks for a file that is not there.
            socket.sendObtain(ObtainRequest(fileName: "missing.bin", offset: 0, keepAlive: true))
            let error = try socket.readHeader()
            return (first, error, try socket.endsWithoutMoreBytes())
        }
        #expect(first.keepAlive)
        #expect(ReplyStatus.errorCode(of: error.payload) == "file_not_found")
        #expect(error.payload["keep_alive"] == nil)
        #expect(ended, "an error reply should end the connection")
        await server.stop()
    }

    @Test func anIdleKeptConnectionIsClosedByTheServerAfterItsIdleTime() async throws {
        let folder = try ServedFolder()
        try folder.add("small.bin", count: 100)
        let server = try await PeerServerUnderTest(keepAliveIdle: .milliseconds(300), folder: folder)
        let port = server.port
        let (waited, ended) = try await offThread {
            let socket = try BlockingPeerSocket(port: port, timeout: 5)
            socket.sendObtain(ObtainRequest(fileName: "small.bin", offset: 0, keepAlive: true))
            let header = try ObtainResponse(payload: try socket.readHeader().payload)
            _ = try socket.readExactly(Int(header.bodyLength))
            let start = ContinuousClock.now
            let ended = try socket.endsWithoutMoreBytes()
            return (ContinuousClock.now - start, ended)
        }
        #expect(ended)
        #expect(waited >= .milliseconds(250), "closed after \(waited), before its idle time")
        #expect(waited < .seconds(3), "closed only after \(waited)")
        await server.stop()
    }

    @Test func aLineSentBeforeTheBodyEndedClosesTheKeptConnectionAfterTheBody() async throws {
        let folder = try ServedFolder()
        // More than the socket buffers hold, so the first body is still going out when the second
        // line arrives.
        let bytes = try folder.add("big.bin", count: 32 << 20)
        let server = try await PeerServerUnderTest(folder: folder)
        let port = server.port
        let (body, ended) = try await offThread {
            let socket = try BlockingPeerSocket(port: port)
            let request = Envelope(
                type: .obtainRequest, peerID: "peer9",
                payload: ObtainRequest(fileName: "big.bin", offset: 0, keepAlive: true).payload)
            // Pipelined: the second request goes out before the first body is read.
            socket.send(request.encodedLine() + request.encodedLine())
            let header = try ObtainResponse(payload: try socket.readHeader().payload)
            let body = try socket.readExactly(Int(header.bodyLength))
            return (body, try socket.endsWithoutMoreBytes())
        }
        #expect(body == bytes)
        #expect(ended, "a client that pipelines is not kept")
        await server.stop()
    }
}
