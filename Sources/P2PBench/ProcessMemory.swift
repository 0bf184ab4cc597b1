/// A process's resident set size, from `/proc/PID/status`.
public enum ProcessMemory {
    /// VmRSS in KiB; `nil` when the process or the field is missing.
    public static func residentKiB(pid: Int32) -> Int64? {
        guard let text = FileIO.readText("/proc/\(pid)/status") else { return nil }
        return residentKiB(status: text)
    }

    /// The `VmRSS:   1234 kB` line of a status file's text.
    public static func residentKiB(status text: String) -> Int64? {
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.dropFirst("VmRSS:".count).split { $0 == " " || $0 == "\t" }
            return fields.first.flatMap { Int64($0) }
        }
        return nil
    }
}
