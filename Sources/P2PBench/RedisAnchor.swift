import P2PProtocol

/// The search anchor: a tuned single-threaded lookup server, `redis-server` (no persistence),
/// driven by its own C client `redis-benchmark -t get` with the same number of clients as our
/// search points. A GET of a key that exists is the nearest thing to our exact-name search.
public struct RedisAnchor: Sendable {
    /// One `redis-benchmark -t get -c N` run.
    public struct Point: Sendable, Equatable {
        public var clients: Int
        public var requests: Int
        public var requestsPerSecond: Double
        /// Milliseconds, as redis-benchmark reports them.
        public var p50Milliseconds: Double?
        public var p99Milliseconds: Double?

        public var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("clients", .int(Int64(clients))),
                ("requests", .int(Int64(requests))),
                ("requests_per_second", .rounded(requestsPerSecond, digits: 1)),
            ]
            if let p50Milliseconds { members.append(("p50_ms", .rounded(p50Milliseconds, digits: 3))) }
            if let p99Milliseconds { members.append(("p99_ms", .rounded(p99Milliseconds, digits: 3))) }
            return .object(members)
        }
    }

    public var workDirectory: String
    public var requests: Int
    public var tools: ToolLocator

    public init(workDirectory: String, requests: Int, tools: ToolLocator = .standard) {
        self.workDirectory = workDirectory
        self.requests = requests
        self.tools = tools
    }

    /// Starts `redis-server --save '' --appendonly no` on a fresh port, stores the key GET asks
    /// for, then runs `redis-benchmark` once per entry of `clients` (in order; repeat a count to
    /// repeat its run).
    public func measure(clients: [Int]) -> AnchorResult<[Point]> {
        guard let server = tools.find("redis-server") else {
            return .skipped(.missing("redis", package: "redis-server"))
        }
        guard let benchmark = tools.find("redis-benchmark") else {
            return .skipped(.missing("redis", package: "redis-tools"))
        }
        let folder = workDirectory
        let requests = requests
        return AnchorResult.catching(anchor: "redis") { () throws(BenchError) in
            try Directories.create(folder)
            let redis = try AnchorServer.start(name: "redis-server", executable: server, folder: folder) { port in
                [
                    "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder,
                    "--daemonize", "no",
                ]
            }
            let address = ["-h", "127.0.0.1", "-p", "\(redis.port)"]
            let fill = try ToolRun.run(
                benchmark, address + ["-t", "set", "-n", "1000", "-q"], logPath: folder + "/fill.log",
                timeoutSeconds: 60)
            guard fill.succeeded else { throw .daemon("redis-benchmark -t set failed: \(fill.tail)") }
            var points: [Point] = []
            for count in clients {
                let run = try ToolRun.run(
                    benchmark, address + ["-t", "get", "-c", "\(count)", "-n", "\(requests)", "--csv"],
                    logPath: folder + "/get.csv", timeoutSeconds: 300)
                guard run.succeeded else { throw .daemon("redis-benchmark -t get failed: \(run.tail)") }
                points.append(try Self.point(csv: run.output, clients: count, requests: requests))
            }
            return points
        }
    }

    /// The GET line of `redis-benchmark --csv`: with a header (redis ≥ 7: `"test","rps",
    /// "avg_latency_ms",…,"p50_latency_ms",…,"p99_latency_ms",…`) its columns by name, without
    /// one (older versions) the second field as requests per second.
    public static func point(csv text: String, clients: Int, requests: Int) throws(BenchError) -> Point {
        func fields(_ line: Substring) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0.trimmingQuotes)
            }
        }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        let header = lines.first { $0.hasPrefix("\"test\"") }.map(fields)
        guard let row = lines.first(where: { $0.hasPrefix("\"GET\"") }).map(fields) else {
            throw .protocolFailure("redis-benchmark printed no GET line: \(text.prefix(200))")
        }
        func column(_ name: String, default index: Int?) -> Double? {
            let position = header?.firstIndex(of: name) ?? index
            guard let position, position < row.count else { return nil }
            return Double(row[position])
        }
        guard let rps = column("rps", default: 1), rps > 0 else {
            throw .protocolFailure("redis-benchmark's GET line has no rate: \(row.joined(separator: ","))")
        }
        return Point(
            clients: clients, requests: requests, requestsPerSecond: rps,
            p50Milliseconds: header == nil ? nil : column("p50_latency_ms", default: nil),
            p99Milliseconds: header == nil ? nil : column("p99_latency_ms", default: nil))
    }
}

extension Substring {
    /// Without one pair of surrounding double quotes.
    fileprivate var trimmingQuotes: Substring {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? dropFirst().dropLast() : self
    }
}
