/// Why an anchor was not measured, worded as what to do about it.
public struct AnchorSkip: Sendable, Equatable, CustomStringConvertible {
    public var anchor: String
    public var reason: String

    public init(anchor: String, reason: String) {
        self.anchor = anchor
        self.reason = reason
    }

    /// A tool that is not installed: `skipped: install rsync`.
    public static func missing(_ anchor: String, package: String) -> AnchorSkip {
        AnchorSkip(anchor: anchor, reason: "install \(package) (scripts/install-bench-deps.sh)")
    }

    public var description: String { "\(anchor): skipped: \(reason)" }
}
