import Glibc
import Testing

@testable import P2PCatalog

@Suite struct HashCacheTests {
    static let digestA = IncrementalHasher.digest(Array("a".utf8))
    static let digestB = IncrementalHasher.digest(Array("b".utf8))

    static func sample() -> HashCache {
        var cache = HashCache()
        cache.records[.init(folder: .shared, name: name("song with spaces .ogg"))] = .init(
            size: 1234, modificationTimeNanoseconds: 1_732_540_000_123_456_789, inode: 42,
            sha256: digestA)
        cache.records[.init(folder: .replicated, name: name("🎵 ünïcødé"))] = .init(
            size: 0, modificationTimeNanoseconds: -5, inode: UInt64.max, sha256: digestB)
        cache.records[.init(folder: .shared, name: name("-rf"))] = .init(
            size: Int64.max, modificationTimeNanoseconds: 0, inode: 1, sha256: digestB)
        return cache
    }

    @Test func serializedFormIsDocumentedText() {
        let text = String(decoding: Self.sample().serialized(), as: UTF8.self)
        #expect(
            text == """
                p2p-hash-cache 1
                shared 9223372036854775807 0 1 \(Self.digestB.hex) -rf
                shared 1234 1732540000123456789 42 \(Self.digestA.hex) song with spaces .ogg
                replicated 0 -5 18446744073709551615 \(Self.digestB.hex) 🎵 ünïcødé
                end 3

                """)
    }

    @Test func roundTrip() throws {
        let cache = Self.sample()
        #expect(try HashCache(parsing: cache.serialized()) == cache)
        #expect(try HashCache(parsing: HashCache().serialized()) == HashCache())
    }

    @Test func saveAndLoadAtomically() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/catalog-hashes"
            let loadedMissing = HashCache.load(from: path)
            #expect(loadedMissing.cache == HashCache())
            #expect(loadedMissing.warning == nil)  // first start: no cache is normal

            try Self.sample().save(to: path)
            let loaded = HashCache.load(from: path)
            #expect(loaded.cache == Self.sample())
            #expect(loaded.warning == nil)
            #expect(access(path + ".tmp", F_OK) != 0)  // the temporary was renamed away

            try HashCache().save(to: path)  // replaces
            #expect(HashCache.load(from: path).cache == HashCache())
        }
    }

    /// Each of these content variants is corrupt: the whole file is ignored with a warning.
    @Test(arguments: [
        "garbage\n",
        "",
        "p2p-hash-cache 1\n",  // no trailer
        "p2p-hash-cache 2\nend 0\n",  // unknown version
        "p2p-hash-cache 1\nend 0",  // last line not ended
        "p2p-hash-cache 1\nshared 1 2 3 HASH x\n",  // cut short: no trailer
        "p2p-hash-cache 1\nshared 1 2 3 HASH x\nend 2\n",  // wrong count
        "p2p-hash-cache 1\nother 1 2 3 HASH x\nend 1\n",  // unknown folder
        "p2p-hash-cache 1\nshared -1 2 3 HASH x\nend 1\n",  // negative size
        "p2p-hash-cache 1\nshared 1 2 -3 HASH x\nend 1\n",  // negative inode
        "p2p-hash-cache 1\nshared 1 2 99999999999999999999999 HASH x\nend 1\n",  // overflow
        "p2p-hash-cache 1\nshared +1 2 3 HASH x\nend 1\n",  // sign not allowed
        "p2p-hash-cache 1\nshared 1 2 3 abc x\nend 1\n",  // short hash
        "p2p-hash-cache 1\nshared 1 2 3 HASH \nend 1\n",  // empty name
        "p2p-hash-cache 1\nshared 1 2 3 HASH a/b\nend 1\n",  // invalid name
        "p2p-hash-cache 1\nshared 1 2 3 HASH a\tb\nend 1\n",  // control character in name
        "p2p-hash-cache 1\nshared 1 2 3 HASH x\nshared 1 2 3 HASH x\nend 2\n",  // duplicate
        "p2p-hash-cache 1\nshared 1 2 3 HASH\nend 1\n",  // missing field
    ])
    func corruptCacheIsIgnoredWithAWarning(_ content: String) throws {
        let bytes = Array(content.replacing("HASH", with: Self.digestA.hex).utf8)
        #expect(throws: HashCacheFormatError.self) { try HashCache(parsing: bytes) }
        try withTemporaryFolder { folder in
            try writeFile(folder + "/catalog-hashes", bytes)
            let loaded = HashCache.load(from: folder + "/catalog-hashes")
            #expect(loaded.cache == HashCache())
            let warning = try #require(loaded.warning)
            #expect(warning.contains("ignoring corrupt hash cache"))
            #expect(warning.contains("hashed again"))
        }
    }

    @Test func invalidUTF8NameInCacheIsCorrupt() {
        var bytes = Array("p2p-hash-cache 1\nshared 1 2 3 \(Self.digestA.hex) ".utf8)
        bytes += [0x66, 0xFF] + Array("\nend 1\n".utf8)
        #expect(throws: HashCacheFormatError.self) { try HashCache(parsing: bytes) }
    }

    @Test func unreadableCacheGivesAWarningNotAFailure() throws {
        try withTemporaryFolder { folder in
            try makeFolder(folder + "/catalog-hashes")  // a folder where the file should be
            let loaded = HashCache.load(from: folder + "/catalog-hashes")
            #expect(loaded.cache == HashCache())
            #expect(loaded.warning != nil)
        }
    }

    @Test func recordsMatchOnlyTheSameVersion() {
        let status = FileStatus(
            kind: .regular, size: 10, modificationTimeNanoseconds: 100, inode: 7)
        var cache = HashCache()
        cache.records[.init(folder: .shared, name: name("f"))] = .init(
            status: status, sha256: Self.digestA)
        #expect(cache.digest(folder: .shared, name: name("f"), status: status) == Self.digestA)
        #expect(cache.digest(folder: .replicated, name: name("f"), status: status) == nil)
        var changed = status
        changed.size = 11
        #expect(cache.digest(folder: .shared, name: name("f"), status: changed) == nil)
        changed = status
        changed.modificationTimeNanoseconds = 101
        #expect(cache.digest(folder: .shared, name: name("f"), status: changed) == nil)
        changed = status
        changed.inode = 8
        #expect(cache.digest(folder: .shared, name: name("f"), status: changed) == nil)
    }
}
