import ArgumentParser
import P2PConfig
import P2PDaemons
import P2PIndex
import P2PProtocol
import Synchronization

/// `p2p-indexd`: parses options and wires the index daemon together.
///
/// A library type so that both the `p2p-indexd` executable and the multi-call binary that ships in the
/// package (`p2p-multicall`, run through a link named `p2p-indexd`) start the same command.
public struct IndexDaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "p2p-indexd",
        abstract: "The p2p index daemon: knows which peer shares which file and answers searches.",
        discussion: """
            Settings come from <config-dir>/index.conf and index.conf.d/*.conf, then P2P_INDEX_* \
            environment variables, then the options below (see p2p.conf(5)).
            """,
        version: P2PVersion.current)

    @Option(help: ArgumentHelp("Address to listen on (Index.ListenAddress).", valueName: "address"))
    var listenAddress: String?

    @Option(help: ArgumentHelp("TCP port to listen on; 0 picks a free one (Index.Port).", valueName: "port"))
    var port: Int?

    @OptionGroup var options: DaemonOptions

    public init() {}

    public func run() async throws {
        let context = DaemonLauncher.start(identifier: "p2p-indexd")
        let locations = ConfigLocations(configDirectory: options.configDir)
        let load = { @Sendable [options, listenAddress, port] () throws(ConfigurationError) in
            var overrides = try options.overrides()
            if let listenAddress { overrides["Index.ListenAddress"] = listenAddress }
            if let port { overrides["Index.Port"] = String(port) }
            return try IndexSettings.load(locations: locations, environment: context.environment, overrides: overrides)
        }
        let settings = DaemonLauncher.load("p2p-indexd", logger: context.logger, checkOnly: options.checkConfig, load)
        let daemon = IndexDaemon(
            settings: settings, listenFDs: context.listenFDs, notifier: context.notifier, logger: context.logger)
        let searches = Mutex<Int64>(0)
        let status = StatusReporter(notifier: context.notifier) { interval in
            searches.withLock { daemon.statusLine(interval: interval, previousSearches: &$0) }
        }
        let reload = ReloadOnHangup(notifier: context.notifier, logger: context.logger) {
            guard let loaded = try? load() else {
                context.logger.error("reload failed: the configuration has errors; keeping the running one")
                return "Reload failed; running with the previous configuration"
            }
            daemon.server.service.reconfigure(IndexDaemon.indexConfiguration(loaded.settings))
            // Everything but the index tunables (applied above) needs a restart; say so if it changed.
            var live = loaded.settings
            (live.heartbeatTTLSeconds, live.seedPeerLifetimeSeconds) =
                (settings.heartbeatTTLSeconds, settings.seedPeerLifetimeSeconds)
            (live.replicationFactor, live.maxSearchResults, live.trustAdvertisedAddresses) =
                (settings.replicationFactor, settings.maxSearchResults, settings.trustAdvertisedAddresses)
            if live != settings {
                context.logger.notice(
                    "only the index tunables changed live; listener, frame caps, timeouts, limits and the cluster key change on restart"
                )
            }
            return "Reloaded"
        }
        try await DaemonLauncher.run([daemon, status, reload], context: context)
    }
}
