import P2PControl
import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output and error as p2pctl uses them: results on stdout, one-line failures on stderr.
///
/// Written with write(2), unbuffered: a progress bar must show at once, and output must be in
/// order with the error line when both go to one terminal.
enum Console {
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Writes text as is.
    static func write(_ text: String) { writeAll(STDOUT_FILENO, text) }

    static func line(_ text: String) { write(text + "\n") }

    static func lines(_ lines: [String]) {
        for text in lines { line(text) }
    }

    static func error(_ text: String) { writeAll(STDERR_FILENO, text + "\n") }

    /// `p2pctl: reason`, on one line whatever the error's description holds.
    static func failure(_ error: any Error) {
        self.error("p2pctl: " + ControlResponseLine.oneLine(String(describing: error)))
    }

    private static func writeAll(_ descriptor: CInt, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
