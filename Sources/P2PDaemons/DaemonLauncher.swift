import Logging
import P2PConfig
import ServiceLifecycle
import Systemd

#if canImport(Glibc)
    import Glibc
#endif

/// What both daemons do before and after their own wiring: take the sockets systemd passed,
/// choose the log destination, load settings (a bad file stops the start with one clear line and
/// exit status 78, EX_CONFIG, which the units do not restart on), then run the services until
/// SIGTERM or SIGINT.
public enum DaemonLauncher {
    /// Status for a configuration error; the units list it in `RestartPreventExitStatus=`.
    public static let configurationErrorStatus: Int32 = 78

    public struct Context: Sendable {
        public var listenFDs: ListenFDs
        public var notifier: SystemdNotifier
        public var environment: [String: String]
        public var logger: Logger
    }

    /// Call first in `main`: reads `LISTEN_FDS` before any thread starts, since it unsets the
    /// variables and `setenv` is not thread-safe.
    public static func start(identifier: String) -> Context {
        let listenFDs = (try? ListenFDs.fromEnvironment()) ?? ListenFDs([])
        let environment = ProcessEnvironment.current()
        // P2P_LOG_LEVEL=debug (or trace, notice, …) for troubleshooting; info by default.
        let level = environment["P2P_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        SystemdLogging.bootstrap(identifier: identifier, logLevel: level)
        return Context(
            listenFDs: listenFDs, notifier: SystemdNotifier(), environment: environment,
            logger: Logger(label: identifier))
    }

    /// Loads settings or exits with a one-line reason.
    /// - Parameter checkOnly: `--check-config`: report the files read and any warnings on stdout
    ///   and exit 0, instead of returning (like `nginx -t`, for scripts and admins).
    public static func load<Settings>(
        _ identifier: String, logger: Logger, checkOnly: Bool = false,
        _ body: () throws(ConfigurationError) -> LoadedSettings<Settings>
    ) -> Settings {
        do {
            let loaded = try body()
            if checkOnly {
                print("\(identifier): configuration OK")
                for file in loaded.files { print("  read \(file)") }
                for warning in loaded.warnings { print("  warning: \(warning)") }
                exit(0)
            }
            for warning in loaded.warnings { logger.warning("\(warning)") }
            return loaded.settings
        } catch {
            let line = Array("\(identifier): \(error)\n".utf8)
            _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(configurationErrorStatus)
        }
    }

    /// Runs `services` in order (stopped in reverse) with the watchdog first, so it pings until
    /// everything else has stopped.
    public static func run(_ services: [any Service], context: Context) async throws {
        var all = services
        if let watchdog = try? Watchdog.fromEnvironment(notifier: context.notifier) { all.insert(watchdog, at: 0) }
        let group = ServiceGroup(
            services: all, gracefulShutdownSignals: [.sigterm, .sigint], logger: context.logger)
        try await group.run()
    }
}
