import ServiceLifecycle
import Systemd

/// Refreshes systemd's `STATUS=` line every few seconds with live figures, so `systemctl status`
/// says what the daemon is doing (transmission-daemon's "Uploading x KB/s" is the model).
public struct StatusReporter: Service {
    private let interval: Duration
    private let notifier: SystemdNotifier
    private let text: @Sendable (Duration) -> String

    /// - Parameter text: the status line; gets the time since the previous call, for rates.
    public init(
        every interval: Duration = .seconds(5), notifier: SystemdNotifier,
        text: @escaping @Sendable (Duration) -> String
    ) {
        self.interval = interval
        self.notifier = notifier
        self.text = text
    }

    public func run() async {
        guard notifier.isEnabled else {
            // A service that returns early ends the whole group; idle until shutdown instead.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                _ = try? notifier.status(text(interval))
            }
        }
    }
}
