import P2PProtocol
import Testing

/// The seed's messages exactly as the spec shows them must decode, and our replies must carry
/// every member the seed's clients read.
@Suite struct SeedFormatTests {
    @Test func seedRegistrationWithFilesAsObject() throws {
        let line = """
            {"type": "REGISTRY_REQUEST", "timestamp": 1700000000000, "version": "1.0", "peer_id": "peer1", \
            "request_id": null, "payload": {"files": {"peer1_kb_0001.txt": {"size": 1024}, \
            "peer1_mb_0001.bin": {"size": 1048576}}, "peer": {"host": "127.0.0.1", "port": 7100}}}
            """
        let envelope = try Envelope(line: line)
        #expect(envelope.messageType == .registryRequest)
        #expect(envelope.peerID == "peer1")
        #expect(envelope.requestID == nil)
        let request = try RegistryRequest(payload: envelope.payload)
        #expect(request.endpoint == PeerEndpoint(host: "127.0.0.1", port: 7100))
        #expect(request.mode == .replace)
        #expect(request.heartbeatIntervalSeconds == nil)
        #expect(request.files.map(\.name) == ["peer1_kb_0001.txt", "peer1_mb_0001.bin"])
        #expect(request.files[1].meta.size == 1_048_576)
    }

    @Test func seedRegistrationWithFilesAsArray() throws {
        let payload = try JSONParser.parse(
            #"{"files": [{"name": "a.txt", "size": 3, "sha256": "\#(String(repeating: "AB", count: 32))"}], "peer": {"host": "h", "port": 1}}"#
        )
        let request = try RegistryRequest(payload: payload)
        #expect(
            request.files == [
                SharedFile(name: "a.txt", meta: FileMeta(size: 3, sha256: String(repeating: "ab", count: 32)))
            ])
    }

    @Test func seedSearchInBothShapes() throws {
        let object = try Envelope(
            line:
                #"{"type": "SEARCH_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "peer2", "request_id": "r1", "payload": {"query": {"file_name": "a.txt"}}}"#
        )
        #expect(try SearchRequest(payload: object.payload) == SearchRequest(query: "a.txt"))
        let plain = try JSONParser.parse(#"{"query": "a.txt"}"#)
        #expect(try SearchRequest(payload: plain) == SearchRequest(query: "a.txt"))
    }

    @Test func searchReplyHasTheSeedShape() throws {
        let hit = SearchResponse(
            query: "a.txt",
            results: [
                SearchResult(
                    peerID: "peer1", endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100), fileName: "a.txt",
                    meta: FileMeta(size: 3))
            ]
        ).payload
        #expect(hit["status"] == "ok")
        #expect(hit["file_name"] == "a.txt")
        #expect(
            hit["results"] == [
                [
                    "peer_id": "peer1", "peer": ["host": "127.0.0.1", "port": 7100], "file_name": "a.txt",
                    "meta": ["size": 3],
                ]
            ])
        let miss = SearchResponse(query: "zz", results: []).payload
        #expect(miss["status"] == "error")
        #expect(miss["results"] == [])
    }

    @Test func seedObtainAndItsReply() throws {
        let envelope = try Envelope(
            line:
                #"{"type": "OBTAIN_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "peer2", "request_id": null, "payload": {"file_name": "a.txt"}}"#
        )
        let request = try ObtainRequest(payload: envelope.payload)
        #expect(request.fileName == "a.txt")
        #expect(request.isSeedFormat)
        let reply = envelope.reply(
            .obtainResponse, payload: ObtainResponse(fileName: "a.txt", fileSize: 3, chunkSize: 1 << 20).payload)
        let padded = reply.encodedLine(padTo: 4096)
        #expect(padded.count == 4096)
        #expect(padded.last == 0x0A)
        let decoded = try Envelope(line: String(decoding: padded, as: UTF8.self))
        #expect(decoded.payload["file_size"] == 3)
        #expect(decoded.payload["chunk_size"] == 1_048_576)
        #expect(decoded.payload["status"] == "ok")
    }

    @Test func ourObtainExtensions() throws {
        let digest = String(repeating: "0f", count: 32)
        let request = try ObtainRequest(payload: ["sha256": .string(digest), "offset": 10])
        #expect(!request.isSeedFormat)
        #expect(request.offset == 10)
        #expect(throws: ProtocolError.self) { try ObtainRequest(payload: ["file_name": "a", "offset": -1]) }
        #expect(throws: ProtocolError.self) { try ObtainRequest(payload: ["sha256": "xyz"]) }
        #expect(throws: ProtocolError.self) { try ObtainRequest(payload: [:]) }
        let reply = try ObtainResponse(
            payload: ObtainResponse(fileName: "a", fileSize: 100, chunkSize: 8, offset: 10).payload)
        #expect(reply.bodyLength == 90)
        #expect(throws: ProtocolError.self) {
            try ObtainResponse(payload: ["status": "ok", "file_size": 5, "offset": 6])
        }
    }

    @Test func envelopeErrors() {
        #expect(throws: ProtocolError.notAnObject) { try Envelope(line: "[1,2]") }
        #expect(throws: ProtocolError.missingField("type")) { try Envelope(line: #"{"payload": {}}"#) }
        #expect(throws: ProtocolError.self) { try Envelope(line: "{nope") }
        #expect(throws: ProtocolError.self) { try Envelope(line: #"{"type": "X", "payload": [1]}"#) }
    }

    /// Found by fuzzing (`envelope` target): the other side's error text went raw into our
    /// errors (`invalid status: missing pe\r_id`) and from there into logs, where a line break
    /// forges a line.
    @Test func errorCodesFromTheOtherSideAreOneLine() {
        let payload: JSONValue = ["status": "error", "error": "missing pe\r_id\n<3>forged\u{9B}"]
        #expect(ReplyStatus.errorCode(of: payload) == "missing pe _id <3>forged")
        #expect(ReplyStatus.errorCode(of: ["status": "error"]) == "unknown error")
        #expect(ReplyStatus.errorCode(of: ["status": "ok", "error": "x"]) == nil)
        #expect(throws: ProtocolError.invalidField("status", "missing pe _id <3>forged")) {
            try RegistryResponse(payload: payload)
        }
    }

    /// Found by fuzzing (`control` target, after its error check was widened to C1): names quoted
    /// with `debugDescription` kept C1 controls raw.
    @Test func errorsQuoteWhatTheOtherSideSentSafely() {
        #expect(ProtocolError.unknownType("a\u{9B}b\n\"").description == #"unknown message type "a\u{9B}b\n\"""#)
        let long = ProtocolError.unknownType(String(repeating: "x", count: 5000)).description
        #expect(long.count < 250 && long.hasSuffix("x…\""))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let envelope = try Envelope(
            line: #"{"type": "SEARCH_REQUEST", "extra": {"deep": [1]}, "payload": {"query": "a", "future": true}}"#)
        #expect(try SearchRequest(payload: envelope.payload).query == "a")
    }

    @Test func nameRules() {
        for bad in ["", ".", "..", "a/b", "/etc/passwd", "a\u{0}b", "a\nb", String(repeating: "x", count: 256)] {
            #expect(NameRules.fileNameProblem(bad) != nil, "\(bad.debugDescription) should be refused")
        }
        for good in [
            "a.txt", "..hidden", "-rf", "spaced name.ogg", "ünï😀.bin", "...", String(repeating: "x", count: 255),
        ] {
            #expect(NameRules.fileNameProblem(good) == nil, "\(good.debugDescription) should be accepted")
        }
        #expect(NameRules.peerIDProblem("peer1") == nil)
        #expect(NameRules.peerIDProblem("-x") != nil)
        #expect(NameRules.peerIDProblem("a b") != nil)
    }
}
