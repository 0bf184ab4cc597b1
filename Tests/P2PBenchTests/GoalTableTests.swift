import P2PProtocol
import Testing

@testable import P2PBench

/// The verdicts: each goal compares the median against the anchor or the threshold the product
/// requirement sets, and a missing anchor is "n/a", never a pass.
@Suite struct GoalTableTests {
    static let gib: Int64 = 1 << 30

    /// A transfer of `bytes` whose runs took the given seconds.
    static func transfer(_ name: String, bytes: Int64 = gib, seconds: [Double]) -> RepeatedTransfer {
        RepeatedTransfer(name: name, bytes: bytes, wallNanoseconds: seconds.map { UInt64($0 * 1e9) })
    }

    static func row(_ rows: [GoalVerdict], _ prefix: String) -> GoalVerdict? {
        rows.first { $0.goal.hasPrefix(prefix) }
    }

    @Test func downloadIsJudgedAgainstTheFasterAnchorsMedian() throws {
        var m = GoalMeasurements()
        // Ours: runs of 0.5, 0.6 and 2.0 s: the median run is 0.6 s, one slow run does not sink it.
        m.bigDownload = Self.transfer("p2p", seconds: [0.5, 2.0, 0.6])
        m.rsync = .measured(Self.transfer("rsync", seconds: [1.0, 1.0, 1.0]))
        m.nginx = .measured(Self.transfer("nginx", seconds: [0.55, 0.55, 0.55]))
        let row = try #require(Self.row(GoalTable.verdicts(m), "verified 1.0 GiB download, peer to peer, no fsync"))
        #expect(row.verdict == .miss)
        #expect(abs(row.ratio! - 0.55 / 0.6) < 1e-9)
        #expect(row.anchor.contains("rsync") && row.anchor.contains("nginx"))

        m.nginx = .skipped(.missing("nginx", package: "nginx-light"))
        let againstRsync = try #require(Self.row(GoalTable.verdicts(m), "verified"))
        #expect(againstRsync.verdict == .pass)
        #expect(abs(againstRsync.ratio! - 1.0 / 0.6) < 1e-9)
    }

    @Test func withoutAnyAnchorTheDownloadGoalIsNotMeasured() throws {
        var m = GoalMeasurements()
        m.bigDownload = Self.transfer("p2p", seconds: [0.1])
        m.rsync = .skipped(.missing("rsync", package: "rsync"))
        let row = try #require(Self.row(GoalTable.verdicts(m), "verified"))
        #expect(row.verdict == .notMeasured)
        #expect(row.ratio == nil)
    }

    static func searchPoint(perSecond: Double, p99Milliseconds: Double, failed: Int = 0) -> WeakScaling.Point {
        let searches = 16_000
        return WeakScaling.Point(
            mode: .persistent, clients: 16, searchesPerClient: 1000, succeeded: searches - failed, failed: failed,
            firstError: nil, wallNanoseconds: UInt64(Double(searches - failed) / perSecond * 1e9),
            latency: LatencySummary(nanoseconds: [UInt64(p99Milliseconds * 1e6)]))
    }

    @Test func searchNeedsHalfOfRedisAndAP99UnderOneMillisecond() throws {
        var m = GoalMeasurements()
        m.search = [
            Self.searchPoint(perSecond: 60_000, p99Milliseconds: 0.8),
            Self.searchPoint(perSecond: 40_000, p99Milliseconds: 0.9),
            Self.searchPoint(perSecond: 50_000, p99Milliseconds: 3.0),
        ]
        m.redis = .measured(
            [100_000, 90_000, 110_000].map {
                RedisAnchor.Point(
                    clients: 16, requests: 1, requestsPerSecond: $0, p50Milliseconds: 0.1, p99Milliseconds: 0.3)
            })
        let rows = GoalTable.verdicts(m)
        let throughput = try #require(Self.row(rows, "search, 16"))
        #expect(abs(throughput.ratio! - 0.5) < 1e-6)
        #expect(throughput.verdict == .pass)
        let latency = try #require(Self.row(rows, "search p99"))
        #expect(latency.ours == "0.900 ms")
        #expect(latency.verdict == .pass)

        m.search[0] = Self.searchPoint(perSecond: 60_000, p99Milliseconds: 0.8, failed: 3)
        #expect(Self.row(GoalTable.verdicts(m), "search, 16")?.verdict == .miss)
    }

    static func smallPoint(filesPerSecond: Double, short: Int = 0) -> StrongScaling.Point {
        StrongScaling.Point(
            workload: "kb", concurrency: 4, files: 1000, bytes: 1000 * 1024,
            wallNanoseconds: UInt64(Double(1000 - short) / filesPerSecond * 1e9), failed: 0, short: short,
            corrupt: 0, unverified: 0, latency: LatencySummary(nanoseconds: []))
    }

