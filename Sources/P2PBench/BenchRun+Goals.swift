import P2PProtocol

/// The goals phase of `p2p-bench run --goals [--anchors]`, after the scaling experiments, with
/// the same daemons: the anchors on the same files, the repeated goal measurements, the verdicts,
/// and the files a reader looks at (goals.json, anchors.json, summary.md, the plots).
///
/// Order matters: the file anchors and the big downloads run while the index is small and idle;
/// the big index is registered afterwards and stays for the search measurements; the start-up
/// probes start daemons of their own.
extension BenchRun {
    /// The peer that measures the download with fsync (the others run without, like the anchors).
    static let fsyncPeerID = "peer3"

    func measureGoals(
        cluster: ScratchCluster, source: DatasetSpec, parameters: [(String, JSONValue)],
        strong: [StrongScaling.Point], problems: inout Problems, progress: ProgressLine
    ) throws(BenchError) {
        let config = configuration
        let repetitions = max(1, config.repetitions)
        guard let index = cluster.indexAddress else { throw .daemon("the index is not running") }
        var m = GoalMeasurements()
        let work = cluster.root + "/anchors"
        let bigName = source.name(.gb, 1)
        let downloader = cluster.controlSocket(Self.peerIDs[1])

        if config.anchors {
            let fetch = FileFetchAnchors(
                .init(
                    servedDirectory: cluster.sharedDirectory(source.peerID), fileName: bigName,
                    fileSize: source.size(.gb), workDirectory: work, repetitions: repetitions))
            progress.status("anchor: rsync daemon → rsync, \(Formatting.bytes(source.size(.gb))) × \(repetitions)")
            m.rsync = fetch.rsync()
            report(m.rsync, progress)
            progress.status(
                "anchor: nginx (sendfile) → curl -o, \(Formatting.bytes(source.size(.gb))) × \(repetitions)")
            m.nginx = fetch.nginx()
            report(m.nginx, progress)
            progress.status("anchor: iperf3 over loopback, \(config.iperfSeconds) s")
            m.iperf = IperfCeiling.measure(workDirectory: work + "/iperf3", seconds: config.iperfSeconds)
            if let ceiling = m.iperf?.value {
                progress.line("anchor iperf3 (one TCP stream, loopback): \(Formatting.fixed(ceiling, 0)) MB/s")
            } else if let skip = m.iperf?.skip {
                progress.line(skip.description)
            }
        }

        progress.status("goal: \(bigName) peer to peer, \(repetitions) ×")
        m.bigDownload = try repeatedDownload(
            bigName, socket: downloader, label: "p2p", times: repetitions, problems: &problems)
        progress.line("p2p download of \(bigName), no fsync: " + rates(m.bigDownload))
        progress.status("goal: \(bigName) peer to peer with fsync")
        try cluster.startPeer(Self.fsyncPeerID, settings: ["Replication.Enabled=no", "Transfer.Fsync=yes"])
        m.bigDownloadFsync = try repeatedDownload(
            bigName, socket: cluster.controlSocket(Self.fsyncPeerID), label: "p2p fsync", times: 1,
            problems: &problems)
        progress.line("p2p download of \(bigName), fsync: " + rates(m.bigDownloadFsync))

        let small = source.files(.kb).map(\.name)
        let ceiling = FileCreationCeiling(
            sources: small.map { cluster.sharedDirectory(source.peerID) + "/" + $0 },
            parent: cluster.stateDirectory(Self.peerIDs[1]), concurrency: m.smallFilesConcurrency)
        for run in 0..<repetitions {
            progress.status("file system alone: \(small.count) small files created and renamed, run \(run + 1)")
            m.fileCreationCeiling.append(try ceiling.measure())
            progress.status(
                "goal: \(small.count) small files at concurrency \(m.smallFilesConcurrency), run \(run + 1)")
            let points = try StrongScaling(
                .init(
                    controlSocket: downloader, workload: DatasetKind.kb.rawValue, files: small,
                    concurrency: [m.smallFilesConcurrency])
            ).run()
            count(points, into: &problems)
            m.smallFiles += points
        }

        for run in 0..<repetitions {
            progress.status("goal: register \(config.registerFiles) files, run \(run + 1)")
            m.register.append(
                try RegistryLoad(.init(index: index, files: config.registerFiles, peerID: "bench-register")).run())
        }
        progress.status("goal: register \(config.indexFiles) files and keep them")
        let big = try RegistryLoad(
            .init(
                index: index, files: config.indexFiles, batchSize: Self.bigIndexBatch, peerID: "bench-index",
                indexPID: cluster.index?.pid, unregister: false)
        ).run()
        m.bigIndex = big
        progress.line(ResultTables.summary(big))

        let names = Self.searchNames(indexFiles: config.indexFiles)
        for run in 0..<repetitions {
            progress.status("goal: search with \(m.searchClients) clients at \(big.stats.files) files, run \(run + 1)")
            let points = try WeakScaling(
                .init(
                    index: index, clients: [m.searchClients], searchesPerClient: config.goalSearchesPerClient,
                    modes: [.persistent], names: names,
                    watched: cluster.index.map { [WatchedProcess(name: "index", pid: $0.pid)] } ?? [])
            ).run()
            problems.failedSearches += points.reduce(0) { $0 + $1.failed }
            m.search += points
        }
        progress.status("search latency curve at \(big.stats.files) files")
        let curve = try WeakScaling(
            .init(
                index: index, clients: config.clients, searchesPerClient: config.searchesPerClient,
                modes: [.persistent], names: names)
        ).run()
        problems.failedSearches += curve.reduce(0) { $0 + $1.failed }

        var redisCurve: [RedisAnchor.Point] = []
        if config.anchors {
            progress.status("anchor: redis-benchmark -t get")
            let redis = RedisAnchor(
                workDirectory: work + "/redis", requests: m.searchClients * config.goalSearchesPerClient)
            switch redis.measure(clients: Array(repeating: m.searchClients, count: repetitions) + config.clients) {
            case .measured(let points):
                m.redis = .measured(Array(points.prefix(repetitions)))
                redisCurve = Array(points.dropFirst(repetitions))
                let rate = Median.of(points.prefix(repetitions).map(\.requestsPerSecond)) ?? 0
                progress.line("anchor redis GET, \(m.searchClients) clients: \(Formatting.fixed(rate, 0)) req/s")
            case .skipped(let skip):
                m.redis = .skipped(skip)
                progress.line(skip.description)
            }
        }

        progress.status("goal: daemon start-up and idle memory")
        let startup = DaemonStartup(
            binDirectory: config.startupBinDirectory ?? config.binDirectory, workDirectory: cluster.root + "/startup",
            repetitions: repetitions)
        m.indexStartup = try startup.index()
        m.peerStartup = try startup.peer(index: index)

        try writeGoalResults(
            m, parameters: parameters, strong: strong, curve: curve, redisCurve: redisCurve,
            indexedFiles: big.stats.files, progress: progress)
    }

