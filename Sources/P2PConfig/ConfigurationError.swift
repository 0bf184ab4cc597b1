/// Why a configuration could not be loaded. Each case's description names the place (file and
/// line, environment variable or command line), the key, the bad value and what was expected,
/// so the admin can fix it from the log line alone.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line of an INI file that is not a comment, header or assignment.
    case syntax(path: String, line: Int, reason: String)
    /// A file or drop-in folder that exists but cannot be read (or is not UTF-8 text).
    case unreadable(path: String, reason: String)
    /// A value that does not parse as what the key needs.
    case invalidValue(source: ValueSource, key: SettingKey, value: String, expected: String)
    /// A peer id outside `[A-Za-z0-9_.-]{1,64}` or starting with `.` or `-`.
    case invalidPeerID(String)
    /// No `[Peer] Port` is configured and the id does not yield one (no trailing number, or the
    /// derived port is out of range).
    case portNotDerivable(peerID: String, reason: String)
    /// A flag override that is not `Section.Key=Value`.
    case malformedOverride(String)
    /// A flag override naming a key this program does not know; an error rather than a warning
    /// because the admin is typing it right now.
    case unknownOverride(SettingKey, suggestion: SettingKey?)
    /// A `ClusterKeyFile=` whose file cannot serve as a key (missing, short, open to others).
    case badClusterKey(source: ValueSource, key: SettingKey, path: String, reason: String)

    /// A one-line message for logs and stderr.
    public var description: String {
        switch self {
        case .syntax(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalidValue(let source, let key, let value, let expected):
            return "\(source): [\(key.section)] \(key.name)=\(value): expected \(expected)"
        case .invalidPeerID(let id):
            return
                "invalid peer id \"\(id)\": expected 1–64 characters from A–Z a–z 0–9 _ . -, not starting with . or -"
        case .portNotDerivable(let id, let reason):
            return "peer \(id): no [Peer] Port configured and \(reason); set [Peer] Port"
        case .malformedOverride(let text):
            return "command line: \"\(text)\": expected Section.Key=Value"
        case .unknownOverride(let key, let suggestion):
            let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
            return "command line: unknown setting \(key)\(hint)"
        case .badClusterKey(let source, let key, let path, let reason):
            return "\(source): [\(key.section)] \(key.name)=\(path): \(reason)"
        }
    }
}
