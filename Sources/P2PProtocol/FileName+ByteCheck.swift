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
            guard let length = UTF8Check.multiByteSequenceLength(bytes, at: index) else { return false }
            // C1 controls U+0080–U+009F are 0xC2 0x80–0x9F.
            if lead == 0xC2, bytes[index + 1] <= 0x9F { return false }
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
