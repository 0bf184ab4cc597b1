import Logging

/// One call to set up logging the way a systemd daemon should.
///
/// ```swift
/// SystemdLogging.bootstrap(identifier: "p2p-peerd")
/// ```
/// decides once, at start-up, between journald and stderr (``LogDestination/detect()``) and
/// bootstraps swift-log with the matching handler for every logger.
public enum SystemdLogging {
    /// A handler for `LoggingSystem.bootstrap`: ``JournalLogHandler`` for `.journal`,
    /// ``StderrLogHandler`` for `.stderr`.
    ///
    /// - Parameters:
    ///   - label: the swift-log label of the logger being made.
    ///   - identifier: `SYSLOG_IDENTIFIER`, normally the executable's name (`p2p-indexd`).
    ///   - destination: where to log; detect it once and pass it, since this is called for every
    ///     `Logger` made.
    public static func makeHandler(
        label: String,
        identifier: String,
        destination: LogDestination = .detect(),
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch destination {
        case .journal:
            JournalLogHandler(
                label: label,
                identifier: identifier,
                logLevel: logLevel,
                metadataProvider: metadataProvider
            )
        case .stderr:
            StderrLogHandler(label: label, logLevel: logLevel, metadataProvider: metadataProvider)
        }
    }

    /// Bootstraps swift-log (once per process, as swift-log requires) with handlers from
    /// `makeHandler`, all for the one destination detected now.
    ///
    /// - Returns: the destination chosen, so the daemon can mention it in its first log line.
    @discardableResult
    public static func bootstrap(
        identifier: String,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> LogDestination {
        let destination = LogDestination.detect()
        LoggingSystem.bootstrap(
            { label, provider in
                makeHandler(
                    label: label,
                    identifier: identifier,
                    destination: destination,
                    logLevel: logLevel,
                    metadataProvider: provider
                )
            },
            metadataProvider: metadataProvider
        )
        return destination
    }
}
