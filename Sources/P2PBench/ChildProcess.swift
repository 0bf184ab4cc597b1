#if canImport(Glibc)
    import Glibc
#endif

/// A daemon started with posix_spawn, its stdout and stderr appended to a log file.
///
/// posix_spawn rather than Foundation's `Process`: the bench links no Foundation, and a log
/// file (not a pipe) means a chatty daemon can never block on a full pipe nobody reads.
public final class ChildProcess {
    public let name: String
    public let pid: pid_t
    public let logPath: String
    private var exitStatus: Int32?

    /// - Parameter environment: the child's whole environment, `NAME=value` strings.
    public init(
        name: String, executable: String, arguments: [String], environment: [String], logPath: String
    ) throws(BenchError) {
        self.name = name
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw .system("posix_spawn", path: executable, errno: status) }
        pid = child
    }

    deinit { _ = stop(timeoutSeconds: 5) }

    /// The log so far.
    public var log: String { FileIO.readText(logPath) ?? "" }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) {
            exitStatus = status
            return false
        }
        return true
    }

    /// Waits until a log line contains `text` and returns that line; fails if the child exits or
    /// `timeoutSeconds` pass first.
    public func waitForLogLine(containing text: String, timeoutSeconds: Double) throws(BenchError) -> String {
        let start = MonotonicTime.now()
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard isRunning else { throw .daemon("\(name) exited early; its log:\n\(tail())") }
            Sleep.milliseconds(20)
        }
        throw .daemon(
            "\(name) never logged \(text.debugDescription) within \(Int(timeoutSeconds)) s; its log:\n\(tail())")
    }

    /// Waits for the child to exit by itself; its wait status, or `nil` (and it is killed) when
    /// `timeoutSeconds` pass first, so a hung tool cannot hang the run.
    public func waitForExit(timeoutSeconds: Double) -> Int32? {
        let start = MonotonicTime.now()
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            if !isRunning { return exitStatus }
            Sleep.milliseconds(2)
        }
        stop(timeoutSeconds: 2)
        return nil
    }

    /// SIGTERM, then SIGKILL after `timeoutSeconds`; returns the wait status, `nil` if it had to be
    /// killed.
    @discardableResult
    public func stop(timeoutSeconds: Double = 10) -> Int32? {
        guard isRunning else { return exitStatus }
        kill(pid, SIGTERM)
        let start = MonotonicTime.now()
        while MonotonicTime.seconds(since: start) < timeoutSeconds {
            if !isRunning { return exitStatus }
            Sleep.milliseconds(10)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = status
        return nil
    }

    /// The last `lines` lines of the log.
    public func tail(_ lines: Int = 20) -> String {
        log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// This process's environment without what would confuse a child daemon: systemd's socket,
    /// notify and watchdog variables, and every `P2P_*` setting except the log level.
    public static func daemonEnvironment(adding extra: [String: String] = [:]) -> [String] {
        var result: [String] = []
        var pointer = environ
        let dropped = [
            "NOTIFY_SOCKET=", "LISTEN_FDS=", "LISTEN_PID=", "LISTEN_FDNAMES=", "WATCHDOG_USEC=", "WATCHDOG_PID=",
        ]
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            pointer += 1
            if dropped.contains(where: text.hasPrefix) { continue }
            if text.hasPrefix("P2P_") && !text.hasPrefix("P2P_LOG_LEVEL=") { continue }
            if let equals = text.firstIndex(of: "="), extra[String(text[..<equals])] != nil { continue }
            result.append(text)
        }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { result.append("\(key)=\(value)") }
        return result
    }
}
