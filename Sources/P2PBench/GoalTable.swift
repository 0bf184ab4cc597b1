/// The product's performance goals, judged from one run's measurements.
///
/// The thresholds are the product requirement's; the names carry the sizes actually measured, so
/// a reduced run (`make bench-quick`) reads as what it was rather than as the full goal.
public enum GoalTable {
    /// The seed system's 1 KiB download rate, which the small-file goal is ten times.
    public static let seedSmallFilesPerSecond = 1404.0
    public static let smallFilesTarget = 14_040.0
    public static let downloadRatioTarget = 1.0
    public static let searchRatioTarget = 0.5
    public static let searchP99TargetMilliseconds = 1.0
    public static let registerTargetSeconds = 0.2
    public static let indexBytesPerFileTarget = 150.0
    public static let idleResidentTargetBytes = 15.0 * 1_000_000
    public static let readyTargetMilliseconds = 100.0

    public static func verdicts(_ m: GoalMeasurements) -> [GoalVerdict] {
        var rows: [GoalVerdict] = []
        rows += download(m)
        rows += search(m)
        rows.append(smallFiles(m))
        if let ceiling = fileCreationCeiling(m) { rows.append(ceiling) }
        rows += registry(m)
        for startup in [m.indexStartup, m.peerStartup].compactMap({ $0 }) { rows += Self.startup(startup) }
        return rows
    }

    private static func mbps(_ value: Double) -> String { Formatting.fixed(value, 0) + " MB/s" }

    /// The faster of the two file anchors, with its name.
    static func fasterFileAnchor(_ m: GoalMeasurements) -> (name: String, rate: Double)? {
        [m.rsync?.value, m.nginx?.value].compactMap { $0 }
            .map { ($0.name, $0.medianMegabytesPerSecond) }
            .max { $0.1 < $1.1 }
    }

    private static func download(_ m: GoalMeasurements) -> [GoalVerdict] {
        guard let ours = m.bigDownload else { return [] }
        let size = Formatting.bytes(ours.bytes)
        var anchorParts: [String] = []
        for anchor in [m.rsync?.value, m.nginx?.value].compactMap({ $0 }) {
            anchorParts.append("\(anchor.name) \(mbps(anchor.medianMegabytesPerSecond))")
        }
        if let ceiling = m.iperf?.value { anchorParts.append("iperf3 ceiling \(mbps(ceiling))") }
        let anchorText = anchorParts.isEmpty ? "skipped" : anchorParts.joined(separator: "; ")
        let faster = fasterFileAnchor(m)
        let ratio = faster.map { ours.medianMegabytesPerSecond / $0.rate }
        var rows = [
            GoalVerdict(
                goal: "verified \(size) download, peer to peer, no fsync (median of \(ours.wallNanoseconds.count))",
                ours: mbps(ours.medianMegabytesPerSecond), anchor: anchorText, ratio: ratio,
                target: "≥ \(Formatting.fixed(downloadRatioTarget, 1))× the faster of rsync and nginx→curl",
                verdict: ratio.map { GoalVerdict.judged($0 >= downloadRatioTarget) } ?? .notMeasured)
        ]
        if let synced = m.bigDownloadFsync {
            rows.append(
                GoalVerdict(
                    goal: "verified \(size) download, peer to peer, with fsync",
                    ours: mbps(synced.medianMegabytesPerSecond),
                    anchor: faster.map { "\($0.name) \(mbps($0.rate))" }
                        ?? "skipped",
                    ratio: faster.map { synced.medianMegabytesPerSecond / $0.rate },
                    target: "reported (the anchors do not fsync)", verdict: .info))
        }
        return rows
    }

    private static func search(_ m: GoalMeasurements) -> [GoalVerdict] {
        guard !m.search.isEmpty else { return [] }
        let files = m.bigIndex?.stats.files ?? 0
        let rate = Median.of(m.search.map(\.searchesPerSecond)) ?? 0
        let p99 = Median.of(m.search.map { Double($0.latency.p99) / 1e6 }) ?? 0
        let failed = m.search.reduce(0) { $0 + $1.failed }
        let redis = m.redis?.value ?? []
        let redisRate = Median.of(redis.map(\.requestsPerSecond))
        let redisP99 = Median.of(redis.compactMap(\.p99Milliseconds))
        let ratio = redisRate.map { rate / $0 }
        let label = "\(m.searchClients) persistent clients, \(grouped(files)) files indexed"
        var throughputVerdict = ratio.map { GoalVerdict.judged($0 >= searchRatioTarget) } ?? .notMeasured
        if failed > 0 { throughputVerdict = .miss }
        return [
            GoalVerdict(
                goal: "search, \(label) (median of \(m.search.count))",
                ours: Formatting.fixed(rate, 0) + " searches/s" + (failed > 0 ? ", \(failed) failed" : ""),
                anchor: redisRate.map { "redis-benchmark GET -c \(m.searchClients): \(Formatting.fixed($0, 0)) req/s" }
                    ?? "skipped",
                ratio: ratio, target: "≥ \(Formatting.fixed(searchRatioTarget, 1))× redis", verdict: throughputVerdict),
            GoalVerdict(
                goal: "search p99 latency, \(label)", ours: Formatting.fixed(p99, 3) + " ms",
                anchor: redisP99.map { "redis GET p99 \(Formatting.fixed($0, 3)) ms" } ?? "—",
                ratio: nil, target: "< \(Formatting.fixed(searchP99TargetMilliseconds, 0)) ms",
                verdict: GoalVerdict.judged(p99 < searchP99TargetMilliseconds && failed == 0)),
        ]
    }

