import P2PControl
import P2PProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Strong scaling of downloads: one fixed workload of files, fetched by a real peer daemon
/// through its control socket (as `p2pctl download` does) at rising concurrency.
///
/// At concurrency c, c client threads each hold a control connection and take the next file of
/// the workload until none is left, so c distinct files are in flight at once. After each batch
/// every file is re-hashed here and compared with the index's size and SHA-256, then moved out of
/// the daemon's `downloaded/` (see ``SpentDownloads``), so the next batch transfers everything again.
public struct StrongScaling: Sendable {
    public struct Configuration: Sendable {
        public var controlSocket: String
        /// A label for the workload in the results (e.g. `mb`).
        public var workload: String
        public var files: [String]
        public var concurrency: [Int]
        /// Daemons (normally the downloading and the serving peer) whose CPU time each point records.
        public var watched: [WatchedProcess]

        public init(
            controlSocket: String, workload: String, files: [String], concurrency: [Int],
            watched: [WatchedProcess] = []
        ) {
            self.controlSocket = controlSocket
            self.workload = workload
            self.files = files
            self.concurrency = concurrency
            self.watched = watched
        }
    }

    /// What the index says a file should be.
    struct Expected: Sendable {
        var size: Int64
        var sha256: String?
    }

    /// One concurrency level's batch.
    public struct Point: Sendable {
        public var workload: String
        public var concurrency: Int
        public var files: Int
        /// Bytes of the files that arrived complete and correct.
        public var bytes: Int64
        public var wallNanoseconds: UInt64
        /// Downloads the daemon refused or failed.
        public var failed: Int
        /// Files missing or smaller than the index's size after the daemon said "done".
        public var short: Int
        /// Files of the right size whose SHA-256 differs from the index's (or that are too long).
        public var corrupt: Int
        /// Downloads the daemon reported as not verified against a hash.
        public var unverified: Int
        public var firstError: String?
        public var latency: LatencySummary
        public var cpu: CPUUsage?

        public var megabytesPerSecond: Double {
            Throughput.megabytesPerSecond(bytes: bytes, wallNanoseconds: wallNanoseconds)
        }
        public var filesPerSecond: Double {
            Throughput.perSecond(Double(files - failed - short - corrupt), wallNanoseconds: wallNanoseconds)
        }
        public var isClean: Bool { failed == 0 && short == 0 && corrupt == 0 && unverified == 0 }

