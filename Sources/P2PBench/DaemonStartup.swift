import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// How fast a daemon is ready and how little it holds when idle: exec → `READY=1` on a
/// `NOTIFY_SOCKET` of our own (what `systemctl start` waits for), then its VmRSS and the anonymous
/// part of it after it has been idle for a moment. The median of `repetitions` fresh starts.
///
/// The executables come from `binDirectory`. `make bench` points it at the `make dist` layout
/// (`--startup-bin-dir`), so the goal judges the static multi-call binary that ships: a
/// dynamically linked build maps the Swift runtime from shared libraries and lays its code out
/// differently, and its figures say little about what an installed daemon holds.
public struct DaemonStartup: Sendable {
    /// One daemon's starts.
    public struct Outcome: Sendable, Equatable {
        public var daemon: String
        public var readyNanoseconds: [UInt64]
        public var idleResidentKiB: [Int64]
        /// RssAnon of the same samples: what the process alone holds (heap, stacks, relocated
        /// data); the rest of the RSS is code and read-only data shared with any other process
        /// running the same files.
        public var idleAnonymousKiB: [Int64]
        /// The file that ran, symlinks resolved (a multi-call binary shows as itself).
        public var executable: String

        public init(
            daemon: String, readyNanoseconds: [UInt64], idleResidentKiB: [Int64], idleAnonymousKiB: [Int64] = [],
            executable: String = ""
        ) {
            self.daemon = daemon
            self.readyNanoseconds = readyNanoseconds
            self.idleResidentKiB = idleResidentKiB
            self.idleAnonymousKiB = idleAnonymousKiB
            self.executable = executable
        }

        public var medianReadyMilliseconds: Double {
            Median.of(readyNanoseconds.map { Double($0) / 1e6 }) ?? 0
        }
        public var medianIdleResidentBytes: Double { (Median.of(idleResidentKiB.map(Double.init)) ?? 0) * 1024 }
        public var medianIdleAnonymousBytes: Double? {
            Median.of(idleAnonymousKiB.map(Double.init)).map { $0 * 1024 }
        }

        public var json: JSONValue {
            .object([
                ("daemon", .string(daemon)),
                ("executable", .string(executable)),
                ("ready_ms_runs", .array(readyNanoseconds.map { .rounded(Double($0) / 1e6, digits: 2) })),
                ("ready_ms_median", .rounded(medianReadyMilliseconds, digits: 2)),
                ("idle_rss_kib_runs", .array(idleResidentKiB.map { .int($0) })),
                ("idle_rss_bytes_median", .rounded(medianIdleResidentBytes, digits: 0)),
                ("idle_anonymous_kib_runs", .array(idleAnonymousKiB.map { .int($0) })),
                ("idle_anonymous_bytes_median", medianIdleAnonymousBytes.map { .rounded($0, digits: 0) } ?? .null),
            ])
        }
    }

    public var binDirectory: String
    public var workDirectory: String
    public var repetitions: Int
    /// How long the daemon sits idle after READY=1 before its memory is read.
    public var idleMilliseconds = 1000

    public init(binDirectory: String, workDirectory: String, repetitions: Int) {
        self.binDirectory = binDirectory
        self.workDirectory = workDirectory
        self.repetitions = repetitions
    }

    /// `p2p-indexd` on a fresh port with an empty config folder.
    public func index() throws(BenchError) -> Outcome {
        try measure(daemon: "p2p-indexd") { _ in
            ["--config-dir", workDirectory + "/etc", "--listen-address", "127.0.0.1", "--port", "0"]
        }
    }

    /// `p2p-peerd` with an empty shared folder, registering with the index at `index`.
    public func peer(index: HostPort) throws(BenchError) -> Outcome {
        try measure(daemon: "p2p-peerd") { run throws(BenchError) in
            let state = workDirectory + "/peer-start-\(run)"
            Directories.removeTree(state)
            try Directories.create(state + "/shared")
            return [
                "--id", "startup\(run + 1)", "--config-dir", workDirectory + "/etc", "--state-dir", state,
                "--port", "0", "--set", "Index.Host=\(index.host)", "--set", "Index.Port=\(index.port)",
                "--set", "Peer.ListenAddress=127.0.0.1", "--set", "Peer.AdvertiseHost=127.0.0.1",
                "--set", "Replication.Enabled=no",
            ]
        }
    }

    private func measure(
        daemon: String, arguments: (Int) throws(BenchError) -> [String]
    ) throws(BenchError) -> Outcome {
        try Directories.create(workDirectory + "/etc")
        let executable = binDirectory + "/" + daemon
        var outcome = Outcome(
            daemon: daemon, readyNanoseconds: [], idleResidentKiB: [],
            executable: Self.relativeToWorkingDirectory(Self.resolvedPath(executable) ?? executable))
        for run in 0..<max(1, repetitions) {
            let notify = try NotifySocket(path: workDirectory + "/notify-\(run).sock")
            let arguments = try arguments(run)
            let start = MonotonicTime.now()
            let process = try ChildProcess(
                name: daemon, executable: executable, arguments: arguments,
                environment: ChildProcess.daemonEnvironment(adding: ["NOTIFY_SOCKET": notify.path]),
                logPath: workDirectory + "/\(daemon)-\(run).log")
            guard let ready = notify.waitFor("READY=1", timeoutSeconds: 30, alive: { process.isRunning }) else {
                let tail = process.tail(5)
                process.stop()
                throw .daemon("\(daemon) sent no READY=1 within 30 s: \(tail)")
            }
            outcome.readyNanoseconds.append(ready - start)
            Sleep.milliseconds(idleMilliseconds)
            if let resident = ProcessMemory.residentKiB(pid: process.pid) { outcome.idleResidentKiB.append(resident) }
            if let anonymous = ProcessMemory.anonymousKiB(pid: process.pid) {
                outcome.idleAnonymousKiB.append(anonymous)
            }
            process.stop()
        }
        return outcome
    }

    /// `path` with every symlink resolved (realpath(3)); `nil` if it does not exist.
    /// `path` relative to the working directory when it lies below it (`build/dist/…` when run
    /// from a checkout), so that committed results do not name the machine's folders.
    static func relativeToWorkingDirectory(_ path: String) -> String {
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        let prefix = String(cString: cwd) + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
