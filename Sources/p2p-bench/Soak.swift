import ArgumentParser
import P2PBench

/// `p2p-bench soak`: the load held for a while, with its own daemons.
struct Soak: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hold an index and peers under many concurrent searches and downloads; check for errors and growth.",
        discussion: """
            Starts an index and --peers peers on loopback in a scratch folder (daemons from \
            --bin-dir, by default this executable's folder), then for a warm-up and --duration \
            seconds keeps --connections connections searching the index and --downloads downloads \
            running between the peers. Prints each daemon's resident memory and open descriptors \
            every 5 s, then searches and downloads per window, the search latency (p50, p99, max) \
            and each daemon's first and last window. Exits 1 if any search or download failed, a \
            daemon died, or a daemon's memory or descriptors grew between the first and the last \
            window beyond the tolerance. Raises its own open-file limit (the daemons inherit it).
            """)

    @Option(help: "Measured seconds (1–3600), after the warm-up.")
    var duration = 60.0

    @Option(help: "Seconds of load before measuring (0–600).")
    var warmup = 5.0

    @Option(help: "Seconds of the first and last window compared (at most a third of --duration).")
    var window = 10.0

    @Option(help: "Concurrent search connections to the index, held open (1–20000).")
    var connections = 1000

    @Option(help: "Concurrent downloads between the peers (at most 60 per peer).")
    var downloads = 200

    @Option(help: "Peers (2–32).")
    var peers = 5

    @Option(help: ArgumentHelp("Size of each downloaded file (1–67108864).", valueName: "bytes"))
    var fileSize = 256 << 10

    @Option(help: ArgumentHelp("Pause between a reply and a connection's next search.", valueName: "ms"))
    var searchPause = 200

    @Option(help: "Threads driving the search connections.")
    var searchThreads = 2

    @Option(help: ArgumentHelp("Resident memory growth allowed, in percent, plus 4 MiB.", valueName: "percent"))
    var maxRssGrowth = 10.0

    @Option(help: ArgumentHelp("Open-descriptor growth allowed, in percent, plus 16.", valueName: "percent"))
    var maxFdGrowth = 5.0

    @Option(help: ArgumentHelp("Also write the results as JSON here.", valueName: "file"))
    var out: String?

    @OptionGroup var scratch: ScratchOptions

    func validate() throws {
        _ = try soakRun()
    }

    func soakRun() throws -> SoakRun {
        try Console.parse { () throws(BenchError) in
            let bin = try scratch.binDirectory()
            var configuration = SoakRun.Configuration(binDirectory: bin)
            configuration.durationSeconds = duration
            configuration.warmupSeconds = warmup
            configuration.windowSeconds = window
            configuration.connections = connections
            configuration.downloads = downloads
            configuration.peers = peers
            configuration.fileBytes = fileSize
            configuration.searchPauseMilliseconds = searchPause
            configuration.searchThreads = searchThreads
            guard maxRssGrowth >= 0, maxFdGrowth >= 0 else {
                throw .invalidArgument("--max-rss-growth and --max-fd-growth must not be negative")
            }
            configuration.tolerance.residentPercent = maxRssGrowth
            configuration.tolerance.openFilesPercent = maxFdGrowth
            configuration.outPath = out
            if let parent = scratch.scratchParent { configuration.scratchParent = parent }
            configuration.keepScratch = scratch.keepScratch
            return try SoakRun(configuration)
        }
    }

    func run() throws {
        let soak = try soakRun()
        try Console.run { () throws(BenchError) in
            let report = try soak.run(progress: { Console.line($0) })
            for line in report.lines { Console.line(line) }
            guard report.problems.isEmpty else { throw .failedChecks(report.problems.joined(separator: "; ")) }
            Console.line("soak held: no errors, no growth")
        }
    }
}