        public var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("workload", .string(workload)),
                ("concurrency", .int(Int64(concurrency))),
                ("files", .int(Int64(files))),
                ("bytes", .int(bytes)),
                ("wall_seconds", .rounded(Double(wallNanoseconds) / 1e9, digits: 6)),
                ("megabytes_per_second", .rounded(megabytesPerSecond, digits: 2)),
                ("files_per_second", .rounded(filesPerSecond, digits: 2)),
                ("failed", .int(Int64(failed))),
                ("short", .int(Int64(short))),
                ("corrupt", .int(Int64(corrupt))),
                ("unverified", .int(Int64(unverified))),
                ("download_latency_ms", latency.millisecondsJSON),
            ]
            if let cpu { members += cpu.json(wallNanoseconds: wallNanoseconds).members }
            if let firstError { members.append(("first_error", .string(firstError))) }
            return .object(members)
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        guard !configuration.files.isEmpty else { throw .invalidArgument("no files to download") }
        guard configuration.concurrency.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument("concurrency must be positive")
        }
        self.configuration = configuration
    }

    /// Concurrency levels actually measured: each capped at the number of files, duplicates
    /// dropped (a one-file workload is measured once, at 1).
    public var levels: [Int] {
        var seen: [Int] = []
        for level in configuration.concurrency.map({ min($0, configuration.files.count) }) where !seen.contains(level) {
            seen.append(level)
        }
        return seen
    }

    public func run(report: (Point) -> Void = { _ in }) throws(BenchError) -> [Point] {
        let expected = try lookUp()
        var points: [Point] = []
        for level in levels {
            let point = try measure(concurrency: level, expected: expected)
            report(point)
            points.append(point)
        }
        return points
    }

    /// The index's size and SHA-256 for every file, asked through the daemon before any timing.
    private func lookUp() throws(BenchError) -> [Expected] {
        let session = try connect()
        var expected: [Expected] = []
        for name in configuration.files {
            let results: [SearchResult]
            do {
                guard case .searchResults(let found) = try session.send(.search(SearchRequest(query: name))).decoded()
                else { throw BenchError.protocolFailure("search \(name): unexpected reply") }
                results = found.filter { $0.fileName == name }
            } catch let error as BenchError {
                throw error
            } catch {
                throw .protocolFailure("search \(name) through \(configuration.controlSocket): \(error)")
            }
            guard let first = results.first(where: { $0.meta.size != nil }), let size = first.meta.size else {
                throw .protocolFailure("the index has no file \(name) with a size")
            }
            expected.append(Expected(size: size, sha256: first.meta.sha256))
        }
        return expected
    }

    private func connect() throws(BenchError) -> ControlSession {
        do {
            return try ControlSession(socketPath: configuration.controlSocket)
        } catch {
            throw .daemon(error.description)
        }
    }

    private func measure(concurrency: Int, expected: [Expected]) throws(BenchError) -> Point {
        let files = configuration.files
        let socket = configuration.controlSocket
        let next = Counter()
        var meter: CPUUsage.Meter?
        var cpu: CPUUsage?
        let (results, wall) = ThreadGang.run(
            concurrency, opened: { meter = CPUUsage.start(configuration.watched) }, finished: { cpu = meter?.finish() },
            body: { _, gate in
                var downloads: [Download] = []
                let session = try? ControlSession(socketPath: socket)
                gate.wait()
                while true {
                    let index = next.take()
                    guard index < files.count else { break }
                    let start = MonotonicTime.now()
                    guard let session else {
                        downloads.append(
                            Download(index: index, nanoseconds: 0, outcome: .failed("cannot connect to \(socket)")))
                        continue
                    }
                    let outcome: DownloadResult
                    do {
                        let reply = try session.send(.download(DownloadCommand(fileName: files[index])))
                        if case .outcome(let done) = try reply.decoded() {
                            outcome = .done(done)
                        } else {
                            outcome = .failed("download \(files[index]): unexpected reply")
                        }
                    } catch {
                        outcome = .failed("\(files[index]): \(error)")
                    }
                    downloads.append(Download(index: index, nanoseconds: MonotonicTime.now() - start, outcome: outcome))
                }
                return downloads
            })
        var point = Point(
            workload: configuration.workload, concurrency: concurrency, files: files.count, bytes: 0,
            wallNanoseconds: wall, failed: 0, short: 0, corrupt: 0, unverified: 0,
            latency: LatencySummary(nanoseconds: []), cpu: cpu)
        var latencies: [UInt64] = []
        let firstDone = results.joined().lazy.compactMap { download -> DownloadOutcome? in
            if case .done(let outcome) = download.outcome { outcome } else { nil }
        }.first
        let spent = firstDone.flatMap { SpentDownloads.folder(besideParentOf: $0.path) }
        for download in results.joined() {
            switch download.outcome {
            case .failed(let message):
                point.failed += 1
                if point.firstError == nil { point.firstError = message }
            case .done(let outcome):
                latencies.append(download.nanoseconds)
                check(outcome, against: expected[download.index], into: &point)
                SpentDownloads.put(outcome.path, size: outcome.size, into: spent)
            }
        }
        point.latency = LatencySummary(nanoseconds: latencies)
        return point
    }

    /// Re-hashes the file the daemon reported and counts what is wrong with it.
    private func check(_ outcome: DownloadOutcome, against expected: Expected, into point: inout Point) {
        if !outcome.verified { point.unverified += 1 }
        guard let (size, hex) = FileDigest.sha256(of: outcome.path), size >= expected.size else {
            point.short += 1
            if point.firstError == nil { point.firstError = "\(outcome.fileName): missing or short at \(outcome.path)" }
            return
        }
        if size != expected.size || (expected.sha256 != nil && hex != expected.sha256) {
            point.corrupt += 1
            if point.firstError == nil {
                point.firstError = "\(outcome.fileName): sha256 \(hex) differs from the index's"
            }
            return
        }
        point.bytes += size
    }
}

/// One finished or failed download of a batch.
private struct Download: Sendable {
    var index: Int
    var nanoseconds: UInt64
    var outcome: DownloadResult
}

private enum DownloadResult: Sendable {
    case done(DownloadOutcome)
    case failed(String)
}

/// The workload's next file index, shared by a batch's threads.
private final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
