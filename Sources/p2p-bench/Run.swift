import ArgumentParser
import P2PBench

#if canImport(Glibc)
    import Glibc
#endif

/// `p2p-bench run`: every experiment at one scale, with its own daemons.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate datasets, start an index and two peers, run weak, strong and registry; write JSON.",
        discussion: """
            Everything happens in a scratch folder under $TMPDIR (or /tmp), removed afterwards. \
            The daemons come from --bin-dir, by default the folder this executable is in. Results \
            go to DIR/weak.json, DIR/strong.json and DIR/registry.json; with --goals also \
            DIR/goals.json, DIR/summary.md (the goals as a Markdown table) and the plots \
            (throughput and latency .dat/.gp, .png when gnuplot is installed); with --anchors \
            DIR/anchors.json. Exits 1 if any search or download failed or any downloaded file was \
            short, corrupt or unverified; a goal's verdict never changes the exit status.
            """)

    @Option(help: "Dataset scale in (0, 1]; 1 is the seed's full dataset (≈ 1.1 GiB per peer).")
    var scale: Double

    @Option(help: ArgumentHelp("Folder for the JSON results.", valueName: "dir"))
    var out: String

    @OptionGroup var scratch: ScratchOptions

    @Option(
        help: ArgumentHelp(
            """
            With --goals: folder with the p2p-indexd and p2p-peerd whose start-up time and idle \
            memory are judged (default: --bin-dir); make bench passes the make dist layout, the \
            static binary that ships.
            """, valueName: "dir"))
    var startupBinDir: String?

    @Option(help: ArgumentHelp("Weak scaling client counts.", valueName: "n,n,…"))
    var clients = "1,2,4,8,16,32"

    @Option(help: "Searches per client.")
    var searches = 1000

    @Option(help: ArgumentHelp("Strong scaling concurrency levels.", valueName: "c,c,…"))
    var concurrency = "1,2,4,8"

    @Option(help: ArgumentHelp("Strong scaling workloads.", valueName: "kb,mb,gb"))
    var workloads = "kb,mb,gb"

    @Option(help: "Synthetic files for the registry load (default: max(1000, 100000 × scale)).")
    var registryFiles: Int?

    @Option(
        name: .customLong("peer-set"),
        help: ArgumentHelp(
            "A setting for both peers, e.g. Transfer.Fsync=no (repeatable).", valueName: "Section.Key=Value"))
    var peerSettings: [String] = []

    @Flag(
        help: """
            Also measure the product goals: repeated big and small downloads, a big index, daemon \
            start-up and idle memory; write goals.json, summary.md and the plots.
            """)
    var goals = false

    @Flag(
        help: """
            With --goals: measure the anchors in the same run (rsync daemon, nginx → curl, iperf3, \
            redis-benchmark); a missing tool is reported as skipped.
            """)
    var anchors = false

    @Option(help: "With --goals: repetitions of each goal measurement (the verdicts use medians).")
    var repetitions = 3

    @Option(help: "With --goals: synthetic files in the index for the search and memory goals.")
    var indexFiles = 1_000_000

    @Option(help: "With --goals: synthetic files for the registration-time goal.")
    var registerFiles = 100_000

    @Option(help: "With --goals: searches per client in each repetition of the search goal.")
    var goalSearches = 5000

    @Option(help: "With --anchors: seconds of the iperf3 run.")
    var iperfSeconds = 3

    @Option(help: ArgumentHelp("How to name this run in summary.md.", valueName: "text"))
    var commandLabel: String?

    func validate() throws {
        _ = try configuration()
    }

    func configuration() throws -> BenchRun.Configuration {
        try Console.parse { () throws(BenchError) in
            let bin = try scratch.binDirectory()
            var configuration = BenchRun.Configuration(scale: scale, outDirectory: out, binDirectory: bin)
            configuration.clients = try CommaList.positiveIntegers(clients)
            guard searches > 0 else { throw .invalidArgument("--searches must be positive") }
            configuration.searchesPerClient = searches
            configuration.concurrency = try CommaList.positiveIntegers(concurrency)
            configuration.workloads = try CommaList.names(workloads).map { name throws(BenchError) in
                guard let kind = DatasetKind(rawValue: name) else {
                    throw .invalidArgument("workloads are kb, mb and gb, not \(name)")
                }
                return kind
            }
            configuration.registryFiles = registryFiles
            configuration.peerSettings = peerSettings
            if let parent = scratch.scratchParent { configuration.scratchParent = parent }
            configuration.keepScratch = scratch.keepScratch
            guard repetitions > 0, indexFiles > 0, registerFiles > 0, goalSearches > 0, iperfSeconds > 0 else {
                throw .invalidArgument(
                    "--repetitions, --index-files, --register-files, --goal-searches and --iperf-seconds must be positive"
                )
            }
            guard !anchors || goals else { throw .invalidArgument("--anchors needs --goals") }
            if let startupBinDir {
                guard goals else { throw .invalidArgument("--startup-bin-dir needs --goals") }
                for daemon in ["p2p-indexd", "p2p-peerd"] where access(startupBinDir + "/" + daemon, X_OK) != 0 {
                    throw .invalidArgument("--startup-bin-dir \(startupBinDir): no executable \(daemon) there")
                }
                configuration.startupBinDirectory = startupBinDir
            }
            configuration.goals = goals
            configuration.anchors = anchors
            configuration.repetitions = repetitions
            configuration.indexFiles = indexFiles
            configuration.registerFiles = registerFiles
            configuration.goalSearchesPerClient = goalSearches
            configuration.iperfSeconds = iperfSeconds
            configuration.command =
                commandLabel ?? (["p2p-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            _ = try BenchRun(configuration)
            return configuration
        }
    }

    func run() throws {
        let configuration = try configuration()
        try Console.run { () throws(BenchError) in
            let start = MonotonicTime.now()
            let problems = try BenchRun(configuration).run(progress: ProgressLine())
            Console.line("run took \(Formatting.fixed(MonotonicTime.seconds(since: start), 1)) s")
            if !problems.isEmpty { throw .failedChecks(problems.description) }
        }
    }
}
