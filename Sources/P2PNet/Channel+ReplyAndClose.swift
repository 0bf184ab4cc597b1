import NIOCore

extension Channel {
    /// Sends a last line and closes without destroying it.
    ///
    /// Closing a socket whose receive buffer still holds the client's bytes (an oversized line,
    /// a request sent to a full server) makes the kernel send RST, and the client may lose the
    /// reply that explains why. So: send, close only our side (FIN after the reply), and close the
    /// rest after `linger` or as soon as the client closes its side.
    func replyAndClose(_ line: [UInt8], linger: TimeAmount = .seconds(2)) {
        writeAndFlush(ByteBuffer(bytes: line)).whenComplete { _ in
            self.close(mode: .output, promise: nil)
            self.eventLoop.scheduleTask(in: linger) { self.close(promise: nil) }
        }
    }
}

/// The whole pipeline of a connection refused at accept (a server at its connection limit):
/// explains why once the channel is active, discards whatever the client sends, and closes.
final class RefusalHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let line: [UInt8]

    init(line: [UInt8]) {
        self.line = line
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.channel.replyAndClose(line) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.channel.replyAndClose(line)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelEvent, case .inputClosed = event as! ChannelEvent { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
