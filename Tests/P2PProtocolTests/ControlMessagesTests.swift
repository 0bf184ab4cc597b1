import P2PProtocol
import Testing

@Suite struct ControlMessagesTests {
    static let digest = String(repeating: "ab", count: 32)

    static let requests: [ControlRequest] = [
        .search(SearchRequest(query: "song.ogg")),
        .search(SearchRequest(query: "*.ogg", mode: .glob, limit: 5)),
        .search(SearchRequest(query: digest, mode: .sha256)),
        .download(DownloadCommand(fileName: "song.ogg")),
        .download(DownloadCommand(sha256: digest)),
        .download(DownloadCommand(fileName: "a b.txt", sha256: digest)),
        .stats, .localFiles, .peers, .replicate(fileName: "x.bin"), .status,
    ]

    @Test(arguments: requests) func requestsRoundTrip(_ request: ControlRequest) throws {
        let line = request.encodedLine()
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        #expect(try ControlRequest(line: line.dropLast()) == request)
    }

    @Test func requestsReadTheDocumentedShape() throws {
        let search = try ControlRequest(line: Array(#"{"command": "search", "query": "a", "mode": "substring"}"#.utf8))
        #expect(search == .search(SearchRequest(query: "a", mode: .substring)))
        let download = try ControlRequest(
            line: Array(#"{"command":"download","sha256":"\#(Self.digest.uppercased())"}"#.utf8))
        #expect(download == .download(DownloadCommand(sha256: Self.digest)))
        #expect(try ControlRequest(json: ["command": "ls"]).command == .ls)
        #expect(ControlRequest.stats.json.serialized == #"{"command":"stats"}"#)
    }

    @Test func badRequestsNameTheProblem() {
        func problem(_ json: JSONValue) -> String? {
            do {
                _ = try ControlRequest(json: json)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem(["command": "reboot"])?.contains(#""reboot" is not one of search"#) == true)
        #expect(problem(["query": "x"]) == "missing command")
        #expect(problem(["command": "download"]) == "missing file_name or sha256")
        #expect(
            problem(["command": "download", "file_name": "../etc/passwd"])
                == "invalid file_name: contains '/'; a name must be a single path component")
        #expect(problem(["command": "download", "sha256": "abc"]) == "invalid sha256: expected 64 hex digits")
        #expect(problem(["command": "search", "query": "x", "mode": "regex"])?.hasPrefix("invalid mode") == true)
        #expect(problem(["command": "search", "query": "x", "limit": 0])?.hasPrefix("invalid limit") == true)
        #expect(problem(["command": "search", "query": ""])?.hasPrefix("invalid query") == true)
        #expect(problem(["command": "replicate"]) == "missing file_name")
        #expect(problem([1, 2]) == "a message must be a JSON object")
        #expect(throws: ProtocolError.self) { try ControlRequest(line: Array("{nope".utf8)) }
    }

    static let outcome = DownloadOutcome(
        fileName: "song.ogg", path: "/var/lib/p2p/peer2/downloaded/song.ogg", size: 1_048_576, sha256: digest,
        verified: true, resumedFrom: 4096, sources: ["peer1", "peer3"], note: "chose the one held by 2 peers")

    static let replies: [(ControlCommand, ControlReply)] = [
        (
            .search,
            .searchResults([
                SearchResult(
                    peerID: "peer1", endpoint: PeerEndpoint(host: "10.0.0.1", port: 7100), fileName: "song.ogg",
                    meta: FileMeta(size: 5, sha256: digest))
            ])
        ),
        (.search, .searchResults([])),
        (.download, .outcome(outcome)),
        (
            .replicate,
            .outcome(
                DownloadOutcome(
                    fileName: "x", path: "/r/x", size: 0, sha256: nil, verified: false, sources: ["peer1"]))
        ),
        (
            .stats,
            .stats(
                PeerStats(
                    peerID: "peer2", filesShared: 3, filesReplicated: 1, bytesUploaded: 10, bytesDownloaded: 1 << 40,
                    uploadRate: 7, downloadRate: 9, uploadsInFlight: 1, downloadsInFlight: 2, downloadsCompleted: 4,
                    downloadsFailed: 5, indexReachable: true))
        ),
        (
            .ls,
            .localFiles([
                LocalFile(name: "a", folder: .shared, size: 1, sha256: digest),
                LocalFile(name: "b", folder: .downloaded, size: 2),
            ])
        ),
        (
            .peers,
            .peers([
                PeerSummary(
                    peerID: "peer1", endpoint: PeerEndpoint(host: "::1", port: 7100), fileCount: 3,
                    idleMilliseconds: 250, heartbeats: true)
            ])
        ),
        (
            .status,
            .status(
                PeerStatus(
                    peerID: "peer2", version: "0.1.0", listen: "0.0.0.0:7101", index: "127.0.0.1:7000",
                    indexReachable: false, registeredFiles: 0, uptimeSeconds: 12, state: "index unreachable"))
        ),
    ]

    @Test(arguments: 0..<replies.count) func repliesRoundTripThroughTheFinalLine(_ index: Int) throws {
        let (command, reply) = Self.replies[index]
        let line = ControlResponseLine.ok(reply.json).encodedLine()
        guard case .ok(let document) = try ControlResponseLine(line: line.dropLast()) else {
            Issue.record("not an ok line")
            return
        }
        #expect(document.members.first?.0 == "status")
        #expect(try ControlReply(json: document, for: command) == reply)
    }

    @Test func outcomeIsFlatForScripts() throws {
        let json = ControlReply.outcome(Self.outcome).json
        #expect(json["status"] == "ok")
        #expect(json["size"] == 1_048_576)
        #expect(json["verified"] == true)
        #expect(json["sources"] == ["peer1", "peer3"])
        let unverified = DownloadOutcome(fileName: "x", path: "/x", size: 1, sha256: nil, verified: false, sources: [])
        #expect(unverified.json["sha256"] == .null)
        #expect(unverified.json["note"] == nil)
    }

    @Test func progressEventsRoundTrip() throws {
        let progress = TransferProgress(bytes: 10, total: 100, source: "peer1")
        let line = ControlResponseLine.event(.progress(progress)).encodedLine()
        #expect(
            String(decoding: line, as: UTF8.self) == #"{"event":"progress","bytes":10,"total":100,"source":"peer1"}"#
                + "\n")
        #expect(try ControlResponseLine(line: line.dropLast()) == .event(.progress(progress)))
        let future = try ControlResponseLine(json: ["event": "hashing", "files": 3])
        #expect(future == .event(.unknown("hashing", ["event": "hashing", "files": 3])))
    }

    @Test func failuresAreOneLine() throws {
        struct Multiline: Error, CustomStringConvertible {
            var description: String { "first line\nsecond\r\n\tthird  " }
        }
        let line = ControlResponseLine.failure(describing: Multiline())
        #expect(line == .failure("first line second third"))
        let bytes = line.encodedLine()
        #expect(bytes.dropLast().contains(0x0A) == false)
        #expect(
            String(decoding: bytes, as: UTF8.self) == #"{"status":"error","error":"first line second third"}"# + "\n")
        #expect(try ControlResponseLine(line: bytes.dropLast()) == .failure("first line second third"))
        #expect(ControlResponseLine.oneLine(String(repeating: "é", count: 2000)).utf8.count <= 1000)
        #expect(ControlResponseLine.oneLine("\n") == "unknown error")
        // Found by fuzzing (`control` target): C1 controls passed through, and U+009B is an 8-bit
        // CSI to some terminals.
        #expect(ControlResponseLine.oneLine("a\u{9B}2J\u{85}b\u{7F}") == "a 2J b")
        #expect(throws: ProtocolError.self) { try ControlResponseLine(json: ["status": "maybe"]) }
    }
}
