import Logging
import ServiceLifecycle
import Systemd
import UnixSignals

/// `systemctl reload` (SIGHUP): re-read the configuration between `RELOADING=1` and `READY=1`.
///
/// systemd 252 has no `Type=notify-reload`, so the unit sends SIGHUP (`ExecReload=kill -HUP`)
/// and the daemon reports the cycle itself.
public struct ReloadOnHangup: Service {
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let reload: @Sendable () async -> String

    /// - Parameter reload: applies what can change live and returns the status text to show.
    public init(notifier: SystemdNotifier, logger: Logger, reload: @escaping @Sendable () async -> String) {
        self.notifier = notifier
        self.logger = logger
        self.reload = reload
    }

    public func run() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                logger.notice("SIGHUP: reloading the configuration")
                _ = try? notifier.reloading()
                let status = await reload()
                _ = try? notifier.ready(status: status)
            }
        }
    }
}
