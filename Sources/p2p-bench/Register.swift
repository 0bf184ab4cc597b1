import ArgumentParser
import P2PBench

/// `p2p-bench register`: what a big catalog costs the index.
struct Register: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register N synthetic files with the index, as our peers do, and report time and memory.",
        discussion: """
            One peer id, a `replace` batch then `add` batches on one connection; then the index's \
            STATS. With --index-pid, the index's VmRSS before and after, and the growth per file. \
            The synthetic peer unregisters afterwards unless --keep.
            """)

    @Option(help: ArgumentHelp("The index.", valueName: "host:port"))
    var index: String

    @Option(help: "Number of synthetic files.")
    var files: Int

    @Option(help: "Files per registration message.")
    var batch = 5000

    @Option(help: "The synthetic peer's id.")
    var peerID = "bench-registry"

    @Option(help: ArgumentHelp("The index's process id, to read its memory from /proc.", valueName: "pid"))
    var indexPID: Int32?

    @Flag(help: "Leave the synthetic files registered.")
    var keep = false

    @Option(help: ArgumentHelp("Also write the results as JSON here.", valueName: "file"))
    var json: String?

    func validate() throws {
        guard files > 0, batch > 0 else { throw ValidationError("--files and --batch must be positive") }
    }

    func run() throws {
        try Console.run { () throws(BenchError) in
            let outcome = try RegistryLoad(
                .init(
                    index: try HostPort(parsing: index), files: files, batchSize: batch, peerID: peerID,
                    indexPID: indexPID, unregister: !keep)
            ).run()
            Console.line(ResultTables.summary(outcome))
            try Console.writeJSON(
                ResultDocument.make(
                    experiment: "registry",
                    parameters: [
                        "index": .string(index), "files": .int(Int64(files)), "batch_size": .int(Int64(batch)),
                    ],
                    points: [outcome.json]),
                to: json)
        }
    }
}
