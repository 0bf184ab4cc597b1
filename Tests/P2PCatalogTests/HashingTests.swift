import Glibc
import Testing

@testable import P2PCatalog

@Suite struct SHA256DigestTests {
    static let emptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let abcHex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func knownVectors() {
        #expect(IncrementalHasher.digest([]).hex == Self.emptyHex)
        #expect(IncrementalHasher.digest(Array("abc".utf8)).hex == Self.abcHex)
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            IncrementalHasher.digest(Array(twoBlocks.utf8)).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            IncrementalHasher.digest(million).hex
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let data = randomBytes(100_003)
        var hasher = IncrementalHasher()
        var offset = 0
        for size in [0, 1, 63, 64, 65, 4096, 1000, 50_000] {
            hasher.update(Array(data[offset..<(offset + size)]))
            offset += size
        }
        hasher.update(Array(data[offset...]))
        #expect(hasher.byteCount == Int64(data.count))
        #expect(hasher.finalize() == IncrementalHasher.digest(data))
        // finalize leaves the hasher usable.
        #expect(hasher.finalize() == IncrementalHasher.digest(data))
    }

    @Test func hexRoundTrip() throws {
        let digest = try #require(SHA256Digest(hex: Self.abcHex))
        #expect(digest.hex == Self.abcHex)
        #expect(digest.description == Self.abcHex)
        #expect(SHA256Digest(hex: Self.abcHex.uppercased()) == digest)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(digest.bytes.count == 32)
        #expect(digest.bytes.first == 0xBA && digest.bytes.last == 0xAD)
    }

    @Test(arguments: [
        "", "abc", String(repeating: "0", count: 63), String(repeating: "0", count: 65),
        String(repeating: "g", count: 64), " " + String(repeating: "0", count: 63),
        String(repeating: "0", count: 63) + "\n", String(repeating: "é", count: 32),
        "0x" + String(repeating: "0", count: 62),
    ])
    func hexParsingRejects(_ text: String) {
        #expect(SHA256Digest(hex: text) == nil)
    }

    @Test func bytesMustBe32() {
        #expect(SHA256Digest(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(SHA256Digest(bytes: [UInt8](repeating: 0, count: 33)) == nil)
        #expect(SHA256Digest(bytes: [UInt8](repeating: 7, count: 32)) != nil)
    }

    @Test func hashableAndOrderedByBytes() throws {
        let low = try #require(SHA256Digest(hex: "00" + String(repeating: "f", count: 62)))
        let high = try #require(SHA256Digest(hex: "01" + String(repeating: "0", count: 62)))
        #expect(low < high)
        #expect(Set([low, high, low]).count == 2)
    }
}

@Suite struct FileHasherTests {
    @Test func emptyFile() throws {
        try withTemporaryFolder { folder in
            try writeFile(folder + "/empty", [])
            let (digest, count) = try FileHasher().hash(path: folder + "/empty")
            #expect(count == 0)
            #expect(digest.hex == SHA256DigestTests.emptyHex)
        }
    }

    @Test func fiveMiBRandomFileMatchesSha256sum() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/random.bin"
            let data = randomBytes(5 * 1024 * 1024 + 123)
            try writeFile(path, data)
            let hasher = FileHasher()
            let (digest, count) = try hasher.hash(path: path)
            #expect(count == Int64(data.count))
            #expect(digest == IncrementalHasher.digest(data))
            #expect(hasher.filesHashed == 1)
            #expect(hasher.bytesHashed == Int64(data.count))
            if let reference = commandOutputFirstField("sha256sum '\(path)'") {
                #expect(digest.hex == reference)
            } else {
                print("sha256sum not available; compared with the in-memory digest only")
            }
        }
    }

    @Test func smallBlocksGiveTheSameDigest() throws {
        try withTemporaryFolder { folder in
            let data = randomBytes(100_000)
            try writeFile(folder + "/f", data)
            var reported: [Int64] = []
            let descriptor = open(folder + "/f", O_RDONLY)
            defer { close(descriptor) }
            let (digest, count) = try FileHasher(blockSize: 4096).hash(descriptor: descriptor) {
                reported.append($0)
            }
            #expect(digest == IncrementalHasher.digest(data))
            #expect(count == 100_000)
            #expect(reported.count == 25)  // 24 full blocks and one of 1696 bytes
            #expect(reported.last == 100_000)
        }
    }

    @Test func resumeHashesThePrefixThenContinues() throws {
        try withTemporaryFolder { folder in
            let data = randomBytes(3 * 1024 * 1024 + 17)
            let prefix = 2 * 1024 * 1024 + 5
            try writeFile(folder + "/song.ogg.part", Array(data[..<prefix]))
            let descriptor = open(folder + "/song.ogg.part", O_RDONLY)
            defer { close(descriptor) }
            var hasher = IncrementalHasher()
            let fed = try FileHasher().update(&hasher, descriptor: descriptor, length: Int64(prefix))
            #expect(fed == Int64(prefix))
            hasher.update(Array(data[prefix...]))  // the rest, as it arrives from the network
            #expect(hasher.finalize() == IncrementalHasher.digest(data))

            // A shorter file than asked for yields what it has.
            var short = IncrementalHasher()
            let got = try FileHasher().update(&short, descriptor: descriptor, offset: 10, length: 1 << 30)
            #expect(got == Int64(prefix - 10))
            #expect(short.finalize() == IncrementalHasher.digest(Array(data[10..<prefix])))
        }
    }

    @Test func missingFileThrowsSystemError() {
        #expect(throws: SystemError.self) { try FileHasher().hash(path: "/nonexistent/p2p/x") }
    }

    /// Measures hashing speed when P2P_BENCH_HASH_MIB is set (e.g. 256); skipped otherwise.
    @Test(.enabled(if: getenv("P2P_BENCH_HASH_MIB") != nil))
    func hashingSpeed() throws {
        let mebibytes = Int(String(cString: getenv("P2P_BENCH_HASH_MIB")!)) ?? 256
        try withTemporaryFolder { folder in
            let path = folder + "/big.bin"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            let block = randomBytes(1 << 20)
            for _ in 0..<mebibytes { try writeAll(descriptor, block) }
            fsync(descriptor)
            close(descriptor)
            let hasher = FileHasher()
            _ = try hasher.hash(path: path)  // warm the page cache
            let clock = ContinuousClock()
            var best = Duration.seconds(1000)
            for _ in 0..<3 {
                let elapsed = try clock.measure { _ = try hasher.hash(path: path) }
                best = min(best, elapsed)
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
            let rate = Double(mebibytes) / 1024 / seconds
            print("hashed \(mebibytes) MiB in \(best) (best of 3, page cache warm): \(rate) GiB/s")
        }
    }
}
