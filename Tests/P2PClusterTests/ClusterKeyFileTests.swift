import P2PCluster
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Key file formats, sizes and permissions.
@Suite struct ClusterKeyFileTests {
    @Test func hexAndRawFormsOfTheSameBytesAreTheSameKey() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        let hex = Array((HexBytes.encode(bytes) + "\n").utf8)
        #expect(try ClusterKey(fileContents: hex) == ClusterKey(fileContents: bytes))
        #expect(
            try ClusterKey(fileContents: Array("  \(HexBytes.encode(bytes).uppercased())\r\n".utf8)).id
                == ClusterKey(bytes: bytes)!.id)
        #expect(try ClusterKey(fileContents: bytes) != ClusterKey(fileContents: bytes.reversed()))
    }

    @Test func shortKeysAreRefused() {
        #expect(throws: ClusterKeyError.tooShort(bytes: 16, hex: true)) {
            try ClusterKey(fileContents: Array(String(repeating: "ab", count: 16).utf8))
        }
        #expect(throws: ClusterKeyError.tooShort(bytes: 31, hex: false)) {
            try ClusterKey(fileContents: Array(repeating: 0xC3, count: 31))
        }
        #expect(throws: ClusterKeyError.tooShort(bytes: 0, hex: false)) { try ClusterKey(fileContents: []) }
        #expect(throws: ClusterKeyError.tooLong(bytes: 5000)) {
            try ClusterKey(fileContents: Array(repeating: 1, count: 5000))
        }
    }

    @Test func descriptionNeverShowsTheKey() throws {
        let hex = String(repeating: "5a", count: 32)
        let key = try ClusterKey(fileContents: Array(hex.utf8))
        #expect(!"\(key)".contains("5a5a"))
        #expect(key.id.utf8.count == 8)
        #expect("\(key)" == "cluster key \(key.id)")
        var dumped = ""
        dump(key, to: &dumped)
        // Only the id is reflected: no stored property (the key's storage) is walked at all.
        #expect(dumped.contains("id: \"\(key.id)\""), "\(dumped)")
        #expect(!dumped.contains("symmetricKey") && !dumped.contains("5a5a"), "\(dumped)")
        #expect(!String(reflecting: key).contains("5a5a"))
    }

    @Test func keyFileOpenToOtherUsersIsRefused() throws {
        let path = "/tmp/p2p-cluster-key-test-\(getpid()).key"
        defer { unlink(path) }
        let text = Array(String(repeating: "c4", count: 32).utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        #expect(try ClusterKey.load(path: path) == ClusterKey(fileContents: text))
        chmod(path, 0o640)
        #expect(try ClusterKey.load(path: path) == ClusterKey(fileContents: text))
        chmod(path, 0o644)
        #expect(throws: ClusterKeyError.accessibleToOthers(mode: UInt32(S_IFREG) | 0o644)) {
            try ClusterKey.load(path: path)
        }
        #expect(throws: ClusterKeyError.unreadable("No such file or directory")) {
            try ClusterKey.load(path: path + ".missing")
        }
        #expect(throws: ClusterKeyError.notARegularFile) { try ClusterKey.load(path: "/tmp") }
    }
}
