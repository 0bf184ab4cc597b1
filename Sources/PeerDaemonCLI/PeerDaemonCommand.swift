import ArgumentParser
import P2PConfig
import P2PDaemons
import P2PProtocol

/// `p2p-peerd`: parses options and wires one peer daemon together.
///
/// A library type so that both the `p2p-peerd` executable and the multi-call binary that ships in the
/// package (`p2p-multicall`, run through a link named `p2p-peerd`) start the same command.
public struct PeerDaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "p2p-peerd",
        abstract: "A p2p peer daemon: shares a folder, serves, downloads and replicates files.",
        discussion: """
            Settings come from <config-dir>/peer.conf, peers/<id>.conf and their .conf.d drop-ins, then \
            P2P_* environment variables, then the options below (see p2p.conf(5)). Files put in \
            <state-dir>/shared are shared; downloads land in <state-dir>/downloaded.
            """,
        version: P2PVersion.current)

    @Option(help: ArgumentHelp("Peer id, e.g. peer1 (the systemd instance name).", valueName: "id"))
    var id: String

    @Option(
        help: ArgumentHelp(
            "State folder (shared/, downloaded/, replicated/); the control socket then defaults to <dir>/control.sock.",
            valueName: "dir"))
    var stateDir: String?

    @Option(help: ArgumentHelp("TCP port to serve files on; 0 picks a free one (Peer.Port).", valueName: "port"))
    var port: Int?

    @OptionGroup var options: DaemonOptions

    public init() {}

    public func run() async throws {
        let context = DaemonLauncher.start(identifier: "p2p-peerd")
        let locations = ConfigLocations(configDirectory: options.configDir, stateDirectory: stateDir)
        let load = { @Sendable [id, options, port] () throws(ConfigurationError) in
            var overrides = try options.overrides()
            if let port { overrides["Peer.Port"] = String(port) }
            return try PeerSettings.load(
                id: id, locations: locations, environment: context.environment, overrides: overrides)
        }
        let settings = DaemonLauncher.load("p2p-peerd", logger: context.logger, checkOnly: options.checkConfig, load)
        var logger = context.logger
        logger[metadataKey: "peer_id"] = "\(settings.id)"
        let node = PeerNode(settings: settings, logger: logger)
        let daemon = PeerDaemon(node: node, listenFDs: context.listenFDs, notifier: context.notifier, logger: logger)
        let status = StatusReporter(notifier: context.notifier) { _ in daemon.statusLine() }
        let reload = ReloadOnHangup(notifier: context.notifier, logger: logger) { [logger] in
            guard (try? load()) != nil else {
                logger.error("reload failed: the configuration has errors; keeping the running one")
                return "Reload failed; running with the previous configuration"
            }
            logger.notice("configuration re-read; changed settings take effect on restart")
            return "Reloaded"
        }
        try await DaemonLauncher.run([daemon, status, reload], context: context)
    }
}
