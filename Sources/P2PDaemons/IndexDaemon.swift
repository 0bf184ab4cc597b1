import Logging
import NIOCore
import P2PConfig
import P2PIndex
import P2PNet
import ServiceLifecycle
import Systemd

/// The index daemon as one service: listen, report readiness, expire silent peers, and on
/// graceful shutdown say `STOPPING=1`, stop accepting and return.
public struct IndexDaemon: Service {
    public let server: IndexServer
    private let notifier: SystemdNotifier
    private let logger: Logger

    /// - Parameter listenFDs: sockets from systemd; one named `index` (or the only stream socket)
    ///   wins over the configured address.
    public init(settings: IndexSettings, listenFDs: ListenFDs, notifier: SystemdNotifier, logger: Logger) {
        Self.keepLargeTablesInTheirOwnMappings()
        var configuration = IndexServer.Configuration(
            listen: ListenSelection.choose(
                named: "index", from: listenFDs,
                configured: .address(host: settings.listenAddress, port: settings.port), takesUnnamed: true,
                logger: logger))
        configuration.limits = FrameLimits(
            maxLineBytes: settings.maxFrameBytes, maxRegistryLineBytes: settings.maxRegistryFrameBytes)
        configuration.readTimeout = .seconds(Int64(settings.readTimeoutSeconds))
        configuration.maxConnections = settings.maxConnections
        configuration.maxConnectionsPerClient = settings.maxConnectionsPerClient
        configuration.clusterKey = settings.clusterKey
        if let key = settings.clusterKey { logger.info("cluster key in use: \(key)") }
        self.server = IndexServer(
            configuration: configuration, service: IndexService(configuration: Self.indexConfiguration(settings)),
            logger: logger)
        self.notifier = notifier
        self.logger = logger
    }

    /// The index core's tunables from the settings; also what a reload applies live.
    public static func indexConfiguration(_ settings: IndexSettings) -> IndexConfiguration {
        var configuration = IndexConfiguration()
        configuration.heartbeatTTLMilliseconds = Int64(settings.heartbeatTTLSeconds) * 1000
        configuration.seedPeerLifetimeMilliseconds = Int64(settings.seedPeerLifetimeSeconds) * 1000
        configuration.replicationFactor = settings.replicationFactor
        configuration.maxSearchResults = settings.maxSearchResults
        configuration.trustAdvertisedAddresses = settings.trustAdvertisedAddresses
        return configuration
    }

    public func run() async throws {
        let listener = try await server.bind()
        let address = ListenSelection.describe(listener.localAddress, fallback: server.configuration.listen)
        logger.info("listening on \(address)")
        _ = try? notifier.ready(status: "Listening on \(address)")
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                for peerID in server.service.expirePeers() {
                    logger.info("peer expired", metadata: ["peer_id": "\(peerID)"])
                }
            }
        }
        _ = try? notifier.stopping(status: "Stopping")
        logger.info("stopping: closing the listener")
        try? await listener.close()
    }

    /// The `STATUS=` line: live figures an admin wants at a glance.
    public func statusLine(interval: Duration, previousSearches: inout Int64) -> String {
        let stats = server.service.stats()
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(stats.searches - previousSearches) / seconds : 0
        previousSearches = stats.searches
        return "\(stats.peers) peers, \(stats.files) files (\(stats.names) names), \(Int(rate.rounded())) searches/s"
    }
}
