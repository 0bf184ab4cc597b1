import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// The load soak: an index and several peers as real processes in a scratch folder, held under
/// many concurrent searches and downloads for a while, watched for errors and for growth of
/// memory or open descriptors between the first and the last window of the run.
///
/// The load starts with a warm-up (allocators and caches settle; not measured), then runs for
/// `durationSeconds`. Searches come from `connections` connections held open throughout;
/// downloads from `downloads` workers spread over the peers, each fetching its own file from
/// another peer again and again. Every count and every wait is bounded.
public struct SoakRun {
    public struct Configuration: Sendable {
        public var binDirectory: String
        public var durationSeconds = 60.0
        public var warmupSeconds = 5.0
        /// The first and the last window compared; at most a third of the duration.
        public var windowSeconds = 10.0
        public var connections = 1000
        public var downloads = 200
        public var peers = 5
        public var fileBytes = 256 << 10
        public var searchPauseMilliseconds = 200
        public var searchThreads = 2
        public var tolerance = SoakTolerance()
        public var scratchParent = Directories.temporaryParent
        public var keepScratch = false
        /// Where to write the JSON results; none when `nil`.
        public var outPath: String?

        public init(binDirectory: String) {
            self.binDirectory = binDirectory
        }

        /// The window actually compared.
        public var window: Double { min(windowSeconds, durationSeconds / 3) }
    }

