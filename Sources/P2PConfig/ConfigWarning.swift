/// Something in a config file that was ignored. Returned, not thrown, so that a typo in one key
/// does not keep a daemon down; the daemon logs each one at startup.
public enum ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// A key this program does not know inside a section it does know.
    case unknownKey(path: String, line: Int, key: SettingKey, suggestion: SettingKey?)
    /// A whole section this program does not know (reported once, at its header).
    case unknownSection(path: String, line: Int, section: String)

    /// A one-line message for the log.
    public var description: String {
        switch self {
        case .unknownKey(let path, let line, let key, let suggestion):
            let hint = suggestion.map { " (did you mean \($0.name)?)" } ?? ""
            return "\(path):\(line): unknown key \(key.name) in [\(key.section)], ignored\(hint)"
        case .unknownSection(let path, let line, let section):
            return "\(path):\(line): unknown section [\(section)], ignored"
        }
    }
}
