import Testing

@testable import P2PBench

@Suite struct DatasetWriterTests {
    @Test func writesEveryFileAtItsSizeWithReproducibleBytes() throws {
        let root = try Directories.makeTemporary(in: Directories.temporaryParent, prefix: "p2p-bench-test-")
        defer { Directories.removeTree(root) }
        let spec = try DatasetSpec(peerID: "peer1", scale: 0.002)
        let written = try DatasetWriter(spec: spec, directory: root + "/a/shared").write()
        #expect(written == spec.allFiles)
        #expect(Directories.entries(of: root + "/a/shared") == spec.allFiles.map(\.name).sorted())
        for file in spec.allFiles { #expect(FileIO.size(of: root + "/a/shared/" + file.name) == file.size) }

        try DatasetWriter(spec: spec, directory: root + "/b").write()
        let name = spec.name(.gb, 1)
        #expect(
            FileDigest.sha256(of: root + "/a/shared/" + name)?.hex == FileDigest.sha256(of: root + "/b/" + name)?.hex)
        #expect(
            FileDigest.sha256(of: root + "/b/" + spec.name(.kb, 1))?.hex
                != FileDigest.sha256(of: root + "/b/" + spec.name(.kb, 2))?.hex)
    }

    @Test func theDigestOfAKnownFile() throws {
        let root = try Directories.makeTemporary(in: Directories.temporaryParent, prefix: "p2p-bench-test-")
        defer { Directories.removeTree(root) }
        try FileIO.writeText("abc", to: root + "/abc")  // "abc\n"
        let digest = FileDigest.sha256(of: root + "/abc")
        #expect(digest?.size == 4)
        #expect(digest?.hex == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb")
        #expect(FileDigest.sha256(of: root + "/missing") == nil)
    }
}
