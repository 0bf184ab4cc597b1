import Logging
import NIOCore
import P2PIndex
import P2PProtocol

/// Serves index requests on one connection: one reply line per request line, in order.
///
/// Replies are flushed once per read burst, so a pipelining client gets them in one write.
/// Malformed lines get an error reply and the connection stays usable; a line over its cap or
/// a read timeout closes it, since the rest of the stream can no longer be trusted or is idle.
final class IndexRequestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let service: IndexService
    private let logger: Logger

    /// The peer's address as text, looked up once per connection and only when a registration
    /// needs it: `context.remoteAddress` is a `getpeername` call, which a profile of 16 searching
    /// clients showed at about 4 % of the index's time when asked for on every request.
    private var remoteHost: String??

    init(service: IndexService, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    private func remoteHost(_ context: ChannelHandlerContext) -> String? {
        if let remoteHost { return remoteHost }
        let host = context.remoteAddress?.ipAddress
        remoteHost = .some(host)
        return host
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        // Blank lines (a stray "\r\n" between requests) are not requests; skip them quietly.
        if line.readableBytes == 0 { return }
        let bytes: [UInt8]
        do {
            let parsed = try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in
                try IndexRequestLine(line: bytes)
            }
            let request = parsed.envelope
            let answer = service.respondEncoded(
                to: request, registryEntries: parsed.registryEntries,
                remoteHost: request.messageType == .registryRequest ? remoteHost(context) : nil)
            bytes = answer.line
            switch request.messageType {
            case .registryRequest?, .unregisterRequest?:
                logger.info(
                    "\(request.type == MessageType.registryRequest.rawValue ? "registration" : "unregistration")",
                    metadata: [
                        "peer_id": "\(request.peerID ?? "?")",
                        "mode": "\(request.payload["mode"]?.stringValue ?? "replace")",
                        "files": "\(answer.reply?.payload["registered_files"]?.int64Value ?? 0)",
                        "remote": "\(context.remoteAddress?.description ?? "?")",
                    ])
            case .heartbeatRequest?:
                logger.trace("heartbeat", metadata: ["peer_id": "\(request.peerID ?? "?")"])
            default:
                break
            }
        } catch {
            bytes = Envelope(type: .errorResponse, payload: ReplyStatus.error(error.code)).encodedLine()
            logger.debug(
                "bad request",
                metadata: ["remote": "\(context.remoteAddress?.description ?? "?")", "error": "\(error)"])
        }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .read {
            logger.debug(
                "closing idle connection", metadata: ["remote": "\(context.remoteAddress?.description ?? "?")"])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let tooLong = error as? FrameTooLongError {
            logger.notice(
                "refusing an oversized line",
                metadata: ["remote": "\(context.remoteAddress?.description ?? "?")", "limit": "\(tooLong.limit)"])
            let reply = Envelope(
                type: .errorResponse, payload: ReplyStatus.error(ProtocolError.frameTooLong(limit: tooLong.limit).code))
            context.channel.replyAndClose(reply.encodedLine())
            return
        }
        context.close(promise: nil)
    }
}
