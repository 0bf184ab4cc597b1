import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream into newline-terminated lines (newline and a trailing `\r` removed).
///
/// Each byte is scanned once however the line arrives, so cost stays linear in its length, and a
/// line past its cap fails as soon as the cap is crossed instead of after it ends. Registrations
/// may be longer: when a line crosses the ordinary cap, its head is checked once for the
/// `REGISTRY_REQUEST` type (the seed writes `type` first) to choose the larger cap. The head is
/// the line's first `min(ordinary cap, 512)` bytes, never bytes of the next line, and all of it
/// has arrived by the time the cap is crossed, so the outcome does not depend on how the stream
/// was split into reads.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    private let limits: FrameLimits
    /// Bytes of the current line already searched for a newline.
    private var scanned = 0
    private var cap: Int

    public init(limits: FrameLimits = FrameLimits()) {
        self.limits = limits
        self.cap = limits.maxLineBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let newline: Int? = buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count > scanned, let base = bytes.baseAddress else { return nil }
            guard let found = memchr(base + scanned, 0x0A, bytes.count - scanned) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        guard let newline else {
            scanned = buffer.readableBytes
            if scanned > cap {
                raiseCapForRegistration(buffer)
                if scanned > cap { throw FrameTooLongError(limit: cap) }
            }
            return .needMoreData
        }
        if newline > cap {
            raiseCapForRegistration(buffer)
            if newline > cap { throw FrameTooLongError(limit: cap) }
        }
        var line = buffer.readSlice(length: newline)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        scanned = 0
        cap = limits.maxLineBytes
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A partial line at end of input is no request; drop it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    private static let registryMarker = Array("\"REGISTRY_REQUEST\"".utf8)
    private static let registryHeadBytes = 512

    /// Switches to the registration cap when the current line, already past the ordinary cap,
    /// is a registration. Called once per line at most: afterwards `cap` is no longer the ordinary
    /// one, or the line is refused.
    private mutating func raiseCapForRegistration(_ buffer: ByteBuffer) {
        guard cap == limits.maxLineBytes, limits.maxRegistryLineBytes > cap else { return }
        let head = buffer.readableBytesView.prefix(min(cap, Self.registryHeadBytes))
        if head.firstRange(of: Self.registryMarker) != nil { cap = limits.maxRegistryLineBytes }
    }
}
