import Logging

/// syslog(3) priorities, the scale journald (`PRIORITY=`, `journalctl -p`) and the `<N>` prefixes
/// of sd-daemon(3) use.
///
/// swift-log has seven levels and syslog eight; the mapping is the conventional one, so that
/// `journalctl -p warning` shows exactly `.warning` and worse. Nothing maps to alert (1) or
/// emergency (0): those mean the whole system is unusable, which one daemon cannot know.
public enum SyslogPriority: Int, Sendable, Comparable, CaseIterable {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// trace and debug → 7, info → 6, notice → 5, warning → 4, error → 3, critical → 2.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }

    public static func < (lhs: SyslogPriority, rhs: SyslogPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
