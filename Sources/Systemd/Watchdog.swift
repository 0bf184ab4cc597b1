import CSystemd
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Pings systemd's service watchdog (`WatchdogSec=`) while the daemon is alive.
///
/// With `WatchdogSec=` set, systemd kills and (with `Restart=on-failure`) restarts a daemon that
/// stops sending `WATCHDOG=1`: a deadlocked or wedged process gets replaced instead of sitting
/// "active" forever. The ping runs on the same cooperative thread pool as the daemon's work, so a
/// pool starved by blocking calls stops the pings too — which is exactly what should be noticed.
///
/// As a swift-service-lifecycle `Service`, ``run()`` pings until the task is cancelled or the
/// `ServiceGroup` shuts it down gracefully. Put it first in the group's services: the group stops
/// services in reverse order, so the watchdog keeps pinging while the others wind down and stops
/// last.
public struct Watchdog: Service {
    /// The timeout systemd enforces (`WatchdogSec=`, handed over as `WATCHDOG_USEC`).
    public let timeout: Duration
    /// How often ``run()`` pings: half the timeout, as sd_watchdog_enabled(3) recommends, so a
    /// single late wake-up does not cost the daemon its life.
    public var interval: Duration { timeout / 2 }

    private let notifier: SystemdNotifier

    public init(timeout: Duration, notifier: SystemdNotifier = SystemdNotifier()) {
        self.timeout = timeout
        self.notifier = notifier
    }

    /// The watchdog systemd asked for, or `nil` when it asked for none.
    ///
    /// Uses `sd_watchdog_enabled(3)`, which reads `WATCHDOG_USEC` and checks that `WATCHDOG_PID`
    /// (when set) names this process: a child that inherited the variables must not ping on its
    /// parent's behalf.
    ///
    /// - Parameter unsetEnvironment: remove `WATCHDOG_USEC`/`WATCHDOG_PID` afterwards so children
    ///   do not inherit them. Off by default: the daemons spawn no children, and setenv/unsetenv
    ///   are not thread-safe once other threads run.
    /// - Throws: ``SystemdError`` if the variables are malformed.
    public static func fromEnvironment(
        unsetEnvironment: Bool = false,
        notifier: SystemdNotifier = SystemdNotifier()
    ) throws(SystemdError) -> Watchdog? {
        var microseconds: UInt64 = 0
        let result = sd_watchdog_enabled(unsetEnvironment ? 1 : 0, &microseconds)
        if result < 0 {
            throw SystemdError(function: "sd_watchdog_enabled", returnValue: result)
        }
        guard result > 0, microseconds > 0 else { return nil }
        return Watchdog(timeout: .microseconds(Int64(clamping: microseconds)), notifier: notifier)
    }

    /// Pings at once and then every ``interval`` until cancelled or shut down gracefully.
    ///
    /// A failed ping is not fatal here: if pings keep failing systemd restarts the daemon, which
    /// is the right outcome for a daemon that cannot reach its service manager.
    public func run() async {
        let notifier = self.notifier
        let interval = self.interval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = try? notifier.watchdog()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled: stop pinging quietly
                }
            }
        }
    }
}
