/// `summary.md`: the goals table, the anchors, and the machine, as Markdown. `make bench` splices
/// it into docs/PERFORMANCE.md, so the page is regenerated from a run rather than retyped.
public enum SummaryMarkdown {
    public static func render(
        verdicts: [GoalVerdict], measurements: GoalMeasurements, machine: MachineFacts, scale: Double,
        command: String
    ) -> String {
        var lines: [String] = []
        lines.append(
            "Measured by `\(command)` (scale \(Formatting.fixed(scale, 3))), p2p-bench \(machine.benchBuild) build, on "
                + "\(machine.onlineCPUs) × \(machine.cpuModel), \(machine.kernel)"
                + (machine.memoryKiB.map { ", \(Formatting.bytes($0 * 1024)) RAM" } ?? "")
                + (machine.loadAverage.map { ", load average \(Formatting.fixed($0, 2)) at the end" } ?? "") + ".")
        lines.append("")
        lines.append("| Goal | Ours | Anchor (same run) | Ratio | Target | Verdict |")
        lines.append("|---|---|---|---|---|---|")
        for row in verdicts {
            let cells = [row.goal, row.ours, row.anchor, row.ratioText, row.target, "**\(row.verdict.rawValue)**"]
            lines.append("| " + cells.map(escaped).joined(separator: " | ") + " |")
        }
        let skipped = measurements.skippedAnchors
        if !skipped.isEmpty {
            lines.append("")
            for skip in skipped { lines.append("- \(escaped(skip.description))") }
        }
        let passed = verdicts.filter { $0.verdict == .pass }.count
        let judged = verdicts.filter { $0.verdict == .pass || $0.verdict == .miss }.count
        lines.append("")
        lines.append("\(passed) of \(judged) judged goals met.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A table cell: `|` would end it early.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in the bench).
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
