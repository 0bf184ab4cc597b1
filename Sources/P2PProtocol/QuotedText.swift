/// Text the other side chose, quoted for an error message or a log line.
///
/// Like `debugDescription`, but it also escapes C1 controls (U+0080–U+009F), which
/// `debugDescription` leaves raw and some terminals obey (U+009B is an 8-bit CSI), and it keeps
/// at most `maxScalars` of them, since a hostile line can be as long as the frame cap.
enum QuotedText {
    static let maxScalars = 200

    static func quoted(_ text: String) -> String {
        var result = "\""
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if offset == maxScalars {
                result += "…"
                break
            }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
