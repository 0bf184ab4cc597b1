#if canImport(Glibc)
    import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds: cheap (vDSO), unaffected by wall-clock steps.
public enum MonotonicTime {
    @inline(__always)
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds since `start` (a value of `now()`).
    public static func seconds(since start: UInt64) -> Double { Double(now() &- start) / 1e9 }
}
