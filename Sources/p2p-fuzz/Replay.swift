import P2PFuzz

/// Runs files through a fuzz target in process, printing each input that breaks a property.
enum Replay {
    /// - Returns: whether every input held.
    static func run(_ target: FuzzTarget, paths: [String]) -> Bool {
        var failures = 0
        var count = 0
        for file in paths.flatMap(CorpusFiles.list) {
            count += 1
            guard let bytes = CorpusFiles.contents(of: file) else {
                printToStandardError("p2p-fuzz: cannot read \(file)")
                failures += 1
                continue
            }
            do {
                try target.run(bytes)
            } catch {
                print("\(file): \(error)")
                failures += 1
            }
        }
        print("p2p-fuzz \(target.rawValue): \(count) inputs, \(failures) broke a property")
        return failures == 0
    }
}
