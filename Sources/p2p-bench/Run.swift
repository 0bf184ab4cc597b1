import ArgumentParser
import P2PBench

/// `p2p-bench run`: every experiment at one scale, with its own daemons.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate datasets, start an index and two peers, run weak, strong and registry; write JSON.",
        discussion: """
            Everything happens in a scratch folder under $TMPDIR (or /tmp), removed afterwards. \
            The daemons come from --bin-dir, by default the folder this executable is in. Results \
            go to DIR/weak.json, DIR/strong.json and DIR/registry.json. Exits 1 if any search or \
            download failed or any downloaded file was short, corrupt or unverified.
            """)

    @Option(help: "Dataset scale in (0, 1]; 1 is the seed's full dataset (≈ 1.1 GiB per peer).")
    var scale: Double

    @Option(help: ArgumentHelp("Folder for the JSON results.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Folder with p2p-indexd and p2p-peerd.", valueName: "dir"))
    var binDir: String?

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

    @Option(help: ArgumentHelp("Where to make the scratch folder.", valueName: "dir"))
    var scratchParent: String?

    @Flag(help: "Keep the scratch folder (datasets, daemon logs) for inspection.")
    var keepScratch = false

    func validate() throws {
        _ = try configuration()
    }

    func configuration() throws -> BenchRun.Configuration {
        try Console.parse { () throws(BenchError) in
            guard let bin = binDir ?? ExecutableLocation.directory else {
                throw .invalidArgument("cannot tell where p2p-bench is; pass --bin-dir")
            }
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
            if let scratchParent { configuration.scratchParent = scratchParent }
            configuration.keepScratch = keepScratch
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
