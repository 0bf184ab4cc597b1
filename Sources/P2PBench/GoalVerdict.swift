import P2PProtocol

/// One product goal as measured: our figure, its anchor, the ratio between them, the target, and
/// whether it was met.
public struct GoalVerdict: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case pass = "PASS"
        case miss = "MISS"
        /// Reported for context, not judged (e.g. the download with fsync, which no anchor does).
        case info = "info"
        /// Not measured: its anchor or its experiment was skipped.
        case notMeasured = "n/a"
    }

    public var goal: String
    public var ours: String
    public var anchor: String
    public var ratio: Double?
    public var target: String
    public var verdict: Verdict

    public init(goal: String, ours: String, anchor: String, ratio: Double?, target: String, verdict: Verdict) {
        self.goal = goal
        self.ours = ours
        self.anchor = anchor
        self.ratio = ratio
        self.target = target
        self.verdict = verdict
    }

    /// PASS when `holds`, else MISS.
    static func judged(_ holds: Bool) -> Verdict { holds ? .pass : .miss }

    public var ratioText: String { ratio.map { Formatting.fixed($0, 2) + "×" } ?? "—" }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("goal", .string(goal)), ("ours", .string(ours)), ("anchor", .string(anchor)),
        ]
        members.append(("ratio", ratio.map { JSONValue.rounded($0, digits: 3) } ?? .null))
        members += [("target", .string(target)), ("verdict", .string(verdict.rawValue))]
        return .object(members)
    }
}
