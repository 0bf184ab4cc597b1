import P2PProtocol

/// One experiment's JSON file: what was measured, where, with which parameters, and the points.
public enum ResultDocument {
    public static func make(
        experiment: String, parameters: JSONValue, points: [JSONValue], machine: MachineFacts = .current(),
        extra: [(String, JSONValue)] = []
    ) -> JSONValue {
        .object(
            [
                ("experiment", .string(experiment)),
                ("tool", .string("p2p-bench \(P2PVersion.current)")),
                ("finished_at_ms", .int(WallClock.millisecondsSinceEpoch())),
                ("machine", machine.json),
                ("parameters", parameters),
                ("points", .array(points)),
            ] + extra)
    }

    /// Writes the document, indented, to `path`.
    public static func write(_ document: JSONValue, to path: String) throws(BenchError) {
        try FileIO.writeText(document.pretty, to: path)
    }
}
