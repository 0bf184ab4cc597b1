#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a control request failed, worded for the one line p2pctl prints after `p2pctl: `.
public enum ControlClientError: Error, Equatable, CustomStringConvertible {
    /// No `--peer`, `--socket`, `P2P_PEER` or `P2P_SOCKET`, and not exactly one socket to guess.
    case noPeerChosen(String?)
    case invalidPeerID(String, String)
    case cannotConnect(path: String, code: CInt)
    /// Reading or writing the socket failed after connecting.
    case io(path: String, code: CInt)
    /// The daemon closed the connection before its final line.
    case closedEarly(path: String)
    /// A line that is not the control protocol.
    case badReply(String)
    /// The daemon answered `{"status": "error"}`: its reason, and the raw line for `--json`.
    case daemon(reason: String, line: String)

    public var description: String {
        switch self {
        case .noPeerChosen(let detail):
            "no peer chosen: use --peer ID or --socket PATH" + (detail.map { " (\($0))" } ?? "")
        case .invalidPeerID(let id, let problem):
            "invalid peer id \(id.debugDescription): \(problem)"
        case .cannotConnect(let path, let code):
            "cannot connect to \(path): \(Self.reason(code))\(Self.hint(path: path, code: code))"
        case .io(let path, let code):
            "lost the connection to \(path): \(Self.reason(code))"
        case .closedEarly(let path):
            "\(path) closed the connection without a reply (did the daemon stop?)"
        case .badReply(let detail):
            "the daemon's reply is not understood: \(detail)"
        case .daemon(let reason, _):
            reason
        }
    }

    static func reason(_ code: CInt) -> String { String(cString: strerror(code)) }

    /// What to try next: whether the daemon runs, or who may use the socket.
    private static func hint(path: String, code: CInt) -> String {
        switch code {
        case ENOENT, ECONNREFUSED:
            if let peer = ControlSocketChoice.peerID(ofDefaultPath: path) { return " (is p2p-peer@\(peer) running?)" }
            return " (is the peer daemon running?)"
        case EACCES, EPERM:
            return " (root and members of the control group, p2p by default, may use it)"
        default:
            return ""
        }
    }
}
