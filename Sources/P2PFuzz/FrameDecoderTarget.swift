import NIOCore
import NIOEmbedded
import P2PNet

/// `LineFrameDecoder` in a real NIO pipeline (`EmbeddedChannel`), fed the input in pieces of
/// random size, checked against `LineSplitModel` after every piece.
///
/// The first three bytes choose the setting: byte 0 the ordinary cap (1–64 bytes, small so that
/// short inputs cross it; 255 means the production caps), byte 1 the registration cap (none, or
/// a little larger), byte 2 the seed of the split points. The rest is the stream. After every
/// piece the lines out must be the model's, and the decoder must fail with `FrameTooLongError`
/// exactly when the model says a cap was crossed, never later: that is the memory bound.
enum FrameDecoderTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        guard input.count >= 3 else { return }
        let limits: FrameLimits
        let maxPiece: Int
        if input[0] == 0xFF {
            limits = FrameLimits()
            maxPiece = 8192
        } else {
            let ordinary = 1 + Int(input[0] % 64)
            limits = FrameLimits(
                maxLineBytes: ordinary, maxRegistryLineBytes: input[1] & 1 == 0 ? 0 : ordinary + Int(input[1]))
            maxPiece = 2 * ordinary + 2
        }
        var random = SplitMix64(seed: UInt64(input[2]))
        let stream = Array(input[3...])
        var model = LineSplitModel(limits: limits)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(limits: limits)))
        var open = true
        defer { if open { _ = try? channel.finish() } }

        var offset = 0
        while offset < stream.count {
            let length = min(Int(random.next() % UInt64(maxPiece + 1)), stream.count - offset)
            let piece = stream[offset..<(offset + length)]
            offset += length
            let expected = model.feed(piece)
            var tooLong: FrameTooLongError?
            do {
                try channel.writeInbound(ByteBuffer(bytes: piece))
            } catch let error as FrameTooLongError {
                tooLong = error
            } catch {
                throw InvariantViolation("unexpected error \(error)")
            }
            let lines = try readLines(channel)
            try require(
                lines == expected.lines,
                "after \(offset) bytes (\(limits)): lines \(show(lines)), expected \(show(expected.lines))")
            try require(
                tooLong?.limit == expected.tooLongFor,
                "after \(offset) bytes (\(limits)): error \(String(describing: tooLong)), "
                    + "expected a cap of \(String(describing: expected.tooLongFor))")
            if tooLong != nil { return }  // The connection is answered and closed.
        }
        // End of stream: an unfinished line is no request and goes away quietly.
        open = false
        do {
            _ = try channel.finish()
        } catch {
            throw InvariantViolation("closing after \(offset) bytes (\(limits)) failed: \(error)")
        }
    }

    static func readLines(_ channel: EmbeddedChannel) throws(InvariantViolation) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        do {
            while let line: ByteBuffer = try channel.readInbound() { lines.append(Array(line.readableBytesView)) }
        } catch {
            throw InvariantViolation("reading decoded lines failed: \(error)")
        }
        return lines
    }

    static func show(_ lines: [[UInt8]]) -> String {
        lines.map { String(decoding: $0.prefix(80), as: UTF8.self).debugDescription }.joined(separator: ", ")
    }
}
