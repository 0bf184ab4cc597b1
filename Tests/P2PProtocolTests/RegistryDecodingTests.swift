import P2PProtocol
import Testing

/// The streaming registration decoder must read exactly what the generic parser and
/// `RegistryRequest(payload:)` read, and refuse exactly what they refuse.
@Suite struct RegistryDecodingTests {
    func viaTree(_ line: String) throws -> (Envelope, [SharedFile]) {
        let envelope = try Envelope(line: line)
        return (envelope, try RegistryRequest(payload: envelope.payload).files)
    }

    func viaDecoder(_ line: String) throws -> (Envelope, [SharedFile]) {
        let bytes = Array(line.utf8)
        let parsed = try bytes.withUnsafeBytes { raw in try IndexRequestLine(line: raw) }
        let entries = try #require(parsed.registryEntries)
        // The tree holds an empty placeholder of the same kind.
        #expect(try RegistryRequest(payload: parsed.envelope.payload).files.isEmpty)
        return (parsed.envelope, entries.sharedFiles)
    }

    func registration(_ files: String, extra: String = "") -> String {
        #"{"type":"REGISTRY_REQUEST","peer_id":"p1","payload":{"peer":{"host":"127.0.0.1","port":7001},"files":"#
            + files + extra + "}}"
    }

    let digest = String(repeating: "ab", count: 32)

    @Test(arguments: [
        #"[]"#,
        #"{}"#,
        #"[{"name":"a.txt","size":3,"sha256":"DIGEST"},{"file_name":"b.txt"},{"name":"c","size":null}]"#,
        #"[{"name":7,"file_name":"fallback"},{"name":"x","name":5},{"name":"y","size":-1},{"name":"z","size":1.0}]"#,
        #"[{"name":"big","size":1e3},{"name":"frac","size":1.5},{"name":"str","size":"1"},{"name":"dup","size":1,"size":null}]"#,
        #"[{"name":"h","sha256":"nothex"},{"name":"h2","sha256":"DIGEST","sha256":5},{"name":"\u00e9\ud83d\ude00\ud800\n"}]"#,
        #"[1,"s",null,[{"name":"nested"}],{"extra":{"deep":[1,{"a":"b"}]},"name":"ok"}]"#,
        #"{"a.txt":{"size":1,"sha256":"DIGEST"},"b":5,"c":{"size":-2},"d":null,"a.txt":{}}"#,
        #"[ { "name" : "spaced" , "size" : 12 } , { } ]"#,
    ])
    func decodesLikeTheTree(files: String) throws {
        let line = registration(files.replacingOccurrences(of: "DIGEST", with: digest))
        let tree = try viaTree(line)
        let decoded = try viaDecoder(line)
        #expect(decoded.0.type == tree.0.type)
        #expect(decoded.0.peerID == tree.0.peerID)
        #expect(decoded.1 == tree.1)
    }

    @Test(arguments: [
        #"[{"name":"a"},]"#,
        #"[{"name":"a\x"}]"#,
        #"[{"name":"\ud8"}]"#,
        #"[{"name":"a"}"#,
        #"{"a":}"#,
        #"[{"name":01}]"#,
        String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
    ])
    func refusesWhatTheTreeRefuses(files: String) throws {
        let line = registration(files)
        var treeError: ProtocolError?
        do { _ = try viaTree(line) } catch let error as ProtocolError { treeError = error }
        var decoderError: ProtocolError?
        do {
            let bytes = Array(line.utf8)
            _ = try bytes.withUnsafeBytes { raw in try IndexRequestLine(line: raw) }
        } catch let error as ProtocolError {
            decoderError = error
        }
        #expect(treeError != nil)
        #expect(decoderError == treeError)
    }

