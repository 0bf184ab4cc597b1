extension FileName {
    /// Whether `bytes` would make a valid `FileName`, without building one: the index checks
    /// every name of a large registration, and a `String` and an array per name would cost more
    /// than the check. The rules are exactly those of `init(bytes:)`.
    public static func isValid(bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard count > 0, count <= maximumByteCount else { return false }
        if bytes[0] == UInt8(ascii: "."), count == 1 || (count == 2 && bytes[1] == UInt8(ascii: ".")) {
            return false
        }
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                // C0 controls (NUL included), '/' and DEL.
                if lead < 0x20 || lead == UInt8(ascii: "/") || lead == 0x7F { return false }
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { return false }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            // C1 controls U+0080–U+009F are 0xC2 0x80–0x9F.
            if lead == 0xC2, second <= 0x9F { return false }
            index += length
        }
        let suffix = partialDownloadSuffix.utf8
        if count >= suffix.count,
            UnsafeRawBufferPointer(rebasing: bytes[(count - suffix.count)...]).elementsEqual(suffix)
        {
            return false
        }
        return true
    }
}
