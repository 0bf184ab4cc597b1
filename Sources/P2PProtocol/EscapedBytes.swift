/// Renders untrusted bytes (file names from the network or from disk) for messages and logs.
///
/// A rejected name is exactly the kind of input that must not reach a terminal raw: it may hold
/// escape sequences, newlines that forge log lines, or bytes that are not UTF-8 at all. Printable
/// UTF-8 passes through, so ordinary names stay readable; everything else becomes a Swift-style
/// escape (`\n`, `\u{1B}`) or, for bytes that are not UTF-8, `\xFF`.
public enum EscapedBytes {
    /// `bytes` escaped and wrapped in double quotes.
    public static func quoted(_ bytes: [UInt8]) -> String {
        "\"" + escaped(bytes) + "\""
    }

    /// `bytes` escaped, without quotes.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var result = ""
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                let scalar = Unicode.UTF8.decode(encoded)
                switch scalar {
                case "\0": result += "\\0"
                case "\t": result += "\\t"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\\": result += "\\\\"
                case "\"": result += "\\\""
                default:
                    if FileName.isControl(scalar) {
                        result += "\\u{" + hex(scalar.value, width: 2) + "}"
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    result += "\\x" + hex(UInt32(byte), width: 2)
                }
                offset += length
            case .emptyInput:
                return result
            }
        }
    }

    /// Upper-case hexadecimal, zero-padded to `width` digits.
    public static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
