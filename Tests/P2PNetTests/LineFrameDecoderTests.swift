import NIOCore
import NIOEmbedded
import NIOTestUtils
import P2PNet
import Testing

@Suite struct LineFrameDecoderTests {
    func lines(_ input: [String], limits: FrameLimits = FrameLimits()) throws -> [String] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(limits: limits)))
        for chunk in input { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var out: [String] = []
        while let line: ByteBuffer = try channel.readInbound() { out.append(String(buffer: line)) }
        _ = try channel.finish()
        return out
    }

    @Test func splitsLinesHoweverTheyArrive() throws {
        #expect(try lines(["a\nbb\r\n", "c", "cc\n", "\n"]) == ["a", "bb", "ccc", ""])
        #expect(try lines(["tail without newline"]) == [])
    }

    @Test func verifiedByteByByteAndInBatches() throws {
        let input = ByteBuffer(string: "{\"a\":1}\nsecond line\n\n")
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (input, [ByteBuffer(string: "{\"a\":1}"), ByteBuffer(string: "second line"), ByteBuffer()])
            ],
            decoderFactory: { LineFrameDecoder() })
    }

    @Test func refusesALineOverTheCap() throws {
        let limits = FrameLimits(maxLineBytes: 16, maxRegistryLineBytes: 64)
        #expect(throws: FrameTooLongError(limit: 16)) { try lines([String(repeating: "x", count: 17)], limits: limits) }
        #expect(throws: FrameTooLongError(limit: 16)) {
            try lines([String(repeating: "x", count: 40) + "\n"], limits: limits)
        }
        #expect(try lines([String(repeating: "x", count: 16) + "\n"], limits: limits).count == 1)
    }

    @Test func registrationsGetTheLargerCap() throws {
        let limits = FrameLimits(maxLineBytes: 32, maxRegistryLineBytes: 200)
        let registration =
            #"{"type": "REGISTRY_REQUEST", "payload": {"files": {}, "pad": ""# + String(repeating: "p", count: 100)
            + "\"}}"
        #expect(try lines([registration + "\n"], limits: limits).count == 1)
        let halves = [String(registration.prefix(50)), String(registration.dropFirst(50)) + "\n"]
        #expect(try lines(halves, limits: limits).count == 1)
        #expect(throws: FrameTooLongError(limit: 200)) {
            try lines([registration + String(repeating: "q", count: 200)], limits: limits)
        }
    }
}
