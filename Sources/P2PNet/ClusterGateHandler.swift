import Logging
import NIOCore
import P2PCluster
import P2PProtocol

/// Stands in front of a keyed server's request handler: runs the cluster handshake on the first
/// lines of a connection and lets later lines through only once the client proved the key.
///
/// It sits after the line decoder, so the handshake lines have the same caps as any request.
/// Only installed when a key is configured: without one the pipeline, and the protocol, are
/// exactly as before. A refused connection gets one error line and is closed; lines the client
/// pipelined after a bad proof are dropped unread.
final class ClusterGateHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var handshake: ClusterServerHandshake
    private var refused = false
    private let logger: Logger
    private let throttle: RefusalLogThrottle

    init(key: ClusterKey, service: ClusterService, logger: Logger, throttle: RefusalLogThrottle) {
        self.handshake = ClusterServerHandshake(key: key, service: service)
        self.logger = logger
        self.throttle = throttle
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if handshake.isAuthenticated {
            context.fireChannelRead(data)
            return
        }
        guard !refused else { return }
        let line = unwrapInboundIn(data)
        if line.readableBytes == 0 { return }
        let parsed = try? line.withUnsafeReadableBytes { bytes throws(ProtocolError) in try Envelope(line: bytes) }
        let step = parsed.map { handshake.receive($0) } ?? handshake.receiveUnreadable()
        switch step {
        case .reply(let challenge):
            context.writeAndFlush(
                NIOAny(context.channel.allocator.buffer(bytes: challenge.encodedLine())), promise: nil)
        case .authenticated:
            logger.debug("cluster key proven", metadata: ["remote": "\(context.remoteAddress?.description ?? "?")"])
        case .refuse(let reply, let reason):
            refused = true
            log(
                "refused a connection without the cluster key", context: context,
                metadata: ["reason": "\(reason)", "error": "\(ReplyStatus.errorCode(of: reply.payload) ?? "?")"])
            context.channel.replyAndClose(reply.encodedLine())
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if handshake.isAwaitingProof {
            log("a client hung up on the cluster challenge (it holds another key?)", context: context, metadata: [:])
        }
        context.fireChannelInactive()
    }

    /// Logs through the shared throttle; never key material, only who and why.
    private func log(_ message: Logger.Message, context: ChannelHandlerContext, metadata: Logger.Metadata) {
        let (admitted, suppressed) = throttle.admit()
        guard admitted else { return }
        var metadata = metadata
        metadata["remote"] = "\(context.remoteAddress?.description ?? "?")"
        if suppressed > 0 { metadata["unlogged_refusals"] = "\(suppressed)" }
        logger.warning(message, metadata: metadata)
    }
}
