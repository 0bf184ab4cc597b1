import Testing

@testable import P2PIndex

@Suite struct GlobBytesTests {
    @Test func bytesAndStringMatchingAgree() {
        let patterns = ["*", "*.ogg", "s?ng.[a-o]gg", "caf?", "caf\u{E9}*", "[!a-c]*", "*\u{1F600}?", "\\*x", "[é-ê]x"]
        let names = ["song.ogg", "sung.ogg", "café", "cafe\u{301}", "x\u{1F600}y", "*x", "éx", "dx", "a", ""]
        var scratch: [Unicode.Scalar] = []
        for pattern in patterns.map(GlobPattern.init) {
            for name in names {
                var name = name
                let viaBytes = name.withUTF8 { pattern.matches(utf8: UnsafeRawBufferPointer($0), scratch: &scratch) }
                #expect(viaBytes == pattern.matches(name), "\(name)")
            }
        }
    }
}
