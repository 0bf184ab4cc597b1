#if canImport(Glibc)
    import Glibc
#endif

/// One look at one daemon during the soak: resident memory and open descriptors, the two things
/// that grow when a server leaks per request or per connection.
public struct SoakSample: Sendable, Equatable {
    /// Seconds since the measured load began (negative during the warm-up).
    public var second: Double
    public var residentKiB: Int64
    public var openFiles: Int

    public init(second: Double, residentKiB: Int64, openFiles: Int) {
        self.second = second
        self.residentKiB = residentKiB
        self.openFiles = openFiles
    }

    /// Samples process `pid` now; `nil` when it is gone.
    public static func take(pid: pid_t, second: Double) -> SoakSample? {
        guard let resident = ProcessMemory.residentKiB(pid: pid), let files = openFiles(pid: pid) else { return nil }
        return SoakSample(second: second, residentKiB: resident, openFiles: files)
    }

    /// Entries of `/proc/PID/fd`, less `.` and `..`.
    static func openFiles(pid: pid_t) -> Int? {
        guard let directory = opendir("/proc/\(pid)/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == 0x2E && (name[1] == 0 || (name[1] == 0x2E && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }
}
