/// Substring search's definition, spelled out naively: the name's UTF-8 bytes contain the
/// query's, with only A–Z folded to a–z (the index promises nothing about other case pairs).
enum ASCIICaseContainment {
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let bytes = haystack.utf8.map(lowercased)
        let wanted = needle.utf8.map(lowercased)
        guard wanted.count <= bytes.count else { return false }
        return (0...(bytes.count - wanted.count)).contains { bytes[$0..<($0 + wanted.count)].elementsEqual(wanted) }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
