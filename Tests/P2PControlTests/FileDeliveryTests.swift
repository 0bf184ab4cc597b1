import Foundation
import P2PControl
import Testing

@Suite struct FileDeliveryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-deliver-\(UUID().uuidString)").path

    func setUp() throws -> (source: String, target: String) {
        try FileManager.default.createDirectory(atPath: root + "/target", withIntermediateDirectories: true)
        let source = root + "/song.ogg"
        try Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0) }).write(to: URL(fileURLWithPath: source))
        return (source, root + "/target")
    }

    @Test func copiesThroughAPartFileAndRecognisesTheSameBytes() throws {
        let (source, target) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try FileDelivery.copy(from: source, into: target, name: "song.ogg") == .copied(target + "/song.ogg"))
        #expect(FileManager.default.contentsEqual(atPath: source, andPath: target + "/song.ogg"))
        #expect(!FileManager.default.fileExists(atPath: target + "/song.ogg.part"))
        #expect(
            try FileDelivery.copy(from: source, into: target + "/", name: "song.ogg")
                == .alreadyThere(target + "/song.ogg"))
    }

    @Test func aDifferentFileIsKeptUnlessForced() throws {
        let (source, target) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("other".utf8).write(to: URL(fileURLWithPath: target + "/song.ogg"))
        #expect(throws: FileDeliveryError.exists(target + "/song.ogg")) {
            try FileDelivery.copy(from: source, into: target, name: "song.ogg")
        }
        #expect(
            try FileDelivery.copy(from: source, into: target, name: "song.ogg", force: true)
                == .copied(target + "/song.ogg"))
        #expect(FileManager.default.contentsEqual(atPath: source, andPath: target + "/song.ogg"))
    }

    @Test func namesAndMissingFilesAreRefused() throws {
        let (source, target) = try setUp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: FileDeliveryError.badName("../x", "contains '/'; a name must be a single path component")) {
            try FileDelivery.copy(from: source, into: target, name: "../x")
        }
        #expect(throws: FileDeliveryError.failed("read", root + "/missing", ENOENT)) {
            try FileDelivery.copy(from: root + "/missing", into: target, name: "x")
        }
        #expect(
            FileDeliveryError.failed("read", "/a", ENOENT).description == "cannot read /a: No such file or directory")
    }
}
