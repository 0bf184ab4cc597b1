/// A SHA-256 digest as 32 bytes held inline, for tables that keep one per file.
///
/// The wire carries digests as 64 hex digits; an index that kept that text per file would spend
/// 64 bytes plus a heap allocation on each. Four words compare and hash without touching the heap.
public struct SHA256Value: Hashable, Sendable, CustomStringConvertible {
    public var word0: UInt64
    public var word1: UInt64
    public var word2: UInt64
    public var word3: UInt64

    public init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Reads exactly 64 hex digits, either case; `nil` for anything else.
    public init?(hex: some Collection<UInt8>) {
        let contiguous = hex.withContiguousStorageIfAvailable { buffer in
            SHA256Value(hexBytes: UnsafeRawBufferPointer(buffer))
        }
        if let contiguous {
            guard let value = contiguous else { return nil }
            self = value
            return
        }
        guard let value = Array(hex).withUnsafeBytes({ SHA256Value(hexBytes: $0) }) else { return nil }
        self = value
    }

    /// The hot path of registrations: one digest per file, so no generic iteration and no
    /// per-digit switch (a profile showed the generic version as the decoder's largest cost).
    public init?(hexBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in 0..<4 {
            var value: UInt64 = 0
            var invalid: UInt8 = 0
            for offset in word * 16..<word * 16 + 16 {
                let byte = bytes[offset]
                let decimal = byte &- UInt8(ascii: "0")
                let letter = (byte | 0x20) &- UInt8(ascii: "a")
                let digit = decimal < 10 ? decimal : letter &+ 10
                // Neither a decimal digit nor a-f/A-F: remember it, check once per word.
                invalid |= (decimal >= 10 && letter >= 6) ? 1 : 0
                value = value << 4 | UInt64(digit & 0xF)
            }
            guard invalid == 0 else { return nil }
            switch word {
            case 0: words.0 = value
            case 1: words.1 = value
            case 2: words.2 = value
            default: words.3 = value
            }
        }
        self.init(word0: words.0, word1: words.1, word2: words.2, word3: words.3)
    }

    /// Reads 64 hex digits from a string; `nil` unless it is exactly that.
    public init?(hex text: String) {
        self.init(hex: text.utf8)
    }

    /// The digest as 64 lower-case hex digits, as the wire and `FileMeta` carry it.
    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var position = 0
            for word in [word0, word1, word2, word3] {
                var shift = 60
                while shift >= 0 {
                    buffer[position] = digits.utf8Start[Int((word >> UInt64(shift)) & 0xF)]
                    position += 1
                    shift -= 4
                }
            }
            return 64
        }
    }

    public var description: String { hex }
}
