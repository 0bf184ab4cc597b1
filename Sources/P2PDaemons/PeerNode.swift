import Logging
import NIOCore
import P2PCatalog
import P2PConfig
import P2PNet
import P2PProtocol
import P2PTransfer

#if canImport(Glibc)
    import Glibc
#endif

/// The parts of a running peer that its services and its control commands share.
public final class PeerNode: Sendable {
    public let settings: PeerSettings
    public let catalog: Catalog
    public let counters = TransferCounters()
    public let downloader: Downloader
    /// Searches (one before every download) reuse a few open connections to the index, when no
    /// cluster key is configured.
    let indexSearches: IndexConnectionPool
    public let startedAt = ContinuousClock.now
    let logger: Logger

    public init(settings: PeerSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        catalog = Catalog(configuration: Catalog.Configuration(stateDirectory: settings.stateDirectory))
        downloader = Downloader(
            selfID: settings.id, fsync: settings.transfer.fsync,
            timeout: .seconds(Int64(settings.transfer.readTimeoutSeconds)), counters: counters, logger: logger,
            clusterKey: settings.clusterKey)
        indexSearches = IndexConnectionPool(
            endpoint: PeerEndpoint(host: settings.index.host, port: settings.index.port),
            clusterKey: settings.clusterKey)
    }

    public var indexEndpoint: PeerEndpoint { PeerEndpoint(host: settings.index.host, port: settings.index.port) }

    /// Creates the state folders a fresh peer needs (systemd creates only the state folder).
    public func prepareFolders() throws {
        for path in [
            settings.stateDirectory, settings.sharedDirectory, settings.downloadedDirectory,
            settings.replicatedDirectory,
        ] {
            if mkdir(path, 0o750) != 0 && errno != EEXIST {
                throw SystemError("mkdir", path: path, errno: errno)
            }
        }
    }

    /// Search at the index.
    public func search(_ request: SearchRequest) async throws -> [SearchResult] {
        let envelope = Envelope(type: .searchRequest, peerID: settings.id, payload: request.payload)
        let reply = try await indexSearches.request(envelope)
        // A search that finds nothing is an error reply too; only a refused handshake is a failure.
        if let code = ReplyStatus.errorCode(of: reply.payload), code.hasPrefix("cluster_") {
            throw ClientError.refused(indexEndpoint.description, code: code)
        }
        return try SearchResponse(payload: reply.payload).results
    }

    /// Finds `fileName` (or `sha256`) at the index and downloads it into `directory`.
    public func fetch(
        fileName: String?, sha256: String?, into directory: String, progress: @escaping Downloader.Progress
    ) async throws -> DownloadOutcome {
        let query =
            sha256.map { SearchRequest(query: $0, mode: .sha256) } ?? SearchRequest(query: fileName ?? "", mode: .exact)
        var results = try await search(query)
        if let fileName { results = results.filter { $0.fileName == fileName } }
        let plan = try DownloadPlan.choose(from: results, wantedSHA256: sha256, excluding: settings.id)
        return try await downloader.download(plan, into: directory, progress: progress)
    }
}
