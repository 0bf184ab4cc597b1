extension ProcessMemory {
    /// RssAnon in KiB: the resident pages that belong to the process alone — heap, stacks, and
    /// the copies the kernel made of file pages it wrote to (relocated data, `.bss`). The rest
    /// of VmRSS is file pages (code, read-only data) that any other process running the same
    /// binary or libraries shares. `nil` when the process or the field is missing.
    public static func anonymousKiB(pid: Int32) -> Int64? {
        guard let text = FileIO.readText("/proc/\(pid)/status") else { return nil }
        return anonymousKiB(status: text)
    }

    /// The `RssAnon:   1234 kB` line of a status file's text.
    public static func anonymousKiB(status text: String) -> Int64? {
        for line in text.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            let fields = line.dropFirst("RssAnon:".count).split { $0 == " " || $0 == "\t" }
            return fields.first.flatMap { Int64($0) }
        }
        return nil
    }
}
