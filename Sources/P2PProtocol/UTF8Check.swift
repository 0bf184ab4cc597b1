/// Whether bytes are well-formed UTF-8, checked in place (no `String` is built). The rules are
/// the Unicode standard's (Table 3-7), as `String(validating:)` applies them: no overlong forms,
/// no surrogates, nothing above U+10FFFF.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = multiByteSequenceLength(bytes, at: index) else { return false }
            index += length
        }
        return true
    }

    /// The length (2–4) of the well-formed multi-byte sequence whose lead byte (≥ 0x80) is at
    /// `index`, or nil if the sequence there is malformed or cut off. Shared by every in-place
    /// check so that there is one reading of Table 3-7.
    static func multiByteSequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = bytes[index]
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
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { return nil }
        var offset = 2
        while offset < length {
            guard bytes[index + offset] & 0xC0 == 0x80 else { return nil }
            offset += 1
        }
        return length
    }
}
