import P2PProtocol

/// Shows a download's progress: a redrawn bar on a terminal, or an occasional plain line when the
/// output is a file or a pipe (a log wants "downloaded X bytes of Y" every few seconds, not a line
/// per event, and never carriage returns).
public final class ProgressReporter {
    public enum Style: Sendable {
        /// One line redrawn in place, at most every `barInterval`.
        case bar
        /// A line at most every `lineInterval`.
        case lines
    }

    public static let barInterval: Duration = .milliseconds(100)
    public static let lineInterval: Duration = .seconds(3)
    /// Characters between the brackets.
    static let barWidth = 24

    private let style: Style
    private let write: (String) -> Void
    private let now: () -> Duration
    private var started: Duration?
    private var startBytes: Int64 = 0
    private var lastShown: Duration?
    private var barDrawn = false

    /// - Parameters:
    ///   - write: receives text to print as is (lines end in "\n"; the bar uses "\r").
    ///   - now: a monotonic clock; tests pass their own.
    public init(style: Style, write: @escaping (String) -> Void, now: (() -> Duration)? = nil) {
        self.style = style
        self.write = write
        if let now {
            self.now = now
        } else {
            let origin = ContinuousClock.now
            self.now = { ContinuousClock.now - origin }
        }
    }

    public func update(_ progress: TransferProgress) {
        let time = now()
        if started == nil {
            started = time
            startBytes = progress.bytes
            lastShown = time
            if style == .bar { draw(progress, at: time) }
            return
        }
        switch style {
        case .bar:
            if let lastShown, time - lastShown < Self.barInterval, progress.bytes < progress.total { return }
            draw(progress, at: time)
        case .lines:
            if let lastShown, time - lastShown < Self.lineInterval { return }
            lastShown = time
            var details = ["\(ByteCount.percent(progress.bytes, of: progress.total))%"]
            if let rate = rate(progress, at: time) { details.append(ByteCount.rate(rate)) }
            if !progress.source.isEmpty { details.append("from \(progress.source)") }
            write("downloaded \(progress.bytes) bytes of \(progress.total) (\(details.joined(separator: ", ")))\n")
        }
    }

    /// Clears the bar, so the summary line starts on a clean line.
    public func finish() {
        if barDrawn { write("\r\u{1B}[K") }
        barDrawn = false
    }

    private func draw(_ progress: TransferProgress, at time: Duration) {
        lastShown = time
        let percent = ByteCount.percent(progress.bytes, of: progress.total)
        let filled = Self.barWidth * percent / 100
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: Self.barWidth - filled)
        line += "] \(percent)%  \(ByteCount.human(progress.bytes)) of \(ByteCount.human(progress.total))"
        if let rate = rate(progress, at: time) { line += "  " + ByteCount.rate(rate) }
        if !progress.source.isEmpty { line += "  from \(progress.source)" }
        write(line + "\u{1B}[K")
        barDrawn = true
    }

    /// Bytes per second since the first event (a resumed part does not count); `nil` for the first
    /// half second, when any figure would be noise.
    private func rate(_ progress: TransferProgress, at time: Duration) -> Int64? {
        guard let started, time - started >= .milliseconds(500) else { return nil }
        let elapsed = (time - started) / .milliseconds(1)
        return Int64(Double(progress.bytes - startBytes) / (elapsed / 1000))
    }
}