    @Test func invalidUTF8AnywhereInFilesIsInvalidJSONAsBefore() throws {
        var bytes = Array(registration(#"[{"name":"aXb"}]"#).utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "X"))!] = 0xFF
        let tree: ProtocolError? = bytes.withUnsafeBytes { raw in
            do throws(ProtocolError) { _ = try Envelope(line: raw) } catch { return error }
            return nil
        }
        let decoded: ProtocolError? = bytes.withUnsafeBytes { raw in
            do throws(ProtocolError) { _ = try IndexRequestLine(line: raw) } catch { return error }
            return nil
        }
        #expect(tree != nil)
        #expect(decoded == tree)
    }

    @Test func aRepeatedFilesMemberOrPayloadKeepsTheLastOne() throws {
        for line in [
            registration(#"[{"name":"first"}]"#, extra: #","files":null"#),
            registration(#"[{"name":"first"}]"#, extra: #","files":[{"name":"second"}]"#),
        ] {
            let tree = try viaTree(line)
            let bytes = Array(line.utf8)
            let parsed = try bytes.withUnsafeBytes { raw in try IndexRequestLine(line: raw) }
            let decoded =
                try parsed.registryEntries?.sharedFiles ?? RegistryRequest(payload: parsed.envelope.payload).files
            #expect(decoded == tree.1)
        }
    }

    @Test func otherMessagesKeepTheirFilesMember() throws {
        let line = #"{"type":"SEARCH_REQUEST","payload":{"query":"a","files":[{"name":"x"}]}}"#
        let bytes = Array(line.utf8)
        let parsed = try bytes.withUnsafeBytes { raw in try IndexRequestLine(line: raw) }
        #expect(parsed.registryEntries == nil)
        #expect(parsed.envelope == (try Envelope(line: line)))
    }

    @Test func fileNameByteCheckAgreesWithFileName() {
        let samples: [[UInt8]] = [
            [], Array("a".utf8), Array(".".utf8), Array("..".utf8), Array("...".utf8), Array(".hidden".utf8),
            Array("a/b".utf8), [0x61, 0x00], [0x61, 0x1F], [0x61, 0x7F], [0xC2, 0x80], [0xC2, 0x9F], [0xC2, 0xA0],
            [0xC3, 0xA9], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x82], Array("x.part".utf8), Array(".part".utf8), Array("a.par".utf8),
            Array(repeating: 0x61, count: 255), Array(repeating: 0x61, count: 256), [0xFF],
        ]
        for sample in samples {
            let expected = (try? FileName(bytes: sample)) != nil
            let checked = sample.withUnsafeBytes { FileName.isValid(bytes: $0) }
            #expect(checked == expected, "\(sample)")
        }
    }

    @Test func digestValueRoundTripsHex() {
        let text = "00ff" + String(repeating: "0123456789abcdef", count: 3) + "fedcba9876543210"[...].dropLast(4)
        #expect(text.utf8.count == 64)
        #expect(SHA256Value(hex: text)?.hex == text)
        #expect(SHA256Value(hex: text.uppercased())?.hex == text)
        #expect(SHA256Value(hex: String(text.dropLast())) == nil)
        for bad in ["g", "G", "@", "`", "/", ":", " "] {
            #expect(SHA256Value(hex: String(text.dropLast()) + bad) == nil, "\(bad)")
            #expect(SHA256Value(hex: bad + String(text.dropFirst())) == nil, "\(bad)")
        }
    }
}

/// The search reply writer must produce the bytes of the tree it replaces.
@Suite struct SearchReplyWritingTests {
    @Test func writtenReplyEqualsTheTreeReply() {
        let endpoint = PeerEndpoint(host: "127.0.0.1", port: 7001)
        let digest = String(repeating: "0f", count: 32)
        let responses = [
            SearchResponse(query: "missing \"quoted\"\n", results: []),
            SearchResponse(
                query: "song.ogg",
                results: [
                    SearchResult(peerID: "peer1", endpoint: endpoint, fileName: "song.ogg", meta: FileMeta()),
                    SearchResult(
                        peerID: "p\\2", endpoint: PeerEndpoint(host: "::1", port: 65535), fileName: "caf\u{E9}\t.ogg",
                        meta: FileMeta(size: 0, sha256: digest)),
                    SearchResult(peerID: "p3", endpoint: endpoint, fileName: "x", meta: FileMeta(size: 12)),
                    SearchResult(peerID: "p4", endpoint: endpoint, fileName: "y", meta: FileMeta(sha256: digest)),
                ]),
        ]
        for response in responses {
            for requestID in [nil, "r-1"] as [String?] {
                let envelope = Envelope(
                    type: .searchResponse, requestID: requestID, payload: response.payload, timestamp: 1_718_000_000_123
                )
                #expect(envelope.encodedLine(writingPayload: response.writePayload) == envelope.encodedLine())
            }
        }
    }
}
