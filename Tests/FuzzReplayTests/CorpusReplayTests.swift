import P2PFuzz
import Testing

/// Every input in `Tests/FuzzCorpus/<target>/` goes through its fuzz target on every `make test`,
/// in process and without sanitizers: the seeds keep the targets honest, and a crash or an
/// invariant failure found by `make fuzz` stays fixed once its input is committed there.
@Suite struct CorpusReplayTests {
    /// `Tests/FuzzCorpus` of this checkout, found from this source file's path.
    static let corpusDirectory: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/FuzzCorpus"
    }()

    @Test(arguments: FuzzTarget.allCases)
    func corpusHoldsEveryProperty(_ target: FuzzTarget) throws {
        let files = CorpusFiles.list(Self.corpusDirectory + "/" + target.rawValue)
        #expect(!files.isEmpty, "no corpus for \(target.rawValue)")
        for file in files {
            let bytes = try #require(CorpusFiles.contents(of: file), "cannot read \(file)")
            do {
                try target.run(bytes)
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }

    @Test func everyCorpusFolderIsATarget() {
        for folder in CorpusFiles.folders(Self.corpusDirectory) {
            #expect(FuzzTarget(rawValue: folder) != nil, "Tests/FuzzCorpus/\(folder) belongs to no target")
        }
    }
}
