import Testing

@testable import P2PBench

@Suite struct DatasetSpecTests {
    @Test func scaleOneIsTheSeedsDataset() throws {
        let spec = try DatasetSpec(peerID: "peer1")
        #expect(spec.count(.kb) == 1000)
        #expect(spec.count(.mb) == 100)
        #expect(spec.count(.gb) == 1)
        #expect(spec.size(.kb) == 1024)
        #expect(spec.size(.mb) == 1_048_576)
        #expect(spec.size(.gb) == 1_073_741_824)
        #expect(spec.totalFiles == 1101)
        #expect(spec.totalBytes == 1000 * 1024 + 100 * 1_048_576 + 1_073_741_824)
    }

    @Test(arguments: [
        (0.05, 50, 5, Int64(53_687_091)),
        (0.01, 10, 1, Int64(10_737_418)),
        (0.001, 1, 1, Int64(1_073_742)),
        (0.0001, 1, 1, Int64(107_374)),
        (0.5, 500, 50, Int64(536_870_912)),
    ])
    func smallerScalesShrinkCountsAndTheBigFile(scale: Double, kb: Int, mb: Int, gbSize: Int64) throws {
        let spec = try DatasetSpec(peerID: "peer2", scale: scale)
        #expect(spec.count(.kb) == kb)
        #expect(spec.count(.mb) == mb)
        #expect(spec.count(.gb) == 1)
        #expect(spec.size(.kb) == 1024)
        #expect(spec.size(.mb) == 1_048_576)
        #expect(spec.size(.gb) == gbSize)
    }

    @Test func namesFollowTheSeed() throws {
        let spec = try DatasetSpec(peerID: "peer1", scale: 1)
        #expect(spec.name(.kb, 1) == "peer1_kb_0001.txt")
        #expect(spec.name(.mb, 100) == "peer1_mb_0100.bin")
        #expect(spec.name(.gb, 1) == "peer1_gb_0001.bin")
        #expect(spec.name(.kb, 12_345) == "peer1_kb_12345.txt")
        let files = spec.allFiles
        #expect(files.count == 1101)
        #expect(files.first?.name == "peer1_kb_0001.txt")
        #expect(files[999].name == "peer1_kb_1000.txt")
        #expect(files[1000].name == "peer1_mb_0001.bin")
        #expect(files.last == DatasetFile(name: "peer1_gb_0001.bin", size: 1 << 30, kind: .gb))
        #expect(Set(files.map(\.name)).count == files.count)
    }

    @Test(arguments: [0, -0.5, 1.5, Double.nan, Double.infinity])
    func scalesOutsideZeroToOneAreRefused(scale: Double) {
        #expect(throws: BenchError.self) { try DatasetSpec(peerID: "peer1", scale: scale) }
    }

    @Test(arguments: ["", "a/b", "..", "-x"])
    func peerIDsThatMakeUnsafeNamesAreRefused(id: String) {
        #expect(throws: BenchError.self) { try DatasetSpec(peerID: id, scale: 0.1) }
    }
}