    private static func smallFiles(_ m: GoalMeasurements) -> GoalVerdict {
        guard let first = m.smallFiles.first else {
            return GoalVerdict(
                goal: "small-file downloads", ours: "not run", anchor: "seed 1,404 files/s", ratio: nil,
                target: "≥ 14,040 files/s", verdict: .notMeasured)
        }
        let rate = Median.of(m.smallFiles.map(\.filesPerSecond)) ?? 0
        let bad = m.smallFiles.reduce(0) { $0 + $1.failed + $1.short + $1.corrupt + $1.unverified }
        let size = first.files > 0 ? Formatting.bytes(first.bytes / Int64(max(1, first.files))) : "?"
        return GoalVerdict(
            goal: "\(first.files) × \(size) downloads at concurrency \(first.concurrency) "
                + "(median of \(m.smallFiles.count))",
            ours: Formatting.fixed(rate, 0) + " files/s, \(bad) empty/short/failed",
            anchor: "seed \(grouped(Int(seedSmallFilesPerSecond))) files/s", ratio: rate / seedSmallFilesPerSecond,
            target: "≥ \(grouped(Int(smallFilesTarget))) files/s, none empty",
            verdict: GoalVerdict.judged(rate >= smallFilesTarget && bad == 0))
    }

    /// Our small-file rate beside what the file system alone allows in the same folder.
    private static func fileCreationCeiling(_ m: GoalMeasurements) -> GoalVerdict? {
        guard let first = m.fileCreationCeiling.first else { return nil }
        let ceiling = Median.of(m.fileCreationCeiling.map(\.filesPerSecond)) ?? 0
        let ours = Median.of(m.smallFiles.map(\.filesPerSecond))
        return GoalVerdict(
            goal: "the same \(first.files) files created, written and renamed by the bench alone "
                + "at concurrency \(first.concurrency), beside downloaded/ (median of \(m.fileCreationCeiling.count))",
            ours: ours.map { Formatting.fixed($0, 0) + " files/s" } ?? "not run",
            anchor: "file system alone " + Formatting.fixed(ceiling, 0) + " files/s",
            ratio: ours.flatMap { ceiling > 0 ? $0 / ceiling : nil },
            target: "reported (bounds the goal above)", verdict: .info)
    }

    private static func registry(_ m: GoalMeasurements) -> [GoalVerdict] {
        var rows: [GoalVerdict] = []
        if let first = m.register.first {
            let seconds = Median.of(m.register.map { Double($0.wallNanoseconds) / 1e9 }) ?? 0
            rows.append(
                GoalVerdict(
                    goal: "register \(grouped(first.files)) files (median of \(m.register.count))",
                    ours: Formatting.fixed(seconds, 3) + " s", anchor: "—", ratio: nil,
                    target: "< \(Formatting.fixed(registerTargetSeconds, 1)) s",
                    verdict: GoalVerdict.judged(seconds < registerTargetSeconds)))
        }
        if let big = m.bigIndex {
            let perFile = big.residentBytesPerFile
            rows.append(
                GoalVerdict(
                    goal: "index memory per file at \(grouped(big.files)) files",
                    ours: perFile.map { Formatting.fixed($0, 0) + " B" } ?? "unreadable", anchor: "—", ratio: nil,
                    target: "< \(Formatting.fixed(indexBytesPerFileTarget, 0)) B",
                    verdict: perFile.map { GoalVerdict.judged($0 < indexBytesPerFileTarget) } ?? .notMeasured))
        }
        return rows
    }

    /// The idle-memory row shows the anonymous part beside the RSS: the RSS is what the goal is
    /// about, the anonymous part is what each running daemon costs on its own (code pages are
    /// shared by every process running the same binary). The label says which build ran.
    private static func startup(_ outcome: DaemonStartup.Outcome) -> [GoalVerdict] {
        let runs = outcome.readyNanoseconds.count
        let build = outcome.executable.hasSuffix("/p2p-multicall") ? ", multi-call binary" : ""
        var memory = Formatting.fixed(outcome.medianIdleResidentBytes / 1e6, 1) + " MB"
        if let anonymous = outcome.medianIdleAnonymousBytes {
            memory += " (\(Formatting.fixed(anonymous / 1e6, 1)) MB anonymous)"
        }
        return [
            GoalVerdict(
                goal: "\(outcome.daemon) idle RSS\(build) (median of \(outcome.idleResidentKiB.count))",
                ours: memory, anchor: "—", ratio: nil,
                target: "< \(Formatting.fixed(idleResidentTargetBytes / 1e6, 0)) MB",
                verdict: outcome.idleResidentKiB.isEmpty
                    ? .notMeasured : GoalVerdict.judged(outcome.medianIdleResidentBytes < idleResidentTargetBytes)),
            GoalVerdict(
                goal: "\(outcome.daemon) exec → READY=1\(build) (median of \(runs))",
                ours: Formatting.fixed(outcome.medianReadyMilliseconds, 1) + " ms", anchor: "—", ratio: nil,
                target: "< \(Formatting.fixed(readyTargetMilliseconds, 0)) ms",
                verdict: GoalVerdict.judged(outcome.medianReadyMilliseconds < readyTargetMilliseconds)),
        ]
    }

    /// 1000000 → "1,000,000".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }
}
