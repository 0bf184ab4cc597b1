import ArgumentParser
import P2PBench

/// `p2p-bench generate`: one peer's evaluation dataset.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a peer's dataset: {peer}_kb_NNNN.txt, {peer}_mb_NNNN.bin, {peer}_gb_NNNN.bin.",
        discussion: """
            At scale 1: 1000 × 1 KiB, 100 × 1 MiB and 1 × 1 GiB of random bytes (the seed's dataset). \
            A smaller scale keeps the KiB and MiB sizes and scales their counts (at least one each), \
            and scales the size of the single big file: 0.01 gives 10 × 1 KiB, 1 × 1 MiB, 1 × 10.2 MiB. \
            Each file's bytes come from a fast PRNG seeded by its name, so they are reproducible.
            """)

    @Option(help: "Peer id, the names' prefix (e.g. peer1).")
    var peer: String

    @Option(help: ArgumentHelp("Folder to write into (created if missing).", valueName: "dir"))
    var dir: String

    @Option(help: "Scale in (0, 1].")
    var scale: Double = 1

    func validate() throws {
        _ = try Console.parse { () throws(BenchError) in try DatasetSpec(peerID: peer, scale: scale) }
    }

    func run() throws {
        try Console.run { () throws(BenchError) in
            let spec = try DatasetSpec(peerID: peer, scale: scale)
            let start = MonotonicTime.now()
            try DatasetWriter(spec: spec, directory: dir).write()
            let wall = MonotonicTime.now() - start
            for kind in DatasetKind.allCases {
                let count = spec.count(kind)
                let range = count == 1 ? spec.name(kind, 1) : "\(spec.name(kind, 1)) … \(spec.name(kind, count))"
                Console.line("\(range): \(count) × \(spec.size(kind)) bytes")
            }
            Console.line(
                "wrote \(spec.totalFiles) files, \(Formatting.bytes(spec.totalBytes)), into \(dir) in "
                    + "\(Formatting.fixed(Double(wall) / 1e9, 2)) s "
                    + "(\(Formatting.fixed(Throughput.megabytesPerSecond(bytes: spec.totalBytes, wallNanoseconds: wall), 0)) MB/s)"
            )
        }
    }
}
