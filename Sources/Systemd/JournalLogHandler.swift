import Logging

/// A swift-log handler that writes each log call as one structured journal entry.
///
/// Going through sd_journal_sendv(3) instead of stderr keeps the fields: `journalctl
/// PEER_ID=peer1`, `journalctl -p warning`, `-o verbose` all work on what the daemon logged,
/// and multi-line messages stay one entry. The field mapping is ``JournalFields``.
///
/// Use it only when journald is really there (``LogDestination/detect()``): without a journald,
/// libsystemd drops entries silently.
public struct JournalLogHandler: LogHandler {
    /// The swift-log label, written as `LOGGER=`.
    public let label: String
    /// `SYSLOG_IDENTIFIER=`, what `journalctl -t` filters on and prints before each line,
    /// e.g. `p2p-peerd`.
    public let identifier: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(
        label: String,
        identifier: String,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.identifier = identifier
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        JournalFields.send(fields(for: event))
    }

    /// The journal fields this handler sends for an event (pure; for tests and debugging).
    public func fields(for event: LogEvent) -> [String] {
        let merged = LogMetadata.merge(
            handler: metadata,
            provider: metadataProvider,
            call: event.metadata,
            error: event.error
        )
        return JournalFields.fields(
            level: event.level,
            message: event.message.description,
            metadata: merged,
            identifier: identifier,
            label: label,
            file: event.file,
            function: event.function,
            line: event.line
        )
    }
}