    @Test func smallFilesNeedTheRateAndNoEmptyFile() throws {
        var m = GoalMeasurements()
        m.smallFiles = [20_000, 15_000, 9_000].map { Self.smallPoint(filesPerSecond: $0) }
        var row = try #require(Self.row(GoalTable.verdicts(m), "1000 × 1.0 KiB downloads at concurrency 4"))
        #expect(row.verdict == .pass)
        #expect(abs(row.ratio! - 15_000 / 1404) < 1e-6)

        m.smallFiles[0] = Self.smallPoint(filesPerSecond: 20_000, short: 1)
        row = try #require(Self.row(GoalTable.verdicts(m), "1000 ×"))
        #expect(row.verdict == .miss)
    }

    @Test func theFileSystemAloneIsReportedBesideTheSmallFileRate() throws {
        var m = GoalMeasurements()
        m.smallFiles = [3_000].map { Self.smallPoint(filesPerSecond: $0) }
        #expect(Self.row(GoalTable.verdicts(m), "created, written and renamed") == nil)
        m.fileCreationCeiling = [10_000, 30_000, 20_000].map {
            FileCreationCeiling.Outcome(files: 1000, concurrency: 4, wallNanoseconds: UInt64(1e12 / $0), failed: 0)
        }
        let row = try #require(Self.row(GoalTable.verdicts(m), "the same 1000 files created, written and renamed"))
        #expect(row.verdict == .info)
        #expect(row.anchor.contains("20000 files/s"))
        #expect(abs(row.ratio! - 3_000.0 / 20_000) < 1e-3)
    }

    @Test func registryMemoryAndStartupThresholds() throws {
        var m = GoalMeasurements()
        let stats = IndexStats(
            peers: 1, files: 1_000_000, names: 1_000_000, searches: 0, registrations: 1, uptimeSeconds: 1)
        m.register = [0.15, 0.25, 0.1].map {
            RegistryLoad.Outcome(
                files: 100_000, batches: 20, batchSize: 5000, wallNanoseconds: UInt64($0 * 1e9), registered: 100_000,
                stats: stats)
        }
        m.bigIndex = RegistryLoad.Outcome(
            files: 1_000_000, batches: 200, batchSize: 5000, wallNanoseconds: 1, registered: 1_000_000, stats: stats,
            residentKiBBefore: 10_000, residentKiBAfter: 10_000 + 160_000)
        m.indexStartup = DaemonStartup.Outcome(
            daemon: "p2p-indexd", readyNanoseconds: [20_000_000, 30_000_000, 500_000_000],
            idleResidentKiB: [9000, 9100, 9200])
        let rows = GoalTable.verdicts(m)
        #expect(Self.row(rows, "register 100,000 files")?.verdict == .pass)
        let memory = try #require(Self.row(rows, "index memory per file at 1,000,000 files"))
        #expect(memory.ours == "164 B")
        #expect(memory.verdict == .miss)
        #expect(Self.row(rows, "p2p-indexd exec → READY=1")?.ours == "30.0 ms")
        #expect(Self.row(rows, "p2p-indexd exec → READY=1")?.verdict == .pass)
        #expect(Self.row(rows, "p2p-indexd idle RSS")?.verdict == .pass)
    }

    @Test func idleMemoryShowsTheAnonymousPartAndTheBuildThatRan() throws {
        var m = GoalMeasurements()
        m.peerStartup = DaemonStartup.Outcome(
            daemon: "p2p-peerd", readyNanoseconds: [10_000_000, 12_000_000, 11_000_000],
            idleResidentKiB: [16_000, 15_000, 14_000], idleAnonymousKiB: [2000, 2100, 1900],
            executable: "/usr/lib/p2p/p2p-multicall")
        let rows = GoalTable.verdicts(m)
        let memory = try #require(Self.row(rows, "p2p-peerd idle RSS, multi-call binary (median of 3)"))
        #expect(memory.ours == "15.4 MB (2.0 MB anonymous)")
        #expect(memory.verdict == .miss)
        #expect(Self.row(rows, "p2p-peerd exec → READY=1, multi-call binary")?.verdict == .pass)
        let json = m.peerStartup?.json.serialized ?? ""
        #expect(json.contains("\"idle_anonymous_bytes_median\":2048000"))
        #expect(json.contains("\"executable\":\"/usr/lib/p2p/p2p-multicall\""))
    }

    @Test func summaryIsAMarkdownTableWithEveryVerdict() {
        var m = GoalMeasurements()
        m.bigDownload = Self.transfer("p2p", seconds: [0.5])
        m.rsync = .measured(Self.transfer("rsync | daemon", seconds: [1.0]))
        m.nginx = .skipped(.missing("nginx", package: "nginx-light"))
        let verdicts = GoalTable.verdicts(m)
        let text = SummaryMarkdown.render(
            verdicts: verdicts, measurements: m, machine: MachineFacts.current(), scale: 1, command: "make bench")
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("| Goal | Ours |") })
        #expect(lines.filter { $0.hasPrefix("| verified") }.count == 1)
        #expect(text.contains("rsync \\| daemon"))
        #expect(text.contains("nginx: skipped: install nginx-light"))
        #expect(text.contains("1 of 1 judged goals met."))
    }
}
