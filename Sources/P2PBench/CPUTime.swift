#if canImport(Glibc)
    import Glibc
#endif

/// CPU time used, to tell a saturated server from a saturated machine: on two cores the
/// benchmark's own client threads compete with the daemons they measure.
public enum CPUTime {
    /// Nanoseconds on CPU of every current thread of `pid`, from `/proc/PID/task/*/schedstat`
    /// (its first field); `nil` when the process is gone. Threads that already exited are not
    /// counted, which suits daemons whose threads live as long as they do.
    public static func process(_ pid: Int32) -> UInt64? {
        let tasks = Directories.entries(of: "/proc/\(pid)/task")
        guard !tasks.isEmpty else { return nil }
        var total: UInt64 = 0
        for task in tasks {
            guard let text = FileIO.readText("/proc/\(pid)/task/\(task)/schedstat"),
                let nanoseconds = onCPU(schedstat: text)
            else { continue }
            total += nanoseconds
        }
        return total
    }

    /// The first field of a schedstat line: "1234 567 8".
    static func onCPU(schedstat text: String) -> UInt64? {
        text.split(separator: " ").first.flatMap { UInt64($0) }
    }

    /// User plus system nanoseconds of this process, all threads, finished ones included.
    public static func ownProcess() -> UInt64 {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func nanoseconds(_ time: timeval) -> UInt64 {
            UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1000
        }
        return nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime)
    }

    /// The name in `/proc/PID/comm`, e.g. `p2p-peerd`.
    public static func name(of pid: Int32) -> String? {
        FileIO.readText("/proc/\(pid)/comm").flatMap { $0.split(separator: "\n").first.map(String.init) }
    }
}