    /// Files per registration message for the big index: the search and memory goals are about
    /// the index once it holds the files, not about how they got there, and with big batches the
    /// index's per-batch costs (which grow with the peer's catalog) do not dominate the run. A
    /// batch is about 5.5 MB, well under the index's 16 MiB registry line limit.
    static let bigIndexBatch = 50_000

    /// Exact names of the synthetic files, spread over the whole big index.
    static func searchNames(indexFiles: Int) -> [String] {
        let count = min(indexFiles, 50_000)
        let stride = max(1, indexFiles / count)
        return (0..<count).map { RegistryLoad.syntheticFile($0 * stride).name }
    }

    /// Downloads one file `times` times at concurrency 1; every copy re-hashed and removed.
    private func repeatedDownload(
        _ name: String, socket: String, label: String, times: Int, problems: inout Problems
    ) throws(BenchError) -> RepeatedTransfer {
        var walls: [UInt64] = []
        var bytes: Int64 = 0
        for _ in 0..<times {
            let points = try StrongScaling(
                .init(controlSocket: socket, workload: DatasetKind.gb.rawValue, files: [name], concurrency: [1])
            ).run()
            count(points, into: &problems)
            for point in points where point.isClean {
                walls.append(point.wallNanoseconds)
                bytes = point.bytes
            }
            if let bad = points.first(where: { !$0.isClean }) {
                throw .failedChecks("download of \(name) failed: \(bad.firstError ?? "short or unverified")")
            }
        }
        return RepeatedTransfer(name: label, bytes: bytes, wallNanoseconds: walls)
    }

    private func count(_ points: [StrongScaling.Point], into problems: inout Problems) {
        for point in points {
            problems.failedDownloads += point.failed
            problems.shortFiles += point.short
            problems.corruptFiles += point.corrupt
            problems.unverifiedFiles += point.unverified
        }
    }

