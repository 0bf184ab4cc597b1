import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// `p2p-bench run`: everything at one scale, end to end.
///
/// In a scratch folder: generate peer1's and peer2's datasets, start `p2p-indexd` and two
/// `p2p-peerd` on loopback, wait until the index holds both catalogs, then measure weak scaling
/// (searches), strong scaling (peer2 downloading peer1's files through its control socket, per
/// workload kb/mb/gb) and the registry load; write `weak.json`, `strong.json` and
/// `registry.json` into the output folder; stop the daemons and remove the scratch folder.
///
/// Replication is off in the peers (otherwise each would start copying the other's whole dataset
/// into `replicated/` while being measured); everything else is at its default unless
/// `peerSettings` says otherwise.
public struct BenchRun: Sendable {
    public struct Configuration: Sendable {
        public var scale: Double
        public var outDirectory: String
        public var binDirectory: String
        /// With `goals`: where the start-up and idle-memory goals find `p2p-indexd` and
        /// `p2p-peerd`; `nil`: `binDirectory`. `make bench` passes the `make dist` layout so those
        /// goals judge the static binary that ships, while the load runs against release builds.
        public var startupBinDirectory: String?
        public var clients = [1, 2, 4, 8, 16, 32]
        public var searchesPerClient = 1000
        public var modes = WeakScaling.Mode.allCases
        public var concurrency = [1, 2, 4, 8]
        public var workloads = DatasetKind.allCases
        /// Synthetic files for the registry load; `nil`: max(1000, 100,000 × scale).
        public var registryFiles: Int?
        /// Extra `Section.Key=Value` settings for both peers.
        public var peerSettings: [String] = []
        public var scratchParent = Directories.temporaryParent
        public var keepScratch = false
        /// Also measure the product goals (`BenchRun+Goals.swift`): repeated big and small
        /// downloads, a big index, daemon start-up; write goals.json, summary.md and the plots.
        public var goals = false
        /// With `goals`: measure the anchors (rsync, nginx→curl, iperf3, redis) in the same run.
        public var anchors = false
        /// Repetitions of each goal measurement; the verdicts use the medians.
        public var repetitions = 3
        /// Files in the index for the search and memory goals.
        public var indexFiles = 1_000_000
        /// Files for the registration-time goal.
        public var registerFiles = 100_000
        /// Searches per client in each repetition of the search goal.
        public var goalSearchesPerClient = 5000
        /// Seconds of the iperf3 ceiling run.
        public var iperfSeconds = 3
        /// How the run was started, for summary.md.
        public var command = "p2p-bench run"

        public init(scale: Double, outDirectory: String, binDirectory: String) {
            self.scale = scale
            self.outDirectory = outDirectory
            self.binDirectory = binDirectory
        }

        var effectiveRegistryFiles: Int { registryFiles ?? max(1000, Int(100_000 * scale)) }
    }

    /// What went wrong in a run that otherwise finished; empty when everything was clean.
    public struct Problems: Sendable, Equatable {
        public var failedSearches = 0
        public var failedDownloads = 0
        public var shortFiles = 0
        public var corruptFiles = 0
        public var unverifiedFiles = 0
        public var uncleanStops: [String] = []

        public var isEmpty: Bool {
            failedSearches == 0 && failedDownloads == 0 && shortFiles == 0 && corruptFiles == 0
                && unverifiedFiles == 0 && uncleanStops.isEmpty
        }

        public var description: String {
            var parts: [String] = []
            if failedSearches > 0 { parts.append("\(failedSearches) failed searches") }
            if failedDownloads > 0 { parts.append("\(failedDownloads) failed downloads") }
            if shortFiles > 0 { parts.append("\(shortFiles) short files") }
            if corruptFiles > 0 { parts.append("\(corruptFiles) corrupt files") }
            if unverifiedFiles > 0 { parts.append("\(unverifiedFiles) unverified downloads") }
            if !uncleanStops.isEmpty { parts.append("unclean stop of \(uncleanStops.joined(separator: ", "))") }
            return parts.joined(separator: ", ")
        }
    }

