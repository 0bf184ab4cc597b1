import NIOCore
import NIOPosix
import P2PCluster
import P2PProtocol

/// Fetches a file's bytes from another peer: one OBTAIN (or REPLICATE) per connection.
public enum PeerClient {
    /// Connects, sends `request`, reads the reply header and hands it with the body to `consume`.
    ///
    /// Every byte after the header's newline belongs to the body, including those that arrived
    /// in the same read as the header (the seed client loses them; we must not).
    /// With `clusterKey`, the cluster handshake comes first (one more round trip).
    /// - Throws: `ClientError.refused` when the peer answers with an error; `ClusterAuthError`
    ///   when it does not prove the same key.
    public static func obtain<Result: Sendable>(
        _ request: Envelope, from endpoint: PeerEndpoint, timeout: TimeAmount = .seconds(30),
        clusterKey: ClusterKey? = nil,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        consume: (ObtainResponse, inout BodyReader) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: group.any())
            .connectTimeout(timeout)
            // TCP level: .socketOption(.tcp_nodelay) would set SOL_SOCKET option 1, SO_DEBUG, which
            // needs CAP_NET_ADMIN: run as any user but root, every connection would fail.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64 << 10, initial: 256 << 10, maximum: 1 << 20)
            )
            .connect(to: endpoint) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: timeout), CloseOnIdleHandler(),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var head = ByteBuffer()
            var opening: [UInt8] = []
            if let clusterKey {
                opening = try await ClusterClientSide.proofLine(
                    key: clusterKey, service: .peer, server: endpoint.description, bytes: &iterator, buffered: &head,
                    outbound: outbound)
            }
            try await outbound.write(ByteBuffer(bytes: opening + request.encodedLine()))
            while true {
                guard var chunk = try await iterator.next() else {
                    throw ClientError.connectionClosed(endpoint.description)
                }
                head.writeBuffer(&chunk)
                if let newline = head.readableBytesView.firstIndex(of: 0x0A) {
                    let line = head.readSlice(length: newline - head.readerIndex)!
                    head.moveReaderIndex(forwardBy: 1)
                    let envelope = try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in
                        try Envelope(line: bytes)
                    }
                    if let code = ReplyStatus.errorCode(of: envelope.payload) {
                        throw ClientError.refused(endpoint.description, code: code)
                    }
                    let header = try ObtainResponse(payload: envelope.payload)
                    var body = BodyReader(leftover: head, iterator: iterator, remaining: header.bodyLength)
                    return try await consume(header, &body)
                }
                guard head.readableBytes <= 64 << 10 else { throw ClientError.headerTooLong(endpoint.description) }
            }
        }
    }
}

/// The raw bytes after an obtain header, ending after exactly `file_size - offset` bytes.
public struct BodyReader {
    private var leftover: ByteBuffer?
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// Bytes still due; a stream that ends before this reaches zero is a short transfer.
    public private(set) var remaining: Int64

    init(leftover: ByteBuffer, iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, remaining: Int64) {
        self.leftover = leftover.readableBytes > 0 ? leftover : nil
        self.iterator = iterator
        self.remaining = remaining
    }

    /// The next piece of the body; `nil` once all of it arrived or the connection ended
    /// (check `remaining` to tell the two apart). Bytes past the announced length are dropped.
    public mutating func next() async throws -> ByteBuffer? {
        guard remaining > 0 else { return nil }
        var chunk: ByteBuffer
        if let pending = leftover {
            chunk = pending
            leftover = nil
        } else {
            guard let next = try await iterator.next() else { return nil }
            chunk = next
        }
        if Int64(chunk.readableBytes) > remaining {
            chunk = chunk.getSlice(at: chunk.readerIndex, length: Int(remaining))!
        }
        remaining -= Int64(chunk.readableBytes)
        return chunk
    }
}
