import P2PProtocol

/// The soak's figures and verdict: search and download rates and latencies over the measured
/// time and per window, each daemon's memory and descriptors in the first and the last window,
/// and every problem found. Empty `problems` means the load was held.
public struct SoakReport: Sendable {
    public let configuration: SoakRun.Configuration
    public var search = SoakTally()
    public var download = SoakTally()
    public var series: [SoakSeries] = []
    public var problems: [String] = []

    init(configuration: SoakRun.Configuration) {
        self.configuration = configuration
    }

    var window: Double { configuration.window }
    var duration: Double { configuration.durationSeconds }

    /// Adds the errors and the growth found to `problems`.
    mutating func judge() {
        if search.errors > 0 {
            problems.append("\(search.errors) search errors; the first: \(search.firstError ?? "?")")
        }
        if download.errors > 0 {
            problems.append("\(download.errors) download errors; the first: \(download.firstError ?? "?")")
        }
        if searchLatencies(0, duration + 1).isEmpty { problems.append("no search was answered") }
        if downloadLatencies(0, duration + 1).isEmpty { problems.append("no download finished") }
        for daemon in series {
            if let problem = configuration.tolerance.problem(daemon, window: window, duration: duration) {
                problems.append(problem)
            }
        }
    }

    /// Search latencies of the seconds in `[from, to)`.
    func searchLatencies(_ from: Double, _ to: Double) -> [UInt64] {
        Self.slice(search.latenciesBySecond, from, to)
    }

    func downloadLatencies(_ from: Double, _ to: Double) -> [UInt64] {
        Self.slice(download.latenciesBySecond, from, to)
    }

    private static func slice(_ bySecond: [[UInt64]], _ from: Double, _ to: Double) -> [UInt64] {
        var out: [UInt64] = []
        for (second, values) in bySecond.enumerated() where Double(second) >= from && Double(second) < to {
            out.append(contentsOf: values)
        }
        return out
    }

    /// The human summary: one line per window, then totals and each daemon's first and last
    /// window.
    public var lines: [String] {
        var out: [String] = []
        let step = window
        let digits = step == step.rounded() ? 0 : 1
        var from = 0.0
        while from < duration - 0.001 {
            let to = min(from + step, duration)
            let searches = LatencySummary(nanoseconds: searchLatencies(from, to))
            let downloads = downloadLatencies(from, to)
            out.append(
                "\(Formatting.right(Formatting.fixed(from, digits), 5))–\(Formatting.fixed(to, digits)) s: "
                    + "\(Formatting.fixed(Double(searches.count) / (to - from), 0)) searches/s, "
                    + "p99 \(Self.milliseconds(searches.p99)) ms; "
                    + "\(Formatting.fixed(Double(downloads.count) / (to - from), 1)) downloads/s")
            from = to
        }
        let searches = LatencySummary(nanoseconds: searchLatencies(0, duration + 1))
        let downloads = LatencySummary(nanoseconds: downloadLatencies(0, duration + 1))
        out.append(
            "searches: \(searches.count) in \(Formatting.fixed(duration, 0)) s "
                + "(\(Formatting.fixed(Double(searches.count) / duration, 0))/s) over \(configuration.connections) "
                + "connections; latency p50 \(Self.milliseconds(searches.p50)) ms, p99 \(Self.milliseconds(searches.p99)) "
                + "ms, max \(Self.milliseconds(searches.max)) ms; \(search.errors) errors")
        out.append(
            "downloads: \(downloads.count) verified (\(Formatting.bytes(download.bytes)), "
                + "\(Formatting.fixed(Double(downloads.count) / duration, 1))/s) by \(configuration.downloads) "
                + "concurrent workers; latency p50 \(Self.milliseconds(downloads.p50)) ms, "
                + "p99 \(Self.milliseconds(downloads.p99)) ms; \(download.errors) errors")
        for daemon in series {
            guard let first = daemon.means(from: 0, to: window),
                let last = daemon.means(from: duration - window, to: duration + 1)
            else { continue }
            out.append(
                "\(daemon.name): RSS \(Formatting.fixed(first.residentKiB / 1024, 1)) → "
                    + "\(Formatting.fixed(last.residentKiB / 1024, 1)) MiB, open fds \(Formatting.fixed(first.openFiles, 0)) → "
                    + "\(Formatting.fixed(last.openFiles, 0)) (first → last \(Formatting.fixed(window, digits)) s)")
        }
        return out
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        Formatting.fixed(Double(nanoseconds) / 1e6, 2)
    }

    /// The results document (`--out`).
    public var json: JSONValue {
        let c = configuration
        let parameters: JSONValue = .object([
            ("duration_s", .double(c.durationSeconds)), ("warmup_s", .double(c.warmupSeconds)),
            ("window_s", .double(window)), ("connections", .int(Int64(c.connections))),
            ("downloads", .int(Int64(c.downloads))), ("peers", .int(Int64(c.peers))),
            ("file_bytes", .int(Int64(c.fileBytes))), ("search_pause_ms", .int(Int64(c.searchPauseMilliseconds))),
        ])
        let daemons: [JSONValue] = series.map { daemon in
            .object([
                ("name", .string(daemon.name)),
                (
                    "samples",
                    .array(
                        daemon.samples.map {
                            .object([
                                ("t_s", JSONValue.rounded($0.second, digits: 1)), ("rss_kib", .int($0.residentKiB)),
                                ("fds", .int(Int64($0.openFiles))),
                            ])
                        })
                ),
            ])
        }
        return ResultDocument.make(
            experiment: "soak", parameters: parameters, points: [],
            extra: [
                ("search_latency_ms", LatencySummary(nanoseconds: searchLatencies(0, duration + 1)).millisecondsJSON),
                ("search_errors", .int(Int64(search.errors))),
                (
                    "download_latency_ms",
                    LatencySummary(nanoseconds: downloadLatencies(0, duration + 1)).millisecondsJSON
                ),
                ("download_bytes", .int(download.bytes)), ("download_errors", .int(Int64(download.errors))),
                ("daemons", .array(daemons)), ("problems", .array(problems.map { .string($0) })),
            ])
    }
}