    public static let peerIDs = ["peer1", "peer2"]

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        _ = try DatasetSpec(peerID: Self.peerIDs[0], scale: configuration.scale)
        self.configuration = configuration
    }

    public func run(progress: ProgressLine) throws(BenchError) -> Problems {
        let config = configuration
        try Directories.create(config.outDirectory)
        let scratch = try Directories.makeTemporary(in: config.scratchParent, prefix: "p2p-bench-")
        TopDirectoryFlag.set(on: scratch)
        defer {
            if config.keepScratch {
                progress.line("scratch folder kept: \(scratch)")
            } else {
                Directories.removeTree(scratch)
            }
        }
        // Under a name of its own each run: ext4 starts its search for a top directory's group
        // at a hash of the name, so a fixed name would land each run where the last one freed.
        let root = try Directories.makeTemporary(in: scratch, prefix: "run-")
        let cluster = try ScratchCluster(root: root, binDirectory: config.binDirectory)
        var problems = Problems()
        do {
            try measureAll(cluster: cluster, problems: &problems, progress: progress)
        } catch {
            progress.line("daemon logs:\n" + cluster.logTails())
            cluster.stop()
            throw error
        }
        progress.status("stopping the daemons")
        problems.uncleanStops = cluster.stop()
        progress.line("results in \(config.outDirectory)")
        return problems
    }

    private func measureAll(
        cluster: ScratchCluster, problems: inout Problems, progress: ProgressLine
    ) throws(BenchError) {
        let config = configuration
        let specs = try Self.peerIDs.map { id throws(BenchError) in try DatasetSpec(peerID: id, scale: config.scale) }
        for spec in specs { try generate(spec, into: cluster.sharedDirectory(spec.peerID), progress: progress) }
        // The datasets on disk before anything is timed: otherwise the kernel writes their
        // gigabytes back while the first transfers are measured, and throttles writers once
        // dirty pages pass its limit.
        progress.status("writing the datasets to disk (sync)")
        sync()

        progress.status("starting p2p-indexd and \(Self.peerIDs.count) p2p-peerd")
        let index = try cluster.startIndex()
        // With the goals, downloads are written without fsync like the anchors' (one more peer
        // measures the fsync figure); a --peer-set given explicitly still wins.
        let peerSettings =
            ["Replication.Enabled=no"] + (config.goals ? ["Transfer.Fsync=no"] : []) + config.peerSettings
        for id in Self.peerIDs { try cluster.startPeer(id, settings: peerSettings) }
        let expectedFiles = specs.reduce(0) { $0 + $1.totalFiles }
        let waitStart = MonotonicTime.now()
        _ = try IndexQueries.waitForFiles(
            expectedFiles, at: try index.resolve(), timeoutSeconds: 60 + 240 * config.scale
        ) { count in progress.status("waiting for registration: \(count)/\(expectedFiles) files at the index") }
        progress.line(
            "index \(index) holds \(expectedFiles) files of \(Self.peerIDs.count) peers after "
                + "\(Formatting.fixed(MonotonicTime.seconds(since: waitStart), 1)) s (hashing and registration)")

        let parameters = runParameters(specs: specs, peerSettings: peerSettings)
        try weak(
            index: index, names: specs.flatMap { $0.allFiles.map(\.name) },
            watched: cluster.index.map { [WatchedProcess(name: "index", pid: $0.pid)] } ?? [], parameters, &problems,
            progress)
        let strongPoints = try strong(
            cluster: cluster, source: specs[0],
            watched: cluster.peers.map { WatchedProcess(name: $0.id, pid: $0.process.pid) }, parameters, &problems,
            progress)
        try registry(index: index, pid: cluster.index?.pid, parameters, progress)
        if config.goals {
            try measureGoals(
                cluster: cluster, source: specs[0], parameters: parameters, strong: strongPoints,
                problems: &problems, progress: progress)
        }
    }

    private func generate(_ spec: DatasetSpec, into directory: String, progress: ProgressLine) throws(BenchError) {
        let start = MonotonicTime.now()
        var done = 0
        try DatasetWriter(spec: spec, directory: directory).write { _ in
            done += 1
            if done % 50 == 0 { progress.status("generating \(spec.peerID): \(done)/\(spec.totalFiles) files") }
        }
        let seconds = MonotonicTime.seconds(since: start)
        progress.line(
            "generated \(spec.peerID): \(spec.totalFiles) files, \(Formatting.bytes(spec.totalBytes)) in "
                + "\(Formatting.fixed(seconds, 2)) s")
    }

    private func weak(
        index: HostPort, names: [String], watched: [WatchedProcess], _ parameters: [(String, JSONValue)],
        _ problems: inout Problems,
        _ progress: ProgressLine
    ) throws(BenchError) {
        let config = configuration
        progress.line("weak scaling: \(config.searchesPerClient) searches per client")
        progress.line(ResultTables.weakHeader)
        let points = try WeakScaling(
            .init(
                index: index, clients: config.clients, searchesPerClient: config.searchesPerClient,
                modes: config.modes, names: names, watched: watched)
        ).run { point in progress.line(ResultTables.row(point)) }
        problems.failedSearches += points.reduce(0) { $0 + $1.failed }
        let document = ResultDocument.make(
            experiment: "weak",
            parameters: .object(
                parameters + [
                    ("clients", .array(config.clients.map { .int(Int64($0)) })),
                    ("searches_per_client", .int(Int64(config.searchesPerClient))),
                    ("modes", .array(config.modes.map { .string($0.rawValue) })),
                    ("names", .int(Int64(names.count))),
                ]),
            points: points.map(\.json))
        try ResultDocument.write(document, to: config.outDirectory + "/weak.json")
    }

    private func strong(
        cluster: ScratchCluster, source: DatasetSpec, watched: [WatchedProcess], _ parameters: [(String, JSONValue)],
        _ problems: inout Problems, _ progress: ProgressLine
    ) throws(BenchError) -> [StrongScaling.Point] {
        let config = configuration
        let downloader = Self.peerIDs[1]
        progress.line("strong scaling: \(downloader) downloads \(source.peerID)'s files through its control socket")
        progress.line(ResultTables.strongHeader)
        var points: [StrongScaling.Point] = []
        for kind in config.workloads {
            let files = source.files(kind).map(\.name)
            progress.status("strong scaling: \(kind.rawValue), \(files.count) files")
            points += try StrongScaling(
                .init(
                    controlSocket: cluster.controlSocket(downloader), workload: kind.rawValue, files: files,
                    concurrency: config.concurrency, watched: watched)
            ).run { point in progress.line(ResultTables.row(point)) }
        }
        for point in points {
            problems.failedDownloads += point.failed
            problems.shortFiles += point.short
            problems.corruptFiles += point.corrupt
            problems.unverifiedFiles += point.unverified
        }
        let document = ResultDocument.make(
            experiment: "strong",
            parameters: .object(
                parameters + [
                    ("downloader", .string(downloader)),
                    ("source", .string(source.peerID)),
                    ("concurrency", .array(config.concurrency.map { .int(Int64($0)) })),
                    ("workloads", .array(config.workloads.map { .string($0.rawValue) })),
                    ("note", "concurrency is capped at the workload's file count; MB = 10^6 bytes"),
                ]),
            points: points.map(\.json))
        try ResultDocument.write(document, to: config.outDirectory + "/strong.json")
        return points
    }

    private func registry(
        index: HostPort, pid: Int32?, _ parameters: [(String, JSONValue)], _ progress: ProgressLine
    ) throws(BenchError) {
        let config = configuration
        progress.status("registry load: \(config.effectiveRegistryFiles) synthetic files")
        let outcome = try RegistryLoad(.init(index: index, files: config.effectiveRegistryFiles, indexPID: pid)).run()
        progress.line(ResultTables.summary(outcome))
        let document = ResultDocument.make(
            experiment: "registry",
            parameters: .object(parameters + [("files", .int(Int64(outcome.files)))]),
            points: [outcome.json])
        try ResultDocument.write(document, to: config.outDirectory + "/registry.json")
    }

    /// Parameters every result file of the run shares.
    func runParameters(specs: [DatasetSpec], peerSettings: [String]) -> [(String, JSONValue)] {
        let spec = specs[0]
        let binName = configuration.binDirectory.split(separator: "/").last.map(String.init) ?? ""
        return [
            ("scale", .double(configuration.scale)),
            (
                "dataset_per_peer",
                .object(
                    DatasetKind.allCases.map { kind in
                        (
                            kind.rawValue,
                            .object([("count", .int(Int64(spec.count(kind)))), ("size", .int(spec.size(kind)))])
                        )
                    })
            ),
            ("peers", .array(specs.map { .string($0.peerID) })),
            ("peer_settings", .array(peerSettings.map(JSONValue.string))),
            ("daemon_build", .string(["debug", "release"].contains(binName) ? binName : "unknown")),
        ]
    }
}
