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

    /// Found by fuzzing (`frames` target): an over-cap line arriving in the same read as a
    /// registration after it was taken for a registration itself, because the head checked was
    /// the buffer's, not the line's. Split differently, the same stream was refused.
    @Test func theNextLineDoesNotMakeALineARegistration() throws {
        let limits = FrameLimits(maxLineBytes: 16, maxRegistryLineBytes: 200)
        let stream = String(repeating: "x", count: 30) + "\n" + #"{"type":"REGISTRY_REQUEST"}"# + "\n"
        #expect(throws: FrameTooLongError(limit: 16)) { try lines([stream], limits: limits) }
        #expect(throws: FrameTooLongError(limit: 16)) {
            try lines([String(stream.prefix(20)), String(stream.dropFirst(20))], limits: limits)
        }
    }

    /// The registration marker counts only within the line's first `min(cap, 512)` bytes, which
    /// have all arrived when the cap is crossed; so does the cap named in the error.
    @Test func registrationIsDecidedTheSameHoweverTheLineIsSplit() throws {
        let limits = FrameLimits(maxLineBytes: 32, maxRegistryLineBytes: 200)
        let late = #"{"payload":{},"type":"REGISTRY_REQUEST"}"#
        #expect(throws: FrameTooLongError(limit: 32)) { try lines([late + "\n"], limits: limits) }
        #expect(throws: FrameTooLongError(limit: 32)) {
            try lines([String(late.prefix(35)), String(late.dropFirst(35)) + "\n"], limits: limits)
        }
        let tooLong = #"{"type":"REGISTRY_REQUEST","pad":""# + String(repeating: "p", count: 200) + "\"}"
        #expect(throws: FrameTooLongError(limit: 200)) { try lines([tooLong + "\n"], limits: limits) }
        #expect(throws: FrameTooLongError(limit: 200)) {
            try lines([String(tooLong.prefix(40)), String(tooLong.dropFirst(40)) + "\n"], limits: limits)
        }
    }
}
