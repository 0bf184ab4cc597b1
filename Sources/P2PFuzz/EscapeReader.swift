/// Reads back the escaped form `FileNameError.escapedInput` shows (`"a\nb\xFF\u{1B}"`), to check
/// that the message names exactly the bytes that arrived: the escaping must be reversible.
enum EscapeReader {
    /// The bytes `quoted` stands for; `nil` when it is not a well-formed escaped string.
    static func unescape(_ quoted: String) -> [UInt8]? {
        var scalars = Array(quoted.unicodeScalars)
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return nil }
        scalars = Array(scalars.dropFirst().dropLast())
        var bytes: [UInt8] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "\\" else {
                if scalar == "\"" { return nil }
                bytes.append(contentsOf: UTF8.encode(scalar)!)
                continue
            }
            guard index < scalars.count else { return nil }
            let kind = scalars[index]
            index += 1
            switch kind {
            case "0": bytes.append(0)
            case "t": bytes.append(0x09)
            case "n": bytes.append(0x0A)
            case "r": bytes.append(0x0D)
            case "\\": bytes.append(0x5C)
            case "\"": bytes.append(0x22)
            case "x":
                guard index + 2 <= scalars.count,
                    let byte = UInt8(String(String.UnicodeScalarView(scalars[index..<(index + 2)])), radix: 16)
                else { return nil }
                bytes.append(byte)
                index += 2
            case "u":
                guard index < scalars.count, scalars[index] == "{",
                    let close = scalars[index...].firstIndex(of: "}"),
                    let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 1)..<close])), radix: 16),
                    let decoded = Unicode.Scalar(value)
                else { return nil }
                bytes.append(contentsOf: UTF8.encode(decoded)!)
                index = close + 1
            default:
                return nil
            }
        }
        return bytes
    }

    /// Bytes for a failure message: hex, since they may be anything.
    static func show(_ bytes: [UInt8]) -> String {
        "[" + bytes.prefix(64).map { String($0, radix: 16) }.joined(separator: " ") + (bytes.count > 64 ? " …]" : "]")
    }
}
