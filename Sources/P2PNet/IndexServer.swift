import Logging
import NIOCore
import NIOPosix
import P2PCluster
import P2PIndex
import P2PProtocol

/// The index's TCP listener: frames lines, hands each request to `IndexService`, writes replies.
///
/// Connections are handled on the event loops (no thread per connection); the service's state is
/// shared behind its own lock.
public struct IndexServer: Sendable {
    public struct Configuration: Sendable {
        public var listen: ListenTarget
        public var limits = FrameLimits()
        /// A connection that sends nothing (or half a line) for this long is closed. Default 30 s.
        public var readTimeout: TimeAmount = .seconds(30)
        /// Open connections beyond this are refused. Default 4096.
        public var maxConnections = 4096
        /// Open connections from one source address beyond this are refused. Default 1024.
        public var maxConnectionsPerClient = 1024
        /// With a key, every connection must pass the cluster handshake before its first request.
        public var clusterKey: ClusterKey?

        public init(listen: ListenTarget) {
            self.listen = listen
        }
    }

    public let configuration: Configuration
    public let service: IndexService
    private let logger: Logger

    public init(configuration: Configuration, service: IndexService, logger: Logger) {
        self.configuration = configuration
        self.service = service
        self.logger = logger
    }

    /// Binds (or adopts the inherited socket) and returns the listening channel.
    public func bind(group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Channel {
        let limiter = ConnectionLimiter(
            limit: configuration.maxConnections, perClientLimit: configuration.maxConnectionsPerClient)
        let refusals = RefusalLogThrottle()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // TCP level: .socketOption(.tcp_nodelay) would set SOL_SOCKET option 1, SO_DEBUG, which
            // needs CAP_NET_ADMIN: run as any user but root, every connection would fail.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [configuration, service, logger] channel in
                let wording = ConnectionLimiter.RefusalWording(
                    connection: "a connection", replyType: .errorResponse, overLimit: "too_many_connections",
                    overClientLimit: "too_many_connections_from_address")
                if let refused = limiter.refuseIfOverLimit(channel, wording: wording, logger: logger) {
                    return refused
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: configuration.readTimeout),
                        ByteToMessageHandler(LineFrameDecoder(limits: configuration.limits)),
                    ])
                    if let key = configuration.clusterKey {
                        try channel.pipeline.syncOperations.addHandler(
                            ClusterGateHandler(key: key, service: .index, logger: logger, throttle: refusals))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        IndexRequestHandler(service: service, logger: logger))
                }
            }
        return try await configuration.listen.bind(bootstrap)
    }
}