    /// The control socket's own limit (ControlServer's default): downloads per peer stay below.
    static let controlConnectionsPerPeer = 60

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        let c = configuration
        guard (1...3600).contains(c.durationSeconds), (0...600).contains(c.warmupSeconds) else {
            throw .invalidArgument("--duration must be in 1…3600 s and --warmup in 0…600 s")
        }
        guard c.windowSeconds > 0 else { throw .invalidArgument("--window must be positive") }
        guard (1...20_000).contains(c.connections) else { throw .invalidArgument("--connections must be in 1…20000") }
        guard (2...32).contains(c.peers) else { throw .invalidArgument("--peers must be in 2…32") }
        guard (1...(c.peers * Self.controlConnectionsPerPeer)).contains(c.downloads) else {
            throw .invalidArgument(
                "--downloads must be in 1…\(c.peers * Self.controlConnectionsPerPeer) "
                    + "(\(Self.controlConnectionsPerPeer) per peer, the control socket's limit)")
        }
        guard (1...(64 << 20)).contains(c.fileBytes) else {
            throw .invalidArgument("--file-size must be in 1 B…64 MiB")
        }
        guard (0...60_000).contains(c.searchPauseMilliseconds) else {
            throw .invalidArgument("--search-pause must be in 0…60000 ms")
        }
        guard (1...64).contains(c.searchThreads) else { throw .invalidArgument("--search-threads must be in 1…64") }
        self.configuration = configuration
    }

    /// Runs the soak; `progress` gets one line at a time (set-up, and the daemons' figures every
    /// few seconds). The report says what held and what did not.
    public func run(progress: @escaping @Sendable (String) -> Void) throws(BenchError) -> SoakReport {
        let c = configuration
        // Our sockets, the daemons' (they inherit the limit) and some slack.
        let limit = try SoakFileLimit.raise(to: c.connections + 2 * c.downloads + 512)
        progress("open-file limit \(limit)")
        let scratch = try Directories.makeTemporary(in: c.scratchParent, prefix: "p2p-soak-")
        defer {
            if c.keepScratch { progress("scratch folder kept: \(scratch)") } else { Directories.removeTree(scratch) }
        }
        let cluster = try ScratchCluster(root: scratch, binDirectory: c.binDirectory)
        defer { cluster.stop() }
        let ids = (1...c.peers).map { "peer\($0)" }
        let jobs = try writeFiles(cluster: cluster, ids: ids)
        progress("\(jobs.count) files of \(Formatting.bytes(Int64(c.fileBytes))) written for \(c.peers) peers")

        let indexAddress = try cluster.startIndex(settings: [
            "Index.MaxConnections=\(c.connections + 1024)",
            "Index.MaxConnectionsPerClient=\(c.connections + 1024)",
            "Index.ReplicationFactor=1",
        ])
        let uploads = max(64, c.downloads)
        for id in ids {
            try cluster.startPeer(
                id,
                settings: [
                    "Transfer.MaxUploads=\(uploads)", "Transfer.MaxUploadsPerClient=\(uploads)", "Transfer.Fsync=no",
                ])
        }
        var daemons = cluster.peers.map(\.process.pid)
        if let index = cluster.index { daemons.append(index.pid) }
        SoakInterruption.install(stopping: daemons, scratch: c.keepScratch ? nil : scratch)
        let address = try indexAddress.resolve()
        _ = try IndexQueries.waitForFiles(jobs.count, at: address, timeoutSeconds: 120)
        progress("index at \(indexAddress) lists all \(jobs.count) files")

        var search = SoakSearchLoad.Configuration(
            index: address, connections: c.connections, queries: jobs.map(\.fileName))
        search.pauseMilliseconds = c.searchPauseMilliseconds
        search.threads = c.searchThreads
        let searchLoad = try SoakSearchLoad(search)
        let downloadLoad = try SoakDownloadLoad(jobs)
        var watched = [SoakSeries]()
        if let index = cluster.index { watched.append(SoakSeries(name: "index", pid: index.pid)) }
        for (id, process) in cluster.peers { watched.append(SoakSeries(name: id, pid: process.pid)) }
        let series = watched

        let loadStart = MonotonicTime.now() + 200_000_000
        let measured = loadStart + UInt64(c.warmupSeconds * 1e9)
        let end = measured + UInt64(c.durationSeconds * 1e9)
        progress(
            "load: \(c.connections) search connections, \(c.downloads) downloads; "
                + "\(Formatting.fixed(c.warmupSeconds, 0)) s warm-up, \(Formatting.fixed(c.durationSeconds, 0)) s measured"
        )
        let (parts, _) = ThreadGang.run(3) { role, gate -> SoakPart in
            gate.wait()
            switch role {
            case 0: return .search(searchLoad.run(start: measured, end: end))
            case 1: return .download(downloadLoad.run(start: measured, end: end))
            default: return .samples(SoakSampler.watch(series, from: measured, until: end, progress: progress))
            }
        }
        var report = SoakReport(configuration: c)
        for part in parts {
            switch part {
            case .search(let tally): report.search = tally
            case .download(let tally): report.download = tally
            case .samples(let taken): report.series = taken
            }
        }
        if let index = cluster.index, !index.isRunning { report.problems.append("the index died: \(index.tail(5))") }
        for (id, process) in cluster.peers where !process.isRunning {
            report.problems.append("\(id) died: \(process.tail(5))")
        }
        report.judge()
        if let out = c.outPath { try ResultDocument.write(report.json, to: out) }
        return report
    }

    /// Worker w: the downloading peer w mod P fetches its own file from another peer, which
    /// shares it. Returns one assignment per download worker.
    private func writeFiles(cluster: ScratchCluster, ids: [String]) throws(BenchError) -> [SoakDownloadLoad.Assignment]
    {
        let peers = ids.count
        var jobs: [SoakDownloadLoad.Assignment] = []
        var bytes = [UInt8](repeating: 0, count: configuration.fileBytes)
        for id in ids {
            try Directories.create(cluster.sharedDirectory(id))
        }
        for worker in 0..<configuration.downloads {
            let downloader = worker % peers
            let round = worker / peers
            let source = (downloader + 1 + round % (peers - 1)) % peers
            let name = "soak-\(ids[source])-to-\(ids[downloader])-\(round).bin"
            var random = FastRandom(name: name)
            bytes.withUnsafeMutableBytes { random.fill($0) }
            let path = cluster.sharedDirectory(ids[source]) + "/" + name
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .system("open", path: path, errno: errno) }
            defer { close(descriptor) }
            let failure = bytes.withUnsafeBytes { raw -> BenchError? in
                do throws(BenchError) {
                    try FileIO.writeAll(descriptor, raw, path: path)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            guard let digest = FileDigest.sha256(of: path) else {
                throw .system("read", path: path, errno: errno)
            }
            jobs.append(
                SoakDownloadLoad.Assignment(
                    controlSocket: cluster.controlSocket(ids[downloader]), fileName: name, size: digest.size,
                    sha256: digest.hex))
        }
        return jobs
    }
}

/// What each of the soak's three threads hands back.
private enum SoakPart: Sendable {
    case search(SoakTally)
    case download(SoakTally)
    case samples([SoakSeries])
}
