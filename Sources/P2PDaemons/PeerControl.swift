import P2PCatalog
import P2PNet
import P2PProtocol
import P2PTransfer

#if canImport(Glibc)
    import Glibc
#endif

/// What `p2pctl` can ask of this peer, answered from the running daemon's parts.
struct PeerControl: PeerController {
    let node: PeerNode
    let link: IndexLink
    let rates: TransferRates
    let listenAddress: String

    func search(_ request: SearchRequest) async throws -> [SearchResult] {
        try await node.search(request)
    }

    func download(
        _ command: DownloadCommand, progress: @escaping @Sendable (TransferProgress) -> Void
    ) async throws -> DownloadOutcome {
        try await fetch(command.fileName, command.sha256, into: node.settings.downloadedDirectory, progress: progress)
    }

    func replicate(fileName: String) async throws -> DownloadOutcome {
        if let name = try? FileName(fileName), node.catalog.snapshot[name] != nil {
            throw ControlRefusal("\(fileName) is already shared by this peer")
        }
        return try await fetch(fileName, nil, into: node.settings.replicatedDirectory) { _ in }
    }

    private func fetch(
        _ fileName: String?, _ sha256: String?, into directory: String,
        progress: @escaping @Sendable (TransferProgress) -> Void
    ) async throws -> DownloadOutcome {
        do {
            return try await node.fetch(fileName: fileName, sha256: sha256, into: directory) { bytes, total, source in
                progress(TransferProgress(bytes: bytes, total: total, source: source))
            }
        } catch let error as DownloadPlanError {
            throw ControlRefusal("\(fileName ?? sha256 ?? "?"): \(error)")
        }
    }

    func stats() async -> PeerStats {
        let counters = node.counters
        let entries = node.catalog.snapshot.entries.values
        let (up, down) = rates.current
        return PeerStats(
            peerID: node.settings.id, filesShared: entries.filter { $0.folder == .shared }.count,
            filesReplicated: entries.filter { $0.folder == .replicated }.count,
            bytesUploaded: counters.bytesUploaded.load(ordering: .relaxed),
            bytesDownloaded: counters.bytesDownloaded.load(ordering: .relaxed), uploadRate: up, downloadRate: down,
            uploadsInFlight: counters.uploadsInFlight.load(ordering: .relaxed),
            downloadsInFlight: counters.downloadsInFlight.load(ordering: .relaxed),
            downloadsCompleted: counters.downloadsCompleted.load(ordering: .relaxed),
            downloadsFailed: counters.downloadsFailed.load(ordering: .relaxed), indexReachable: link.status.reachable)
    }

    func localFiles() async -> [LocalFile] {
        var files = node.catalog.snapshot.sortedEntries.map { entry in
            LocalFile(
                name: entry.name.string, folder: entry.folder == .shared ? .shared : .replicated, size: entry.size,
                sha256: entry.sha256.hex)
        }
        files += Self.listFolder(node.settings.downloadedDirectory).map {
            LocalFile(name: $0.name, folder: .downloaded, size: $0.size)
        }
        return files
    }

    /// Finished downloads: regular files, no `.part`, no hidden names.
    private static func listFolder(_ path: String) -> [(name: String, size: Int64)] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var found: [(String, Int64)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard (try? FileName(name)) != nil, !name.hasPrefix(".") else { continue }
            var status = stat()
            guard fstatat(dirfd(directory), name, &status, AT_SYMLINK_NOFOLLOW) == 0,
                (status.st_mode & S_IFMT) == S_IFREG
            else { continue }
            found.append((name, Int64(status.st_size)))
        }
        return found.sorted { $0.0 < $1.0 }
    }

    func peers() async throws -> [PeerSummary] {
        let reply = try await IndexClient.request(
            Envelope(type: .peersRequest, peerID: node.settings.id, payload: [:]), with: node.indexEndpoint,
            clusterKey: node.settings.clusterKey)
        if let code = ReplyStatus.errorCode(of: reply.payload) { throw ControlRefusal("the index answered: \(code)") }
        guard case .array(let rows)? = reply.payload["peers"] else { return [] }
        return try rows.map { row throws(ProtocolError) in try PeerSummary(json: row) }
    }

    func status() async -> PeerStatus {
        let linkStatus = link.status
        let uptime = ContinuousClock.now - node.startedAt
        return PeerStatus(
            peerID: node.settings.id, version: P2PVersion.current, listen: listenAddress,
            index: node.indexEndpoint.description, indexReachable: linkStatus.reachable,
            registeredFiles: linkStatus.registeredFiles, uptimeSeconds: uptime.components.seconds,
            state: linkStatus.reachable
                ? "running" : "running, index unreachable (\(linkStatus.lastError ?? "not yet contacted"))")
    }
}

/// A refusal worded for the user; its description is the whole message.
struct ControlRefusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
