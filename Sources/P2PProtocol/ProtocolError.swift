/// Why a line could not be turned into a request. Each case names the bad part, because the
/// text goes back to the client in an error reply and into the daemon's log.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(String)
    case notAnObject
    case missingField(String)
    case invalidField(String, String)
    case unknownType(String)
    case frameTooLong(limit: Int)
    /// An `add` or `remove` registration from a peer the index does not know (it restarted).
    case unknownPeer(String)

    public var description: String {
        switch self {
        case .invalidJSON(let reason): return reason
        case .notAnObject: return "a message must be a JSON object"
        case .missingField(let name): return "missing \(name)"
        case .invalidField(let name, let expected): return "invalid \(name): \(expected)"
        case .unknownType(let type): return "unknown message type \(QuotedText.quoted(type))"
        case .frameTooLong(let limit): return "line longer than \(limit) bytes"
        case .unknownPeer(let id): return "unknown peer \(id): register the whole catalog with mode replace"
        }
    }

    /// The short machine-readable code placed in the reply's `error` field.
    public var code: String {
        switch self {
        case .invalidJSON: return "invalid_json"
        case .notAnObject: return "invalid_message"
        case .missingField(let name): return "missing \(name)"
        case .invalidField(let name, _): return "invalid \(name)"
        case .unknownType: return "unknown_type"
        case .frameTooLong: return "line_too_long"
        case .unknownPeer: return "unknown_peer"
        }
    }
}
