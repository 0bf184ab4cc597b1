/// Validation without building: the same checks, limits and error messages as the parsing
/// methods, but nothing is allocated, so a deferred value costs one pass over its bytes.
extension JSONParser {
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONParseError) {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
            try skipString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            try skipValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func skipArray(depth: Int) throws(JSONParseError) {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try skipValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw error("expected ',' or ']'")
            }
        }
    }

    /// Like `parseString`: escapes are checked as they come, and invalid UTF-8 is reported (at the
    /// string's start) only once the string is otherwise well-formed. Escapes always stand for
    /// whole characters, so checking each unescaped run on its own equals checking the result.
    mutating func skipString() throws(JSONParseError) {
        index += 1
        let start = index
        var runStart = index
        var validUTF8 = true
        var scratch: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                if validUTF8 {
                    validUTF8 = UTF8Check.isValid(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                }
                index += 1
                guard validUTF8 else { throw JSONParseError(offset: start, reason: "invalid UTF-8 in string") }
                return
            case UInt8(ascii: "\\"):
                if validUTF8 {
                    validUTF8 = UTF8Check.isValid(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                }
                index += 1
                scratch.removeAll(keepingCapacity: true)
                try parseEscape(into: &scratch)
                runStart = index
            case 0..<0x20:
                throw error("control character in string")
            default:
                index += 1
            }
        }
    }

    /// Appends the string's bytes (escapes decoded) to `output`; the string must already have
    /// been validated (a deferred value was).
    mutating func readStringBytes(into output: inout [UInt8]) throws(JSONParseError) {
        index += 1
        var runStart = index
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return
            case UInt8(ascii: "\\"):
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                try parseEscape(into: &output)
                runStart = index
            default:
                index += 1
            }
        }
    }
}
