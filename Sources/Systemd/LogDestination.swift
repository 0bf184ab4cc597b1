#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where log lines should go: the journal's native protocol, or stderr.
public enum LogDestination: Sendable, Equatable {
    case journal
    case stderr

    /// `.journal` when stderr is connected to journald, `.stderr` otherwise.
    ///
    /// systemd sets `JOURNAL_STREAM=<device>:<inode>` for a service whose stderr goes to the
    /// journal. The variable alone is not enough: it is inherited by children whose stderr was
    /// redirected (a shell started from the service, `p2p-peerd … 2>file`), so the device and
    /// inode must match fstat(2) of our own stderr, as systemd.exec(5) recommends.
    public static func detect() -> LogDestination {
        guard let value = getenv("JOURNAL_STREAM") else { return .stderr }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return .stderr }
        let matches = stderrIsJournal(
            journalStream: String(cString: value),
            device: UInt64(status.st_dev),
            inode: UInt64(status.st_ino)
        )
        return matches ? .journal : .stderr
    }

    /// Whether a `JOURNAL_STREAM` value names the stderr with this device and inode (pure).
    public static func stderrIsJournal(journalStream: String?, device: UInt64, inode: UInt64) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let streamDevice = UInt64(parts[0]), let streamInode = UInt64(parts[1])
        else {
            return false
        }
        return streamDevice == device && streamInode == inode
    }
}
