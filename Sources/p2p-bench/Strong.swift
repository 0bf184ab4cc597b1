import ArgumentParser
import P2PBench

/// `p2p-bench strong`: download strong scaling through a running peer's control socket.
struct Strong: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download one workload at rising concurrency through a peer daemon's control socket.",
        discussion: """
            At concurrency c, c files are downloaded at once until the workload is done; MB/s \
            (10^6 bytes) and files/s are over the batch's wall clock. Every file is re-hashed and \
            checked against the index's size and SHA-256, then deleted from downloaded/ so the next \
            level transfers it again. Exits 1 if any download failed or was short or corrupt.
            """)

    @Option(help: ArgumentHelp("The downloading peer's control socket.", valueName: "path"))
    var control: String

    @Option(help: ArgumentHelp("Files to download.", valueName: "name,name,…"))
    var files: String?

    @Option(help: ArgumentHelp("Or: every file of one kind of a generated dataset: kb, mb or gb.", valueName: "kind"))
    var pattern: String?

    @Option(help: ArgumentHelp("With --pattern: the peer whose dataset it is.", valueName: "id"))
    var sourcePeer = "peer1"

    @Option(help: "With --pattern: the dataset's scale.")
    var scale: Double = 1

    @Option(help: ArgumentHelp("Concurrency levels.", valueName: "c,c,…"))
    var concurrency = "1,2,4,8"

    @Option(
        name: .customLong("watch-pid"),
        help: ArgumentHelp("A daemon whose CPU time to record per point (repeatable).", valueName: "pid"))
    var watchPIDs: [Int32] = []

    @Option(help: ArgumentHelp("Also write the results as JSON here.", valueName: "file"))
    var json: String?

    func validate() throws {
        guard (files == nil) != (pattern == nil) else {
            throw ValidationError("give exactly one of --files and --pattern")
        }
        if let pattern, DatasetKind(rawValue: pattern) == nil {
            throw ValidationError("--pattern must be kb, mb or gb")
        }
        _ = try Console.parse { () throws(BenchError) in try CommaList.positiveIntegers(concurrency) }
    }

    func run() throws {
        try Console.run { () throws(BenchError) in
            let names: [String]
            let workload: String
            if let pattern, let kind = DatasetKind(rawValue: pattern) {
                names = try DatasetSpec(peerID: sourcePeer, scale: scale).files(kind).map(\.name)
                workload = kind.rawValue
            } else {
                names = try CommaList.names(files ?? "")
                workload = "files"
            }
            let levels = try CommaList.positiveIntegers(concurrency)
            var headerShown = false
            let points = try StrongScaling(
                .init(
                    controlSocket: control, workload: workload, files: names, concurrency: levels,
                    watched: watchPIDs.map { pid in
                        WatchedProcess(name: "\(CPUTime.name(of: pid) ?? "pid")[\(pid)]", pid: pid)
                    })
            ).run { point in
                if !headerShown {
                    Console.line(ResultTables.strongHeader)
                    headerShown = true
                }
                Console.line(ResultTables.row(point))
            }
            try Console.writeJSON(
                ResultDocument.make(
                    experiment: "strong",
                    parameters: [
                        "control": .string(control), "workload": .string(workload), "files": .int(Int64(names.count)),
                        "concurrency": .array(levels.map { .int(Int64($0)) }),
                    ],
                    points: points.map(\.json)),
                to: json)
            let bad = points.filter { !$0.isClean }
            if !bad.isEmpty {
                let counts = bad.reduce((0, 0, 0, 0)) {
                    ($0.0 + $1.failed, $0.1 + $1.short, $0.2 + $1.corrupt, $0.3 + $1.unverified)
                }
                throw .failedChecks(
                    "\(counts.0) failed, \(counts.1) short, \(counts.2) corrupt, \(counts.3) unverified downloads")
            }
        }
    }
}
