import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Tells the service manager what the daemon is doing, through `sd_notify(3)`.
///
/// With `Type=notify` systemd considers the unit started only when `READY=1` arrives, so
/// `systemctl start` returns when the daemon really serves; `STATUS=` is the one line
/// `systemctl status` shows; `RELOADING=1`/`STOPPING=1` make reloads and stops visible as such;
/// `WATCHDOG=1` keeps `WatchdogSec=` from killing a healthy daemon.
///
/// Outside systemd (a scratch run, a test) `NOTIFY_SOCKET` is unset and every call is a cheap
/// no-op that returns `false`, so daemons call these unconditionally instead of branching on
/// "am I under systemd". The notifier holds no state: `sd_notify` opens a socket per call, so
/// it is safe from any thread or task.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether a service manager asked for notifications (`NOTIFY_SOCKET` is set).
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends a preformatted state string such as `"READY=1\nSTATUS=Serving"`, as is.
    ///
    /// - Returns: `true` if it was sent, `false` if there is no service manager to send to.
    /// - Throws: ``SystemdError`` if `NOTIFY_SOCKET` is set but sending failed.
    @discardableResult
    public func send(_ state: String) throws(SystemdError) -> Bool {
        // unset_environment = 0: the daemon notifies for its whole life, not only once.
        let result = sd_notify(0, state)
        if result < 0 {
            throw SystemdError(function: "sd_notify", returnValue: result)
        }
        return result > 0
    }

    /// Sends several assignments in one datagram, e.g. `["READY": "1", "STATUS": "Serving"]`.
    ///
    /// One datagram makes them atomic for systemd (it never sees READY=1 without the STATUS=
    /// that goes with it). See ``format(_:)`` for how keys and values are checked.
    @discardableResult
    public func send(_ assignments: [String: String]) throws(SystemdError) -> Bool {
        try send(Self.format(assignments))
    }

    /// The daemon is serving: its sockets listen and it can answer. Optionally with a status line.
    @discardableResult
    public func ready(status: String? = nil) throws(SystemdError) -> Bool {
        try send(Self.merging(["READY": "1"], status: status))
    }

    /// Sets the one-line status `systemctl status` shows.
    @discardableResult
    public func status(_ text: String) throws(SystemdError) -> Bool {
        try send(["STATUS": text])
    }

    /// A reload started (send ``ready(status:)`` when it is done).
    ///
    /// systemd (since 253, and documented for `Type=notify-reload`) wants `MONOTONIC_USEC=` with
    /// the CLOCK_MONOTONIC time the reload began, so it can tell this reload from an older one;
    /// older managers ignore the extra field, so it is always sent.
    @discardableResult
    public func reloading(status: String? = nil) throws(SystemdError) -> Bool {
        let now = Self.monotonicMicroseconds()
        return try send(
            Self.merging(["RELOADING": "1", "MONOTONIC_USEC": String(now)], status: status))
    }

    /// The daemon is shutting down; systemd shows the unit as deactivating.
    @discardableResult
    public func stopping(status: String? = nil) throws(SystemdError) -> Bool {
        try send(Self.merging(["STOPPING": "1"], status: status))
    }

    /// Keep-alive ping for `WatchdogSec=`; ``Watchdog`` sends it periodically.
    @discardableResult
    public func watchdog() throws(SystemdError) -> Bool {
        try send("WATCHDOG=1")
    }

    /// Asks for more time for the current start, reload or stop (e.g. while checkpointing
    /// downloads at stop), measured from now: `EXTEND_TIMEOUT_USEC=`.
    @discardableResult
    public func extendTimeout(by duration: Duration) throws(SystemdError) -> Bool {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return try send(["EXTEND_TIMEOUT_USEC": String(microseconds)])
    }

    /// Formats assignments as sd_notify(3) wants them: `KEY=value` lines, keys sorted so that
    /// the datagram is deterministic.
    ///
    /// A key must be non-empty `[A-Z0-9_]` (systemd ignores others, and a stray `=` or newline
    /// would smuggle in a different assignment): otherwise this throws `EINVAL`. Newlines in a
    /// value are replaced by spaces, because a value comes from anywhere (a file name in a
    /// STATUS=) and a newline would end the assignment and start a forged one.
    public static func format(_ assignments: [String: String]) throws(SystemdError) -> String {
        var lines: [String] = []
        lines.reserveCapacity(assignments.count)
        for key in assignments.keys.sorted() {
            guard isValidKey(key) else {
                throw SystemdError(function: "SystemdNotifier.format", errno: EINVAL)
            }
            let value = assignments[key, default: ""].replacing("\n", with: " ")
            lines.append("\(key)=\(value)")
        }
        return lines.joined(separator: "\n")
    }

    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_")
            }
    }

    private static func merging(_ assignments: [String: String], status: String?) -> [String: String] {
        var assignments = assignments
        if let status {
            assignments["STATUS"] = status
        }
        return assignments
    }

    /// CLOCK_MONOTONIC in microseconds, the clock systemd uses for MONOTONIC_USEC=.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
