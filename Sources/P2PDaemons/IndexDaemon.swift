import Logging
import NIOCore
import P2PIndex
import P2PNet
import ServiceLifecycle

/// The index daemon as one service: listen, expire silent peers, and on graceful shutdown stop
/// accepting and return.
public struct IndexDaemon: Service {
    public let server: IndexServer
    private let logger: Logger
    private let onListening: @Sendable (SocketAddress?) -> Void

    /// - Parameter onListening: called once the socket listens, with its address; readiness is
    ///   reported from here, never earlier.
    public init(
        server: IndexServer, logger: Logger, onListening: @escaping @Sendable (SocketAddress?) -> Void = { _ in }
    ) {
        self.server = server
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let listener = try await server.bind()
        logger.info(
            "listening on \(Self.describe(listener.localAddress, fallback: server.configuration.listen))",
            metadata: ["address": "\(listener.localAddress?.description ?? "?")"])
        onListening(listener.localAddress)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let expired = server.service.expirePeers()
                for peerID in expired { logger.info("peer expired", metadata: ["peer_id": "\(peerID)"]) }
            }
        }
        logger.info("stopping: closing the listener")
        try? await listener.close()
    }

    /// `host:port` for logs and tests; a Unix socket by its path.
    public static func describe(_ address: SocketAddress?, fallback: ListenTarget) -> String {
        guard let address else { return fallback.description }
        if let ip = address.ipAddress, let port = address.port {
            return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        return address.pathname ?? fallback.description
    }
}
