import Logging
import NIOCore
import NIOPosix
import P2PCluster
import P2PProtocol

/// A peer's data listener: answers OBTAIN and REPLICATE requests from other peers.
public struct PeerServer: Sendable {
    public struct Configuration: Sendable {
        public var listen: ListenTarget
        /// Bytes per sendfile write, and the `chunk_size` announced to clients. Default 1 MiB.
        public var chunkSize = 1 << 20
        /// Bytes per second per transfer; 0 means unlimited.
        public var rateLimit: Int64 = 0
        /// Bytes per second for all uploads to one remote IP together; 0 means unlimited.
        public var peerRateLimit: Int64 = 0
        /// A client silent before its request, or not reading for this long, is cut off.
        public var readTimeout: TimeAmount = .seconds(30)
        /// A connection kept open at the client's request (`keep_alive`) is closed when its next
        /// request does not come within this time. Default 5 s, longer than our client keeps one.
        public var keepAliveIdle: TimeAmount = .seconds(5)
        /// Open connections (each serves one upload at a time, or waits for the next request of a
        /// kept connection); more are refused at once. Default 64.
        public var maxUploads = 64
        /// Open connections from one source address; more are refused at once. Default 16.
        public var maxUploadsPerClient = 16
        /// Cap on the request line. Default 64 KiB.
        public var maxLineBytes = 65_536
        /// With a key, a client must pass the cluster handshake before its request.
        public var clusterKey: ClusterKey?

        public init(listen: ListenTarget) {
            self.listen = listen
        }
    }

    public let configuration: Configuration
    private let files: any ServedFiles
    private let counters: TransferCounters
    private let logger: Logger

    public init(configuration: Configuration, files: any ServedFiles, counters: TransferCounters, logger: Logger) {
        self.configuration = configuration
        self.files = files
        self.counters = counters
        self.logger = logger
    }

    public func bind(group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Channel {
        let limiter = ConnectionLimiter(
            limit: configuration.maxUploads, perClientLimit: configuration.maxUploadsPerClient)
        let refusals = RefusalLogThrottle()
        let settings = ObtainHandler.Settings(
            chunkSize: configuration.chunkSize, rateLimit: configuration.rateLimit,
            peerRateLimit: configuration.peerRateLimit, stallTimeout: configuration.readTimeout,
            keepAliveIdle: configuration.keepAliveIdle)
        // One pacer for the listener: every connection from an address, on any event loop, shares it.
        let pacer = configuration.peerRateLimit > 0 ? UploadPacer(bytesPerSecond: configuration.peerRateLimit) : nil
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // TCP level: .socketOption(.tcp_nodelay) would set SOL_SOCKET option 1, SO_DEBUG, which
            // needs CAP_NET_ADMIN: run as any user but root, every connection would fail.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [configuration, files, counters, logger] channel in
                let wording = ConnectionLimiter.RefusalWording(
                    connection: "an upload", replyType: .obtainResponse, overLimit: "too_many_uploads",
                    overClientLimit: "too_many_uploads_from_address")
                if let refused = limiter.refuseIfOverLimit(channel, wording: wording, logger: logger) {
                    return refused
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: configuration.readTimeout),
                        ByteToMessageHandler(
                            LineFrameDecoder(
                                limits: FrameLimits(maxLineBytes: configuration.maxLineBytes, maxRegistryLineBytes: 0))),
                    ])
                    if let key = configuration.clusterKey {
                        try channel.pipeline.syncOperations.addHandler(
                            ClusterGateHandler(key: key, service: .peer, logger: logger, throttle: refusals))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ObtainHandler(
                            files: files, settings: settings, pacer: pacer, counters: counters, logger: logger))
                }
            }
        return try await configuration.listen.bind(bootstrap)
    }
}

extension ListenTarget {
    /// Binds `bootstrap` here: an address, a Unix socket path, or an inherited descriptor.
    func bind(_ bootstrap: ServerBootstrap) async throws -> Channel {
        switch self {
        case .address(let host, let port):
            return try await bootstrap.bind(host: host, port: port).get()
        case .unixSocket(let path):
            return try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        case .inherited(let descriptor):
            return try await bootstrap.withBoundSocket(descriptor).get()
        }
    }
}
