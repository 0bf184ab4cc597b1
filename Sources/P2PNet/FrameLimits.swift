/// Caps on one protocol line. A line is buffered until its newline, so without a cap one client
/// could make the daemon hold unbounded memory (the seed spent 33 s of CPU on one 20 MiB line).
public struct FrameLimits: Sendable, Equatable {
    /// Any line but a registration. Default 64 KiB: a search or obtain is a few hundred bytes.
    public var maxLineBytes: Int
    /// A registration line: a seed peer sends its whole catalog in one line (≈ 40 KB for 1,101
    /// files). Default 16 MiB. Zero means registrations get the ordinary cap (peers never receive
    /// one).
    public var maxRegistryLineBytes: Int

    public init(maxLineBytes: Int = 65_536, maxRegistryLineBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxRegistryLineBytes = maxRegistryLineBytes
    }
}

/// A line that outgrew its cap. The connection is answered with an error and closed.
public struct FrameTooLongError: Error, Equatable, CustomStringConvertible {
    public let limit: Int
    public init(limit: Int) { self.limit = limit }
    public var description: String { "line longer than \(limit) bytes" }
}
