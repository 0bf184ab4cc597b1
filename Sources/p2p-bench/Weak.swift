import ArgumentParser
import P2PBench

/// `p2p-bench weak`: search weak scaling against a running index.
struct Weak: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "N concurrent clients each doing K searches for names that exist, at rising N.",
        discussion: """
            Reports per-search latency (mean, p50, p99, max) and searches/s = all searches / wall \
            clock of the batch. The names come from --names FILE, else from the dataset naming of \
            --peers at --scale (what `generate` writes).
            """)

    @Option(help: ArgumentHelp("The index.", valueName: "host:port"))
    var index: String

    @Option(help: ArgumentHelp("Client counts.", valueName: "n,n,…"))
    var clients = "1,2,4,8,16,32"

    @Option(help: "Searches per client.")
    var searches = 1000

    @Option(help: ArgumentHelp("persistent, per-request or both.", valueName: "mode"))
    var mode = "both"

    @Option(help: ArgumentHelp("File with one name per line to search for.", valueName: "file"))
    var names: String?

    @Option(help: ArgumentHelp("Peers whose dataset names to search for.", valueName: "id,id,…"))
    var peers = "peer1,peer2"

    @Option(help: "The datasets' scale.")
    var scale: Double = 1

    @Option(help: ArgumentHelp("The index's process id, to record its CPU time per point.", valueName: "pid"))
    var indexPID: Int32?

    @Option(help: ArgumentHelp("Also write the results as JSON here.", valueName: "file"))
    var json: String?

    func validate() throws {
        guard searches > 0 else { throw ValidationError("--searches must be positive") }
        _ = try modes()
        _ = try Console.parse { () throws(BenchError) in try CommaList.positiveIntegers(clients) }
    }

    func modes() throws -> [WeakScaling.Mode] {
        if mode == "both" { return WeakScaling.Mode.allCases }
        guard let one = WeakScaling.Mode(rawValue: mode) else {
            throw ValidationError("--mode must be persistent, per-request or both")
        }
        return [one]
    }

    func run() throws {
        let modes = try modes()
        try Console.run { () throws(BenchError) in
            var nameList: [String] = []
            if let names {
                nameList = try NameList.read(names)
            } else {
                for id in try CommaList.names(peers) {
                    nameList += try DatasetSpec(peerID: id, scale: scale).allFiles.map(\.name)
                }
            }
            let configuration = WeakScaling.Configuration(
                index: try HostPort(parsing: index), clients: try CommaList.positiveIntegers(clients),
                searchesPerClient: searches, modes: modes, names: nameList,
                watched: indexPID.map { [WatchedProcess(name: "index", pid: $0)] } ?? [])
            var headerShown = false
            let points = try WeakScaling(configuration).run { point in
                if !headerShown {
                    Console.line(ResultTables.weakHeader)
                    headerShown = true
                }
                Console.line(ResultTables.row(point))
            }
            try Console.writeJSON(
                ResultDocument.make(
                    experiment: "weak",
                    parameters: [
                        "index": .string(index), "clients": .array(configuration.clients.map { .int(Int64($0)) }),
                        "searches_per_client": .int(Int64(searches)),
                        "modes": .array(modes.map { .string($0.rawValue) }), "names": .int(Int64(nameList.count)),
                    ],
                    points: points.map(\.json)),
                to: json)
            let failed = points.reduce(0) { $0 + $1.failed }
            if failed > 0 { throw .failedChecks("\(failed) searches failed") }
        }
    }
}
