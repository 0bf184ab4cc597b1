import NIOCore
import NIOPosix
import P2PCluster
import P2PProtocol

/// Request/reply exchanges with an index: connect, send requests, read one reply line for each,
/// close.
///
/// A connection per exchange keeps the peer's side stateless: a restarted index, a changed
/// address or a dropped connection needs no reconnect logic, and heartbeats are rare enough that
/// the extra handshake does not matter.
public enum IndexClient {
    /// Sends `requests` in order on one connection and returns the replies in the same order.
    /// With `clusterKey`, the cluster handshake comes first (one more round trip).
    /// - Throws: `ClusterAuthError` when the index does not prove the same key.
    public static func exchange(
        _ requests: [Envelope], with endpoint: PeerEndpoint, timeout: TimeAmount = .seconds(10),
        limits: FrameLimits = FrameLimits(maxLineBytes: 16 << 20, maxRegistryLineBytes: 0),
        clusterKey: ClusterKey? = nil,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> [Envelope] {
        let channel = try await ClientBootstrap.p2p(on: group, timeout: timeout)
            .connect(to: endpoint) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: timeout), CloseOnIdleHandler(),
                        ByteToMessageHandler(LineFrameDecoder(limits: limits)),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            var payload: [UInt8] = []
            if let clusterKey {
                payload = try await ClusterClientSide.proofLine(
                    key: clusterKey, service: .index, server: endpoint.description, lines: &lines, outbound: outbound)
            }
            for request in requests { payload += request.encodedLine() }
            try await outbound.write(ByteBuffer(bytes: payload))
            var replies: [Envelope] = []
            while let line = try await lines.next() {
                replies.append(
                    try line.withUnsafeReadableBytes { bytes throws(ProtocolError) in try Envelope(line: bytes) })
                if replies.count == requests.count { break }
            }
            guard replies.count == requests.count else { throw ClientError.connectionClosed(endpoint.description) }
            return replies
        }
    }

    /// One request, one reply.
    public static func request(
        _ request: Envelope, with endpoint: PeerEndpoint, timeout: TimeAmount = .seconds(10),
        clusterKey: ClusterKey? = nil
    ) async throws -> Envelope {
        try await exchange([request], with: endpoint, timeout: timeout, clusterKey: clusterKey)[0]
    }
}
