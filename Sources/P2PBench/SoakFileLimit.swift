#if canImport(Glibc)
    import Glibc
#endif

/// The soak holds a thousand sockets in one process and its daemons inherit its limits, so the
/// default soft limit of 1024 descriptors would fail it long before the daemons' own limits do.
public enum SoakFileLimit {
    /// Raises the soft RLIMIT_NOFILE to at least `needed` (up to the hard limit) and returns the
    /// new soft limit; fails with what to do when the hard limit is lower.
    @discardableResult
    public static func raise(to needed: Int) throws(BenchError) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw .system("getrlimit", path: "RLIMIT_NOFILE", errno: errno)
        }
        if limit.rlim_cur >= rlim_t(needed) { return Int(limit.rlim_cur) }
        guard limit.rlim_max >= rlim_t(needed) else {
            throw .invalidArgument(
                "the load needs \(needed) open files but the hard limit is \(limit.rlim_max); "
                    + "raise it (ulimit -Hn, or LimitNOFILE=) or lower --connections/--downloads")
        }
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw .system("setrlimit", path: "RLIMIT_NOFILE", errno: errno)
        }
        return Int(limit.rlim_cur)
    }
}
