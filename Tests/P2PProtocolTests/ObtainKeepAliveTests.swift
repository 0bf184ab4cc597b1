import P2PProtocol
import Testing

/// The `keep_alive` members of obtain requests and replies: only `true` asks, and a request or
/// reply without it is encoded exactly as before, so seed peers see nothing new.
@Suite struct ObtainKeepAliveTests {
    func request(_ json: String) throws -> ObtainRequest {
        try ObtainRequest(payload: try JSONParser.parse(Array(json.utf8)))
    }

    @Test func onlyTrueAsksToKeepTheConnection() throws {
        #expect(try request(#"{"file_name":"a","keep_alive":true}"#).keepAlive)
        for other in ["false", "null", "1", #""yes""#, "{}"] {
            #expect(try !request(#"{"file_name":"a","keep_alive":\#(other)}"#).keepAlive, "\(other)")
        }
        #expect(try !request(#"{"file_name":"a"}"#).keepAlive)
    }

    @Test func keepAliveAloneLeavesARequestSeedFormatAndEncodesOnlyWhenSet() throws {
        let asked = ObtainRequest(fileName: "a", keepAlive: true)
        #expect(asked.isSeedFormat)
        #expect(asked.payload == .object([("file_name", "a"), ("keep_alive", true)]))
        #expect(ObtainRequest(fileName: "a", offset: 0).payload == .object([("file_name", "a"), ("offset", 0)]))
        #expect(try ObtainRequest(payload: asked.payload) == asked)
    }

    @Test func theReplyEchoesOnlyWhenKept() throws {
        let kept = ObtainResponse(fileName: "a", fileSize: 3, chunkSize: 1 << 20, offset: 0, keepAlive: true)
        #expect(kept.payload["keep_alive"] == true)
        #expect(try ObtainResponse(payload: kept.payload).keepAlive)
        let closing = ObtainResponse(fileName: "a", fileSize: 3, chunkSize: 1 << 20)
        #expect(closing.payload["keep_alive"] == nil)
        #expect(try !ObtainResponse(payload: closing.payload).keepAlive)
    }
}
