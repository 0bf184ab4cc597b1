import Logging
import NIOCore
import P2PCatalog
import P2PNet
import P2PProtocol
import P2PTransfer
import ServiceLifecycle
import Systemd

#if canImport(Glibc)
    import Glibc
#endif

/// The peer daemon as one service: load the cached catalog, listen, report readiness, then keep
/// the index informed, the catalog fresh and replication going until graceful shutdown.
public struct PeerDaemon: Service {
    public let node: PeerNode
    public let link: IndexLink
    private let listenFDs: ListenFDs
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let replication: AsyncStream<[ReplicationTask]>
    private let replicationInput: AsyncStream<[ReplicationTask]>.Continuation
    let rates: TransferRates
    private let hashing = HashingProgress()

    public init(node: PeerNode, listenFDs: ListenFDs, notifier: SystemdNotifier, logger: Logger) {
        self.node = node
        self.listenFDs = listenFDs
        self.notifier = notifier
        self.logger = logger
        (replication, replicationInput) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        let settings = node.settings
        rates = TransferRates(counters: node.counters)
        var linkConfiguration = IndexLink.Configuration(
            peerID: settings.id, advertised: PeerEndpoint(host: settings.advertiseHost, port: settings.port),
            index: node.indexEndpoint, heartbeatInterval: .seconds(settings.heartbeatIntervalSeconds))
        linkConfiguration.clusterKey = settings.clusterKey
        link = IndexLink(
            configuration: linkConfiguration,
            catalog: node.catalog, logger: logger,
            onTasks: { [replicationInput, enabled = settings.replication.enabled] tasks in
                if enabled { replicationInput.yield(tasks) }
            })
    }

    public func run() async throws {
        let settings = node.settings
        try node.prepareFolders()
        let refresher = CatalogRefresher(catalog: node.catalog, link: link, hashing: hashing, logger: logger)
        refresher.loadCached()

        var serverConfiguration = PeerServer.Configuration(
            listen: ListenSelection.choose(
                named: "data", from: listenFDs,
                configured: .address(host: settings.listenAddress, port: settings.port), logger: logger))
        serverConfiguration.chunkSize = settings.transfer.chunkSize
        serverConfiguration.rateLimit = Int64(settings.transfer.rateLimitBytesPerSecond)
        serverConfiguration.peerRateLimit = Int64(settings.transfer.peerRateLimitBytesPerSecond)
        serverConfiguration.readTimeout = .seconds(Int64(settings.transfer.readTimeoutSeconds))
        serverConfiguration.maxUploads = settings.transfer.maxUploads
        serverConfiguration.maxUploadsPerClient = settings.transfer.maxUploadsPerClient
        serverConfiguration.maxLineBytes = settings.transfer.maxFrameBytes
        serverConfiguration.clusterKey = settings.clusterKey
        if let key = settings.clusterKey { logger.info("cluster key in use: \(key)") }
        let server = PeerServer(
            configuration: serverConfiguration, files: CatalogServedFiles(catalog: node.catalog),
            counters: node.counters, logger: logger)
        let listener = try await server.bind()
        let address = ListenSelection.describe(listener.localAddress, fallback: serverConfiguration.listen)
        logger.info("listening on \(address)")
        link.advertise(port: listener.localAddress?.port ?? settings.port)
        let control = ControlServer(
            configuration: controlConfiguration(),
            controller: PeerControl(node: node, link: link, rates: rates, listenAddress: address), logger: logger)

        let (controlReady, controlListening) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                do {
                    try await cancelWhenGracefulShutdown {
                        try await control.run { controlListening.finish() }
                    }
                } catch is CancellationError {
                    // Graceful shutdown: the control socket closes; the rest of the stop goes on.
                }
            }
            for await _ in controlReady {}
            _ = try? notifier.ready(status: "Serving \(node.catalog.snapshot.count) files on \(address)")
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await withDiscardingTaskGroup { group in
                        group.addTask { await link.run() }
                        group.addTask { await rates.run() }
                        group.addTask {
                            await refresher.watch(
                                folders: [settings.sharedDirectory, settings.replicatedDirectory],
                                rescanInterval: .seconds(settings.rescanIntervalSeconds))
                        }
                        group.addTask { await replicate(refresher: refresher) }
                    }
                }
                _ = try? notifier.stopping(status: "Stopping: finishing uploads")
                try? await listener.close()
                await link.unregister()
                await finishUploads(grace: .seconds(5))
            }
        }
        logger.info("stopped")
    }

    /// The control socket: the passed `control` socket, or the configured path; access for root,
    /// our own user and the control group (a missing group only narrows access, with a warning).
    private func controlConfiguration() -> ControlServer.Configuration {
        let settings = node.settings
        var group: ControlGroup?
        do {
            group = try ControlGroup.resolve(settings.controlGroup)
        } catch {
            logger.warning(
                "control group unavailable; only root and our own user may use p2pctl", metadata: ["error": "\(error)"])
        }
        var configuration = ControlServer.Configuration(
            listen: ListenSelection.choose(
                named: "control", from: listenFDs, configured: .unixSocket(path: settings.controlSocket), logger: logger
            ),
            group: group)
        configuration.socketMode = mode_t(settings.controlSocketMode)
        return configuration
    }

    /// Gives uploads in flight a short grace to finish; what is left is cut at exit.
    private func finishUploads(grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        while node.counters.uploadsInFlight.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Copies files the index asked for into `replicated/`, one at a time.
    private func replicate(refresher: CatalogRefresher) async {
        var seen: Set<String> = []
        for await tasks in replication {
            for task in tasks where !seen.contains(task.fileName) {
                guard let name = try? FileName(task.fileName), node.catalog.snapshot[name] == nil else { continue }
                seen.insert(task.fileName)
                let plan = DownloadPlan(
                    fileName: task.fileName, sha256: task.meta.sha256, size: task.meta.size,
                    sources: [
                        SearchResult(
                            peerID: task.sourcePeerID, endpoint: task.source, fileName: task.fileName, meta: task.meta)
                    ])
                do {
                    let result = try await node.downloader.download(plan, into: node.settings.replicatedDirectory)
                    logger.info(
                        "replicated",
                        metadata: ["file_name": "\(result.fileName)", "source_peer": "\(task.sourcePeerID)"])
                    await refresher.refresh()
                } catch {
                    seen.remove(task.fileName)
                    logger.warning(
                        "replication failed", metadata: ["file_name": "\(task.fileName)", "error": "\(error)"])
                }
            }
        }
    }

    /// The `STATUS=` line: what the peer is doing (hashing, registering), then its traffic.
    public func statusLine() -> String {
        let counters = node.counters
        let (up, down) = rates.current
        let status = link.status
        let index =
            status.reachable
            ? "index ok" : status.lastError == nil ? "registering with the index" : "index unreachable, retrying"
        let activity = hashing.summary.map { "\($0); " } ?? ""
        return "\(activity)Sharing \(node.catalog.snapshot.count) files; "
            + "Uploading \(up / 1024) KB/s, Downloading \(down / 1024) KB/s; "
            + "\(counters.uploadsInFlight.load(ordering: .relaxed)) up, "
            + "\(counters.downloadsInFlight.load(ordering: .relaxed)) down; \(index)"
    }
}
