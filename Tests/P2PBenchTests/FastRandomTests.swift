import Testing

@testable import P2PBench

@Suite struct FastRandomTests {
    private func bytes(_ name: String, _ count: Int) -> [UInt8] {
        var random = FastRandom(name: name)
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { random.fill($0) }
        return output
    }

    @Test func theSameNameGivesTheSameBytes() {
        #expect(bytes("peer1_kb_0001.txt", 1024) == bytes("peer1_kb_0001.txt", 1024))
        #expect(bytes("peer1_kb_0001.txt", 1024) != bytes("peer2_kb_0001.txt", 1024))
    }

    @Test func aShortFillIsAPrefixOfALongerOne() {
        #expect(bytes("x", 13) == Array(bytes("x", 64).prefix(13)))
    }

    @Test func bytesAreNotConstant() {
        let sample = bytes("peer1_mb_0001.bin", 4096)
        #expect(Set(sample).count > 200)
    }
}
