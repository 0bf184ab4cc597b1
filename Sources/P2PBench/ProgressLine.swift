#if canImport(Glibc)
    import Glibc
#endif

/// Progress for a person on a terminal, plain lines for logs and CI.
///
/// On a TTY, `status` rewrites one line in place; otherwise it prints only when nothing was
/// printed for `plainInterval` seconds, so a log shows a long wait without repeating every step.
/// `line` always prints (clearing a pending status first).
public final class ProgressLine: @unchecked Sendable {
    private let isTerminal: Bool
    private let plainInterval: Double
    private var showingStatus = false
    /// When the last plain line was printed.
    private var lastPlain = MonotonicTime.now()

    public init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1, plainInterval: Double = 5) {
        self.isTerminal = isTerminal
        self.plainInterval = plainInterval
    }

    public func status(_ text: String) {
        if isTerminal {
            write("\r\u{1B}[K" + text)
            showingStatus = true
        } else if MonotonicTime.seconds(since: lastPlain) >= plainInterval {
            lastPlain = MonotonicTime.now()
            write(text + "\n")
        }
    }

    public func line(_ text: String) {
        if showingStatus {
            write("\r\u{1B}[K")
            showingStatus = false
        }
        lastPlain = MonotonicTime.now()
        write(text + "\n")
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
