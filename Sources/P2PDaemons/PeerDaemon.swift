import Logging
import NIOCore
import P2PCatalog
import P2PNet
import P2PProtocol
import P2PTransfer
import ServiceLifecycle
import Systemd

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

    public init(node: PeerNode, listenFDs: ListenFDs, notifier: SystemdNotifier, logger: Logger) {
        self.node = node
        self.listenFDs = listenFDs
        self.notifier = notifier
        self.logger = logger
        (replication, replicationInput) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        let settings = node.settings
        link = IndexLink(
            configuration: IndexLink.Configuration(
                peerID: settings.id, advertised: PeerEndpoint(host: settings.advertiseHost, port: settings.port),
                index: node.indexEndpoint, heartbeatInterval: .seconds(settings.heartbeatIntervalSeconds)),
            catalog: node.catalog, logger: logger,
            onTasks: { [replicationInput, enabled = settings.replication.enabled] tasks in
                if enabled { replicationInput.yield(tasks) }
            })
    }

    public func run() async throws {
        let settings = node.settings
        try node.prepareFolders()
        let refresher = CatalogRefresher(catalog: node.catalog, link: link, logger: logger)
        refresher.loadCached()

        var serverConfiguration = PeerServer.Configuration(
            listen: ListenSelection.choose(
                named: "data", from: listenFDs,
                configured: .address(host: settings.listenAddress, port: settings.port), logger: logger))
        serverConfiguration.chunkSize = settings.transfer.chunkSize
        serverConfiguration.rateLimit = Int64(settings.transfer.rateLimitBytesPerSecond)
        serverConfiguration.readTimeout = .seconds(Int64(settings.transfer.readTimeoutSeconds))
        serverConfiguration.maxUploads = settings.transfer.maxUploads
        let server = PeerServer(
            configuration: serverConfiguration, files: CatalogServedFiles(catalog: node.catalog),
            counters: node.counters, logger: logger)
        let listener = try await server.bind()
        let address = ListenSelection.describe(listener.localAddress, fallback: serverConfiguration.listen)
        logger.info("listening on \(address)", metadata: ["peer_id": "\(settings.id)"])
        link.advertise(port: listener.localAddress?.port ?? settings.port)
        _ = try? notifier.ready(status: "Serving \(node.catalog.snapshot.count) files on \(address)")

        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await link.run() }
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
        logger.info("stopped")
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
                        "replicated", metadata: ["file_name": "\(result.fileName)", "peer_id": "\(task.sourcePeerID)"])
                    await refresher.refresh()
                } catch {
                    seen.remove(task.fileName)
                    logger.warning(
                        "replication failed", metadata: ["file_name": "\(task.fileName)", "error": "\(error)"])
                }
            }
        }
    }

    /// The `STATUS=` line.
    public func statusLine(interval: Duration, previous: inout (up: Int64, down: Int64)) -> String {
        let counters = node.counters
        let up = counters.bytesUploaded.load(ordering: .relaxed)
        let down = counters.bytesDownloaded.load(ordering: .relaxed)
        let seconds = max(Double(interval.components.seconds), 1)
        let upRate = Double(up - previous.up) / seconds / 1024
        let downRate = Double(down - previous.down) / seconds / 1024
        previous = (up, down)
        let index = link.status.reachable ? "index ok" : "index unreachable"
        return
            "Sharing \(node.catalog.snapshot.count) files; Uploading \(Int(upRate)) KB/s, Downloading \(Int(downRate)) KB/s; "
            + "\(counters.uploadsInFlight.load(ordering: .relaxed)) up, \(counters.downloadsInFlight.load(ordering: .relaxed)) down; \(index)"
    }
}
