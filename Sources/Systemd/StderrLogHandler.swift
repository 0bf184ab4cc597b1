import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A swift-log handler for stderr when stderr is not the journal: a terminal, a pipe, a file.
///
/// Not on a terminal, each line starts with a `<N>` syslog priority (sd-daemon(3)): whatever
/// collects the output — journald behind a plain pipe, `systemd-cat`, a supervisor, `make demo`
/// logs read by a script — can recover the severity from the text. On a terminal that prefix is
/// noise, so people get a timestamp and the level spelled out instead. Metadata follows the
/// message as `key=value`, sorted, quoted when needed.
public struct StderrLogHandler: LogHandler {
    /// How lines look.
    public enum Style: Sendable, Equatable {
        /// `<6>message key=value` — for machines.
        case priorityPrefix
        /// `12:34:56.789 info p2p.peer: message key=value` — for a person at a terminal.
        case readable

        /// `.readable` when stderr is a terminal, `.priorityPrefix` otherwise.
        public static func detect() -> Style {
            isatty(STDERR_FILENO) == 1 ? .readable : .priorityPrefix
        }
    }

    public let label: String
    public let style: Style
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(
        label: String,
        style: Style = .detect(),
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.style = style
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = LogMetadata.merge(
            handler: metadata,
            provider: metadataProvider,
            call: event.metadata,
            error: event.error
        )
        let timestamp = style == .readable ? Self.timestamp() : ""
        let text = Self.format(
            level: event.level,
            message: event.message.description,
            metadata: merged,
            label: label,
            style: style,
            timestamp: timestamp
        )
        Self.writeToStderr(text)
    }

    /// The text written for one log call, ending in a newline (pure; tested directly).
    ///
    /// In `.priorityPrefix` style every line of a multi-line message gets the prefix, because
    /// readers of the `<N>` convention treat each line as its own record.
    public static func format(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        label: String,
        style: Style,
        timestamp: String = ""
    ) -> String {
        var text = message
        let pairs = metadata.keys.sorted().map { key in
            "\(key)=\(quoted(LogMetadata.text(metadata[key]!)))"
        }
        if !pairs.isEmpty {
            text += (text.isEmpty ? "" : " ") + pairs.joined(separator: " ")
        }
        switch style {
        case .priorityPrefix:
            let prefix = "<\(SyslogPriority(level).rawValue)>"
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { prefix + $0 + "\n" }
                .joined()
        case .readable:
            let head = [timestamp, level.rawValue, label.isEmpty ? "" : "\(label):"]
                .filter { !$0.isEmpty }
                .joined(separator: " ")
            return head + " " + text + "\n"
        }
    }

    /// A metadata value as it appears after `key=`: bare when it is one plain word, otherwise in
    /// double quotes with `\`, `"` and control characters escaped, so a line splits unambiguously
    /// back into pairs.
    static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20
            }
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Local wall-clock time of day with milliseconds, e.g. `12:34:56.789`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        func twoDigits(_ value: CInt) -> String {
            value < 10 ? "0\(value)" : "\(value)"
        }
        let millis = Int(now.tv_nsec / 1_000_000)
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return
            [parts.tm_hour, parts.tm_min, parts.tm_sec].map(twoDigits).joined(separator: ":") + "."
            + millisText
    }

    /// One write(2) per log call, so lines from concurrent tasks do not interleave mid-line.
    static func writeToStderr(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = write(STDERR_FILENO, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // nowhere left to report a failing stderr
                }
                next += written
                remaining -= written
            }
        }
    }
}
