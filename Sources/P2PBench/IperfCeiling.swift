import P2PProtocol

/// The ceiling: what one TCP stream over loopback carries on this machine (`iperf3`, memory to
/// memory, no files, no hashing). No download can beat it; the ratio to it says how much of the
/// path's capacity a download uses.
public enum IperfCeiling {
    /// `iperf3 -s` on a fresh port (stopped afterwards), `iperf3 -c … -J -t seconds`; MB/s received.
    public static func measure(
        workDirectory: String, seconds: Int, tools: ToolLocator = .standard
    ) -> AnchorResult<Double> {
        guard let iperf = tools.find("iperf3") else { return .skipped(.missing("iperf3", package: "iperf3")) }
        return AnchorResult.catching(anchor: "iperf3") { () throws(BenchError) in
            try Directories.create(workDirectory)
            let server = try AnchorServer.start(name: "iperf3-server", executable: iperf, folder: workDirectory) {
                // Not `-1`: the readiness probe's connection would be its one client.
                port in ["-s", "-B", "127.0.0.1", "-p", "\(port)"]
            }
            let run = try ToolRun.run(
                iperf, ["-c", "127.0.0.1", "-p", "\(server.port)", "-J", "-t", "\(seconds)"],
                logPath: workDirectory + "/iperf3-client.json", timeoutSeconds: Double(seconds) + 30)
            guard run.succeeded else { throw .daemon("iperf3 client failed: \(run.tail)") }
            return try megabytesPerSecond(iperfJSON: run.output)
        }
    }

    /// `end.sum_received.bits_per_second` of `iperf3 -J` output, in MB/s.
    public static func megabytesPerSecond(iperfJSON text: String) throws(BenchError) -> Double {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text, maxDepth: 64)
        } catch {
            throw .protocolFailure("iperf3 -J printed no JSON: \(error)")
        }
        // With -J, iperf3 reports a failure (e.g. no server) in "error" and may still exit 0.
        if let error = document["error"]?.stringValue { throw .protocolFailure("iperf3: \(error)") }
        guard let bits = document["end"]?["sum_received"]?["bits_per_second"]?.doubleValue, bits > 0 else {
            throw .protocolFailure("iperf3 -J output has no end.sum_received.bits_per_second")
        }
        return bits / 8 / 1e6
    }
}