    private func rates(_ transfer: RepeatedTransfer?) -> String {
        guard let transfer else { return "not measured" }
        return "median \(Formatting.fixed(transfer.medianMegabytesPerSecond, 0)) MB/s (runs "
            + transfer.rates.map { Formatting.fixed($0, 0) }.joined(separator: ", ") + ")"
    }

    private func report(_ result: AnchorResult<RepeatedTransfer>?, _ progress: ProgressLine) {
        switch result {
        case .measured(let transfer)?: progress.line("anchor \(transfer.name): " + rates(transfer))
        case .skipped(let skip)?: progress.line(skip.description)
        case nil: break
        }
    }

    private func writeGoalResults(
        _ m: GoalMeasurements, parameters: [(String, JSONValue)], strong: [StrongScaling.Point],
        curve: [WeakScaling.Point], redisCurve: [RedisAnchor.Point], indexedFiles: Int, progress: ProgressLine
    ) throws(BenchError) {
        let config = configuration
        let out = config.outDirectory
        let verdicts = GoalTable.verdicts(m)
        progress.line("")
        progress.line("goals (figures are medians; ratio = ours / anchor):")
        for row in verdicts {
            progress.line(
                "\(row.verdict.rawValue.padding(5)) \(row.goal): \(row.ours) | anchor: \(row.anchor) | "
                    + "ratio \(row.ratioText) | target \(row.target)")
        }
        let goalParameters =
            parameters + [
                ("repetitions", .int(Int64(config.repetitions))), ("index_files", .int(Int64(config.indexFiles))),
                ("register_files", .int(Int64(config.registerFiles))),
                ("goal_searches_per_client", .int(Int64(config.goalSearchesPerClient))),
                ("anchors", .bool(config.anchors)),
                ("startup_bin_dir", .string(config.startupBinDirectory ?? config.binDirectory)),
            ]
        let details: [(String, JSONValue)] = [
            ("big_download", m.bigDownload?.json ?? .null),
            ("big_download_fsync", m.bigDownloadFsync?.json ?? .null),
            ("small_files", .array(m.smallFiles.map(\.json))),
            ("small_files_file_system_alone", .array(m.fileCreationCeiling.map(\.json))),
            ("register", .array(m.register.map(\.json))),
            ("big_index", m.bigIndex?.json ?? .null),
            ("search", .array(m.search.map(\.json))),
            ("search_curve", .array(curve.map(\.json))),
            ("index_startup", m.indexStartup?.json ?? .null),
            ("peer_startup", m.peerStartup?.json ?? .null),
        ]
        try ResultDocument.write(
            ResultDocument.make(
                experiment: "goals", parameters: .object(goalParameters), points: verdicts.map(\.json),
                extra: [("measurements", .object(details))]),
            to: out + "/goals.json")
        if config.anchors {
            let anchors: [(String, JSONValue)] = [
                ("rsync", Self.json(m.rsync) { $0.json }),
                ("nginx_curl", Self.json(m.nginx) { $0.json }),
                ("iperf3_megabytes_per_second", Self.json(m.iperf) { .rounded($0, digits: 1) }),
                ("redis_get", Self.json(m.redis) { .array($0.map(\.json)) }),
                ("redis_get_curve", .array(redisCurve.map(\.json))),
            ]
            try ResultDocument.write(
                ResultDocument.make(
                    experiment: "anchors", parameters: .object(goalParameters), points: [], extra: anchors),
                to: out + "/anchors.json")
        }
        let summary = SummaryMarkdown.render(
            verdicts: verdicts, measurements: m, machine: .current(), scale: config.scale, command: config.command)
        try FileIO.writeText(summary, to: out + "/summary.md")
        progress.line("summary in \(out)/summary.md")
        progress.line(
            try PlotFiles.write("throughput", PlotFiles.throughput(strong: strong, measurements: m), into: out))
        progress.line(
            try PlotFiles.write(
                "latency", PlotFiles.latency(ours: curve, redis: redisCurve, indexedFiles: indexedFiles), into: out))
    }

    private static func json<T>(_ result: AnchorResult<T>?, _ body: (T) -> JSONValue) -> JSONValue {
        switch result {
        case .measured(let value)?: body(value)
        case .skipped(let skip)?: .object([("skipped", .string(skip.reason))])
        case nil: .null
        }
    }
}

extension String {
    /// Padded with spaces on the right to `width`.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
