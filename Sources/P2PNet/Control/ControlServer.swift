import Logging
import NIOCore
import NIOPosix
import P2PProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The peer daemon's control socket: newline-delimited JSON requests from p2pctl, answered by a
/// `PeerController`.
///
/// Each connection is checked with SO_PEERCRED / SO_PEERGROUPS against `ControlAccessPolicy`,
/// then serves requests one after another (see `ControlConnection`). A controller call that
/// throws becomes an error reply; the connection and the server carry on.
///
/// `run` binds, serves until its task is cancelled, then closes the listener and removes the
/// socket file it created. With ServiceLifecycle: `try await cancelWhenGracefulShutdown { try
/// await server.run() }`.
public struct ControlServer: Sendable {
    public struct Configuration: Sendable {
        /// `.unixSocket(path)` (created, chmodded, chowned) or `.inherited(fd)` (systemd's
        /// socket unit sets mode and group). TCP is refused: the caller check needs a Unix socket.
        public var listen: ListenTarget
        /// Mode of a socket file we create. Default 0660: owner and group may connect.
        public var socketMode: mode_t = 0o660
        /// Members may use the socket, and a socket file we create is chowned to it. Default
        /// `nil`: only root and the daemon's own user.
        public var group: ControlGroup?
        /// The uid admitted besides root. Default: the daemon's own (`getuid()`).
        public var daemonUID: uid_t = getuid()
        /// Longest request line. Default 64 KiB; a request is a few hundred bytes.
        public var maxLineBytes = 65_536
        /// A connection that sends no complete request for this long is closed; a command that
        /// runs long (a download) is not idle. Default 30 s.
        public var idleTimeout: TimeAmount = .seconds(30)
        /// Open control connections beyond this are refused. Default 64.
        public var maxConnections = 64

        public init(listen: ListenTarget, group: ControlGroup? = nil) {
            self.listen = listen
            self.group = group
        }
    }

    public let configuration: Configuration
    private let controller: any PeerController
    private let logger: Logger

    public init(configuration: Configuration, controller: any PeerController, logger: Logger) {
        self.configuration = configuration
        self.controller = controller
        self.logger = logger
    }

    /// Binds, calls `onListening` once clients can connect (report readiness from there), and
    /// serves until the calling task is cancelled.
    public func run(
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @Sendable () -> Void = {}
    ) async throws {
        let listener = try await bind(group: group)
        let createdPath: String? = if case .unixSocket(let path) = configuration.listen { path } else { nil }
        defer { if let createdPath { unlink(createdPath) } }
        logger.info("control socket listening", metadata: ["socket": "\(configuration.listen)"])
        onListening()
        let policy = ControlAccessPolicy(daemonUID: configuration.daemonUID, group: configuration.group)
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { tasks in
                for try await accepted in inbound {
                    switch accepted {
                    case .admitted(let channel):
                        // On the connection's own loop: see EventLoopTaskExecutor.
                        tasks.addTask(executorPreference: EventLoopTaskExecutor(channel.channel.eventLoop)) {
                            await ControlConnection(
                                channel: channel, controller: controller, policy: policy,
                                idleTimeout: configuration.idleTimeout, logger: logger
                            ).run()
                        }
                    case .overLimit(let channel):
                        tasks.addTask { await refuseOverLimit(channel) }
                    }
                }
            }
        }
        logger.info("control socket closed", metadata: ["socket": "\(configuration.listen)"])
    }

    /// Tells a connection past `maxConnections` why, and closes it.
    private func refuseOverLimit(_ channel: NIOAsyncChannel<ByteBuffer, Never>) async {
        let limit = configuration.maxConnections
        logger.warning("refusing a control connection: limit reached", metadata: ["limit": "\(limit)"])
        let refusal = ControlResponseLine.failure("too many control connections (limit \(limit))")
        try? await channel.executeThenClose { _ in
            try await channel.channel.writeAndFlush(ByteBuffer(bytes: refusal.encodedLine())).get()
        }
    }

    private func bind(group: EventLoopGroup) async throws -> NIOAsyncChannel<AcceptedControlConnection, Never> {
        let limiter = ConnectionLimiter(limit: configuration.maxConnections)
        let limits = FrameLimits(maxLineBytes: configuration.maxLineBytes, maxRegistryLineBytes: 0)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (Channel) -> EventLoopFuture<AcceptedControlConnection> = { channel in
            let admitted = limiter.admit(channel)
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(limits: limits)))
                let wrapped = try NIOAsyncChannel<ByteBuffer, Never>(wrappingChannelSynchronously: channel)
                return admitted ? .admitted(wrapped) : .overLimit(wrapped)
            }
        }
        switch configuration.listen {
        case .unixSocket(let path):
            let listener = try await bootstrap.bind(
                unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
            do {
                try SocketFile.setPermissions(path: path, mode: configuration.socketMode, group: configuration.group)
            } catch {
                try? await listener.channel.close()
                unlink(path)
                throw error
            }
            return listener
        case .inherited(let descriptor):
            return try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
        case .address:
            throw ControlServerError.notAUnixSocket(configuration.listen)
        }
    }
}
