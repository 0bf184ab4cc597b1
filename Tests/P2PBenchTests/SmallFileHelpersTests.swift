import Foundation
import Testing

@testable import P2PBench

/// The bench's small-file helpers against real files in a scratch folder.
@Suite struct SmallFileHelpersTests {
    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theCeilingCopiesEveryFileCompleteUnderItsName() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/shared", withIntermediateDirectories: true)
        var sources: [String] = []
        for number in 0..<40 {
            let path = root + "/shared/f\(number).txt"
            try Data(repeating: UInt8(number), count: 1024 + number).write(to: URL(fileURLWithPath: path))
            sources.append(path)
        }
        let outcome = try FileCreationCeiling(sources: sources, parent: root, concurrency: 4).measure()
        #expect(outcome.files == 40)
        #expect(outcome.failed == 0)
        #expect(outcome.filesPerSecond > 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: root).filter {
            $0.hasPrefix("file-creation-ceiling-")
        }
        #expect(folders.count == 1)
        let copies = try FileManager.default.contentsOfDirectory(atPath: root + "/" + folders[0])
        #expect(copies.sorted() == (0..<40).map { "f\($0).txt" }.sorted())
        for number in 0..<40 {
            let copy = try Data(contentsOf: URL(fileURLWithPath: root + "/" + folders[0] + "/f\(number).txt"))
            #expect(copy == Data(repeating: UInt8(number), count: 1024 + number))
        }
    }

    @Test func aSourceTheCeilingCannotReadCountsAsFailed() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = try FileCreationCeiling(sources: [root + "/missing"], parent: root, concurrency: 1).measure()
        #expect(outcome.files == 1)
        #expect(outcome.failed == 1)
    }

    @Test func spentDownloadsAreMovedBesideTheFolderNotDeleted() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/peer2/downloaded", withIntermediateDirectories: true)
        let file = root + "/peer2/downloaded/a.txt"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        let folder = try #require(SpentDownloads.folder(besideParentOf: file))
        #expect(folder.hasPrefix(root + "/peer2/bench-spent/"))
        SpentDownloads.put(file, size: 3, into: folder)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/a.txt")) == Data("abc".utf8))
        // Without a folder the file is deleted, so the next batch can download it again.
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        SpentDownloads.put(file, size: 3, into: nil)
        #expect(!FileManager.default.fileExists(atPath: file))
        // A big file is deleted too: kept, its dirty pages would be written back during later runs.
        try Data("big".utf8).write(to: URL(fileURLWithPath: file))
        SpentDownloads.put(file, size: SpentDownloads.largestKept + 1, into: folder)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/a.txt")) == Data("abc".utf8))
    }
}
