/// One line the daemon writes in answer to a request: an event, or the final reply.
///
/// Every request gets exactly one final line, `{"status": "ok", …}` or
/// `{"status": "error", "error": "one-line reason"}`, after any number of events; then the daemon
/// reads the next request on the same connection.
public enum ControlResponseLine: Sendable, Equatable {
    case event(ControlEvent)
    /// The final reply of a successful command: the whole document, `status` included.
    case ok(JSONValue)
    /// The final reply of a failed command: the reason, one line.
    case failure(String)

    public init(json: JSONValue) throws(ProtocolError) {
        guard case .object = json else { throw .notAnObject }
        if json["event"] != nil {
            self = .event(try ControlEvent(json: json))
            return
        }
        switch try json.requiredString("status") {
        case "ok": self = .ok(json)
        case "error": self = .failure(try json.optionalString("error") ?? "unknown error")
        case let other: throw .invalidField("status", "expected ok or error, not \(QuotedText.quoted(other))")
        }
    }

    /// Parses one line (without its newline).
    public init(line: some Collection<UInt8>) throws(ProtocolError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(line))
        } catch {
            throw .invalidJSON(error.description)
        }
        try self.init(json: document)
    }

    /// The failure reply for an error, its description flattened to one line.
    public static func failure(describing error: any Error) -> ControlResponseLine {
        .failure(oneLine(String(describing: error)))
    }

    public var json: JSONValue {
        switch self {
        case .event(let event): event.json
        case .ok(let document): document
        case .failure(let reason): ReplyStatus.error(Self.oneLine(reason))
        }
    }

    public func encodedLine() -> [UInt8] {
        var bytes: [UInt8] = []
        json.write(into: &bytes)
        bytes.append(0x0A)
        return bytes
    }

    /// At most this many bytes of a reason are kept: an error is for a terminal line, and a
    /// runaway description must not grow a reply past the client's line cap.
    public static let maxReasonBytes = 1000

    /// `text` with line breaks and other control characters (C0, DEL and C1, whose U+009B is an
    /// 8-bit CSI to some terminals) turned into spaces, runs of spaces collapsed and the whole cut
    /// to `maxReasonBytes`, so that p2pctl prints exactly one line and nothing that drives the
    /// terminal. A reason may quote a file name another peer chose.
    public static func oneLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var bytes = 0
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let isSpace = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == " "
            if isSpace && lastWasSpace { continue }
            let width = isSpace ? 1 : UTF8.width(scalar)
            if bytes + width > maxReasonBytes { break }
            out.append(isSpace ? " " : scalar)
            bytes += width
            lastWasSpace = isSpace
        }
        var result = String(out)
        while result.last == " " { result.removeLast() }
        return result.isEmpty ? "unknown error" : result
    }
}
