import NIOCore
import NIOPosix
import P2PCluster
import P2PProtocol
import Synchronization

/// Requests to one index over a few connections kept open between requests.
///
/// Every download starts with a search at the index; opening and closing a TCP connection for
/// each (on both sides, plus the channel set-up) cost more than the search itself when files are
/// small. Here a connection that answered goes back to a short idle list and carries the next
/// request. The index answers the lines of a connection in order, and a seed index does too, so
/// reuse needs nothing new on the wire.
///
/// Only idempotent requests belong here (searches, listings): a kept connection may have been
/// closed by the index's idle timeout just as a request went out, and such a request is sent again
/// on a fresh connection. With a cluster key, each new connection proves it once, before its first
/// request; the requests it carries afterwards need nothing more.
public final class IndexConnectionPool: Sendable {
    public let endpoint: PeerEndpoint
    private let timeout: TimeAmount
    private let limits: FrameLimits
    private let group: EventLoopGroup
    private let maxIdle: Int
    private let clusterKey: ClusterKey?
    private let idle = Mutex<[Channel]>([])

    /// - Parameters:
    ///   - timeout: for connecting and for each reply; a connection idle this long is closed.
    ///   - maxIdle: connections kept open between requests (more may be open while busy).
    ///   - clusterKey: proven on each new connection (`[Peer] ClusterKeyFile`).
    public init(
        endpoint: PeerEndpoint, timeout: TimeAmount = .seconds(10), maxIdle: Int = 4,
        limits: FrameLimits = FrameLimits(maxLineBytes: 16 << 20, maxRegistryLineBytes: 0),
        clusterKey: ClusterKey? = nil,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.endpoint = endpoint
        self.clusterKey = clusterKey
        self.timeout = timeout
        self.limits = limits
        self.group = group
        self.maxIdle = maxIdle
    }

    deinit {
        for channel in idle.withLock({ $0 }) { channel.close(promise: nil) }
    }

    /// Sends `request` and returns the index's reply line.
    public func request(_ request: Envelope) async throws -> Envelope {
        let line = request.encodedLine()
        if let kept = takeIdle() {
            do {
                let reply = try await exchange(line, on: kept)
                giveBack(kept)
                return reply
            } catch {
                kept.close(promise: nil)
                // Closed while it sat idle (the index's read timeout, a restart): try a new one.
                guard let closed = error as? ClientError, closed == .connectionClosed(endpoint.description) else {
                    throw error
                }
            }
        }
        let channel = try await connect()
        do {
            let reply = try await exchange(line, on: channel)
            giveBack(channel)
            return reply
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// The cluster handshake on a new connection: hello, the index's challenge, our proof. An
    /// index that refuses the proof answers the next request with a `cluster_…` error and closes.
    private func prove(_ key: ClusterKey, on channel: Channel) async throws {
        let handshake = ClusterClientHandshake(key: key, service: .index, server: endpoint.description)
        let challenge = try await exchange(handshake.hello.encodedLine(), on: channel)
        let proof = try handshake.answer(challenge).encodedLine()
        channel.writeAndFlush(ReplyLineHandler.Call(line: ByteBuffer(bytes: proof), reply: nil), promise: nil)
    }

    private func exchange(_ line: [UInt8], on channel: Channel) async throws -> Envelope {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(ReplyLineHandler.Call(line: ByteBuffer(bytes: line), reply: promise), promise: nil)
        let reply: ByteBuffer
        do {
            reply = try await promise.futureResult.get()
        } catch is ChannelError {
            throw ClientError.connectionClosed(endpoint.description)
        }
        return try reply.withUnsafeReadableBytes { bytes throws(ProtocolError) in try Envelope(line: bytes) }
    }

    /// A kept connection, preferably one on the event loop this code runs on: a task that runs on
    /// its control connection's loop (`EventLoopTaskExecutor`) then writes the request and takes
    /// the reply without waking another thread.
    private func takeIdle() -> Channel? {
        idle.withLock { channels in
            channels.removeAll { !$0.isActive }
            if let here = channels.lastIndex(where: { $0.eventLoop.inEventLoop }) {
                return channels.remove(at: here)
            }
            return channels.popLast()
        }
    }

    private func giveBack(_ channel: Channel) {
        let kept = idle.withLock { channels in
            channels.removeAll { !$0.isActive }
            guard channel.isActive, channels.count < maxIdle else { return false }
            channels.append(channel)
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    private func connect() async throws -> Channel {
        let channel = try await open()
        guard let clusterKey else { return channel }
        do {
            try await prove(clusterKey, on: channel)
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }

    private func open() async throws -> Channel {
        let endpoint = endpoint
        let (timeout, limits) = (timeout, limits)
        return try await ClientBootstrap.p2p(on: group, timeout: timeout)
            .connect(to: endpoint) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: timeout), CloseOnIdleHandler(),
                        ByteToMessageHandler(LineFrameDecoder(limits: limits)),
                        ReplyLineHandler(endpoint: endpoint.description),
                    ])
                    return channel
                }
            }
    }
}

/// Pairs each line read with the oldest request still waiting for its reply.
///
/// A reply that arrives with no request waiting, or a connection that ends with requests
/// waiting, fails them (the caller decides whether to retry) and closes the connection.
private final class ReplyLineHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Call
    typealias OutboundOut = ByteBuffer

    struct Call {
        var line: ByteBuffer
        /// Nil for a line that gets no reply (the cluster proof).
        var reply: EventLoopPromise<ByteBuffer>?
    }

    private let endpoint: String
    private var waiting = CircularBuffer<EventLoopPromise<ByteBuffer>>()

    init(endpoint: String) { self.endpoint = endpoint }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        guard context.channel.isActive else {
            // Already closed: channelInactive has run and would never fail this one.
            call.reply?.fail(ChannelError.ioOnClosedChannel)
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        // A write that fails closes the channel, and channelInactive fails the waiting replies.
        if let reply = call.reply { waiting.append(reply) }
        context.write(wrapOutboundOut(call.line), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let promise = waiting.popFirst() else {
            context.close(promise: nil)
            return
        }
        promise.succeed(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
