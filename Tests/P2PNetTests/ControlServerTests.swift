import ControlTestSupport
import Foundation
import NIOCore
import P2PControl
import P2PNet
import P2PProtocol
import Testing

/// `ControlServer` with a fake controller on a scratch Unix socket, driven by the real client and
/// by a raw line client.
@Suite struct ControlServerTests {
    typealias Configure = ControlTestServer.Configure

    func withServer(
        configure: Configure = { _ in }, _ body: (ControlTestServer) async throws -> Void
    ) async throws {
        try await ControlTestServer.with(configure: configure, body)
    }

    func send(_ request: ControlRequest, to path: String) async throws -> ControlReply {
        try await offThread {
            try ControlSession(socketPath: path).send(request).decoded()
        }
    }

    @Test func everyCommandOverARealSocket() async throws {
        try await withServer { server in
            let path = server.socketPath
            #expect(
                try await send(.search(SearchRequest(query: "song.ogg")), to: path)
                    == .searchResults(Array(FakeController.results.prefix(2))))
            #expect(
                try await send(.search(SearchRequest(query: "song", mode: .substring, limit: 1)), to: path)
                    == .searchResults([FakeController.results[0]]))
            guard
                case .outcome(let outcome) = try await send(.download(DownloadCommand(fileName: "song.ogg")), to: path)
            else {
                Issue.record("not an outcome")
                return
            }
            #expect(outcome.verified && outcome.sources == ["peer1", "peer3"] && outcome.size == 3000)
            #expect(try await send(.stats, to: path) == .stats(FakeController.stats))
            guard case .localFiles(let files) = try await send(.localFiles, to: path) else {
                Issue.record("not a file list")
                return
            }
            #expect(files.map(\.folder) == [.shared, .replicated, .downloaded])
            #expect(try await send(.peers, to: path) == .peers(FakeController.peers))
            guard case .outcome(let copy) = try await send(.replicate(fileName: "x.bin"), to: path) else {
                Issue.record("not an outcome")
                return
            }
            #expect(copy.path.hasSuffix("/replicated/x.bin"))
            #expect(try await send(.status, to: path) == .status(FakeController.status))
            #expect(
                server.controller.requests == [
                    "search exact song.ogg", "search substring song", "download song.ogg -", "stats", "ls", "peers",
                    "replicate x.bin", "status",
                ])
        }
    }

    @Test func progressEventsComeBeforeTheFinalLine() async throws {
        try await withServer { server in
            let lines = try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                try client.send(line: #"{"command":"download","file_name":"song.ogg"}"#)
                var lines: [ControlResponseLine] = []
                while let line = try client.readLine() {
                    lines.append(try ControlResponseLine(line: Array(line.utf8)))
                    if case .event = lines.last! { continue }
                    break
                }
                return lines
            }
            let events = lines.dropLast().compactMap { line -> TransferProgress? in
                if case .event(.progress(let progress)) = line { return progress }
                return nil
            }
            #expect(events.count == lines.count - 1)
            #expect(!events.isEmpty)
            #expect(events.map(\.bytes) == events.map(\.bytes).sorted())
            #expect(events.allSatisfy { $0.total == 3000 })
            guard case .ok(let document) = lines.last else {
                Issue.record("no final line: \(lines)")
                return
            }
            #expect(document["path"]?.stringValue?.hasSuffix("/downloaded/song.ogg") == true)
        }
    }

    @Test func aThrowingControllerGivesAnErrorLineAndTheServerKeepsServing() async throws {
        try await withServer { server in
            let replies = try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                try client.send(line: #"{"command":"download","file_name":"boom"}"#)
                let first = try client.readLine()
                try client.send(line: #"{"command":"stats"}"#)
                let second = try client.readLine()
                return [first, second]
            }
            #expect(replies[0] == #"{"status":"error","error":"no peer could serve boom: all 2 sources failed"}"#)
            #expect(replies[1]?.hasPrefix(#"{"status":"ok","peer_id":"peer2""#) == true)

            server.controller.setFailPeers(true)
            await #expect(throws: ControlClientError.self) { try await send(.peers, to: server.socketPath) }
            do {
                _ = try await send(.peers, to: server.socketPath)
            } catch {
                #expect("\(error)" == "index 127.0.0.1:7000 unreachable")
            }
            server.controller.setFailPeers(false)
            #expect(try await send(.peers, to: server.socketPath) == .peers(FakeController.peers))
            #expect(server.logs.all.contains { $0.message == "control command failed" && $0.level == .notice })
        }
    }

    @Test func badRequestsGetReasonsOnTheSameConnection() async throws {
        try await withServer { server in
            let replies = try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                for line in ["{nope", #"{"command":"reboot"}"#, #"{"command":"download"}"#, "[]", #"{"command":"ls"}"#]
                {
                    try client.send(line: line)
                }
                return try (0..<5).map { _ in try client.readLine() ?? "<closed>" }
            }
            #expect(replies[0].hasPrefix(#"{"status":"error","error":"invalid JSON at byte"#))
            #expect(replies[1].contains(#"invalid command: \"reboot\" is not one of search, download"#))
            #expect(replies[2] == #"{"status":"error","error":"missing file_name or sha256"}"#)
            #expect(replies[3] == #"{"status":"error","error":"a message must be a JSON object"}"#)
            #expect(replies[4].hasPrefix(#"{"status":"ok","files":["#))
        }
    }

    @Test func aLineOverTheCapIsRefusedAndTheConnectionClosed() async throws {
        let smallCap: Configure = { $0.maxLineBytes = 1024 }
        try await withServer(configure: smallCap) { server in
            let (reply, after) = try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                try client.send(Array(#"{"command":"search","query":""#.utf8) + [UInt8](repeating: 0x61, count: 4000))
                return (try client.readLine(), try client.readLine())
            }
            #expect(reply == #"{"status":"error","error":"line longer than 1024 bytes"}"#)
            #expect(after == nil)
            #expect(try await send(.status, to: server.socketPath) == .status(FakeController.status))
        }
    }

    @Test func idleConnectionsCloseButLongCommandsDoNot() async throws {
        let quickIdle: Configure = { $0.idleTimeout = .milliseconds(60) }
        try await withServer(configure: quickIdle) { server in
            let started = ContinuousClock.now
            let silent = try await offThread { [path = server.socketPath] in
                try UnixLineClient(path: path).readLine()
            }
            #expect(silent == nil)
            #expect(ContinuousClock.now - started < .seconds(5))
            // The fake download takes about 90 ms: longer than the idle timeout, and not idle.
            let reply = try await send(.download(DownloadCommand(fileName: "song.ogg")), to: server.socketPath)
            guard case .outcome = reply else {
                Issue.record("download was cut off: \(reply)")
                return
            }
        }
    }

    @Test func halfClosedClientsStillGetTheirReplies() async throws {
        try await withServer { server in
            let lines = try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                try client.send(line: #"{"command":"status"}"#)
                try client.send(line: #"{"command":"stats"}"#)
                client.finishSending()
                return [try client.readLine(), try client.readLine(), try client.readLine()]
            }
            #expect(lines[0]?.contains(#""state":"Uploading"#) == true)
            #expect(lines[1]?.contains(#""files_shared":3"#) == true)
            #expect(lines[2] == nil)
        }
    }

    @Test func connectionsOverTheLimitAreRefused() async throws {
        let oneConnection: Configure = { $0.maxConnections = 1 }
        try await withServer(configure: oneConnection) { server in
            let refusal = try await offThread { [path = server.socketPath] in
                let first = try UnixLineClient(path: path)
                try first.send(line: #"{"command":"stats"}"#)
                _ = try first.readLine()
                let second = try UnixLineClient(path: path)
                let line = try second.readLine()
                withExtendedLifetime(first) {}
                return line
            }
            #expect(refusal == #"{"status":"error","error":"too many control connections (limit 1)"}"#)
        }
    }

    @Test func aClientThatLeavesCancelsItsDownload() async throws {
        try await withServer { server in
            try await offThread { [path = server.socketPath] in
                let client = try UnixLineClient(path: path)
                try client.send(line: #"{"command":"download","file_name":"slow"}"#)
                _ = try client.readLine()
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while server.controller.cancelledDownloads == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(server.controller.cancelledDownloads == 1)
        }
    }

    @Test func theSocketFileGetsItsModeAndGroupAndGoesAwayOnStop() async throws {
        let server = try await ControlTestServer.start {
            $0.socketMode = 0o600
            $0.group = ControlGroup(id: 54_321, name: "p2p-test")
        }
        var info = stat()
        #expect(lstat(server.socketPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_gid == 54_321)
        let path = server.socketPath
        await server.stop()
        #expect(access(path, F_OK) != 0)
    }

    @Test func aTCPAddressIsRefused() async throws {
        await #expect(throws: ControlServerError.self) {
            _ = try await ControlTestServer.start { $0.listen = .address(host: "127.0.0.1", port: 0) }
        }
    }

    @Test func anInheritedSocketIsServedAndLeftInPlace() async throws {
        let path = NSTemporaryDirectory() + "p2p-inherited-\(UUID().uuidString).sock"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        #expect(listen(descriptor, 16) == 0)
        defer { unlink(path) }
        let inherited: Configure = { $0.listen = .inherited(descriptor: descriptor) }
        try await withServer(configure: inherited) { _ in
            let reply = try await send(.status, to: path)
            #expect(reply == .status(FakeController.status))
        }
        #expect(access(path, F_OK) == 0)
    }

    @Test func stoppingEndsOpenConnectionsAndRunningCommands() async throws {
        let server = try await ControlTestServer.start()
        let path = server.socketPath
        async let idle = offThread {
            let client = try UnixLineClient(path: path)
            try client.send(line: #"{"command":"status"}"#)
            _ = try client.readLine()
            return try client.readLine()
        }
        async let downloading = offThread {
            let client = try UnixLineClient(path: path)
            try client.send(line: #"{"command":"download","file_name":"slow"}"#)
            var last: String?
            while let line = try client.readLine() { last = line }
            return last
        }
        while server.controller.requests.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        await server.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try await idle == nil)
        #expect(try await downloading == #"{"status":"error","error":"cancelled: the peer daemon is stopping"}"#)
        #expect(server.controller.cancelledDownloads == 1)
    }
}
