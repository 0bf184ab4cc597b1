import ArgumentParser
import Logging
import P2PDaemons
import P2PIndex
import P2PNet
import P2PProtocol
import ServiceLifecycle

/// `p2p-indexd`: parses options and wires the index daemon together.
@main
struct IndexDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2p-indexd",
        abstract: "The p2p index daemon: knows which peer shares which file and answers searches.",
        version: P2PVersion.current)

    @Option(help: "Address to listen on.")
    var listenAddress = "0.0.0.0"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port = 7000

    @Option(help: "Seconds after which a silent heartbeating peer leaves the index.")
    var heartbeatTTL = 30

    @Option(help: "Copies of each file the index asks peers to keep.")
    var replicationFactor = 2

    @Option(help: "Seconds a connection may stay silent (or stall mid-line) before it is closed.")
    var readTimeout = 30

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let logger = Logger(label: "p2p-indexd")
        var indexConfiguration = IndexConfiguration()
        indexConfiguration.heartbeatTTLMilliseconds = Int64(heartbeatTTL) * 1000
        indexConfiguration.replicationFactor = replicationFactor
        var serverConfiguration = IndexServer.Configuration(listen: .address(host: listenAddress, port: port))
        serverConfiguration.readTimeout = .seconds(Int64(readTimeout))
        let server = IndexServer(
            configuration: serverConfiguration,
            service: IndexService(configuration: indexConfiguration), logger: logger)
        let group = ServiceGroup(
            services: [IndexDaemon(server: server, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
