import NIOCore
import NIOPosix
import P2PProtocol

/// A client connection to a peer's data port, which can carry one obtain exchange after another
/// when the peer keeps it open (`keep_alive`, see ``PeerConnectionPool``).
///
/// Bytes are read in order by one task at a time through ``next()``; the connection itself is not
/// tied to any task's scope, so it can wait in a pool between downloads.
final class PeerConnection: Sendable {
    let channel: Channel
    let endpoint: PeerEndpoint
    private let reader: NIOLoopBound<ReceivedBytesHandler>
    private let unread: UnreadChunks

    private init(channel: Channel, endpoint: PeerEndpoint, reader: ReceivedBytesHandler) {
        self.channel = channel
        self.endpoint = endpoint
        self.reader = NIOLoopBound(reader, eventLoop: channel.eventLoop)
        self.unread = reader.unread
    }

    /// Opens a connection on one loop of `group` (the current one when called from a loop).
    /// `timeout` bounds the connect and every wait for bytes.
    static func open(to endpoint: PeerEndpoint, timeout: TimeAmount, group: EventLoopGroup) async throws
        -> PeerConnection
    {
        try await ClientBootstrap.p2p(on: group, timeout: timeout)
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64 << 10, initial: 256 << 10, maximum: 1 << 20)
            )
            .connect(to: endpoint) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let reader = ReceivedBytesHandler(unread: UnreadChunks())
                    try channel.pipeline.syncOperations.addHandlers([IdleStateHandler(readTimeout: timeout), reader])
                    return PeerConnection(channel: channel, endpoint: endpoint, reader: reader)
                }
            }
    }

    /// Sends `bytes` without waiting: a write that fails closes the connection, which the next
    /// read reports.
    func send(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// The next bytes received; nil once the peer closed the connection.
    /// - Throws: `ClientError.timedOut` after the read timeout; the connection's error after a
    ///   reset; `CancellationError` when the task is cancelled (the connection is closed then).
    func next() async throws -> ByteBuffer? {
        let loop = channel.eventLoop
        if loop.inEventLoop, let buffered = reader.value.takeBuffered() {
            return buffered
        }
        let promise = loop.makePromise(of: ByteBuffer?.self)
        if loop.inEventLoop {
            reader.value.take(promise)
        } else {
            loop.execute { [reader] in reader.value.take(promise) }
        }
        do {
            let bytes = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: { [channel] in
                channel.close(promise: nil)
            }
            // The close on cancellation ends the stream like an EOF: say which it was.
            if bytes == nil { try Task.checkCancellation() }
            return bytes
        } catch is ReceivedBytesHandler.TimedOut {
            throw ClientError.timedOut(endpoint.description)
        } catch {
            try Task.checkCancellation()
            throw error
        }
    }

    /// True when the connection can carry another exchange: open, and nothing received beyond what
    /// the last exchange took.
    var isReusable: Bool {
        channel.isActive && unread.count.load(ordering: .relaxed) == 0
    }

    func close() {
        channel.close(promise: nil)
    }
}
