import P2PProtocol

/// A daemon whose CPU time an experiment records, under a name of the caller's choosing.
public struct WatchedProcess: Sendable, Equatable {
    public var name: String
    public var pid: Int32

    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }
}

/// CPU seconds spent by the bench and by named daemons over one measured batch.
public struct CPUUsage: Sendable, Equatable {
    public var benchNanoseconds: UInt64
    /// Per daemon, by the name the caller gave it; missing when its process could not be read.
    public var daemons: [(name: String, nanoseconds: UInt64)]

    public static func == (lhs: CPUUsage, rhs: CPUUsage) -> Bool {
        lhs.benchNanoseconds == rhs.benchNanoseconds
            && lhs.daemons.map(\.name) == rhs.daemons.map(\.name)
            && lhs.daemons.map(\.nanoseconds) == rhs.daemons.map(\.nanoseconds)
    }

    /// Starts counting; `finish()` on the result gives the usage since.
    public static func start(_ daemons: [WatchedProcess]) -> Meter { Meter(daemons) }

    public struct Meter: Sendable {
        let daemons: [WatchedProcess]
        let bench: UInt64
        let before: [UInt64?]

        init(_ daemons: [WatchedProcess]) {
            self.daemons = daemons
            before = daemons.map { CPUTime.process($0.pid) }
            bench = CPUTime.ownProcess()
        }

        public func finish() -> CPUUsage {
            let bench = CPUTime.ownProcess() - self.bench
            var used: [(String, UInt64)] = []
            for (daemon, start) in zip(daemons, before) {
                guard let start, let end = CPUTime.process(daemon.pid), end >= start else { continue }
                used.append((daemon.name, end - start))
            }
            return CPUUsage(benchNanoseconds: bench, daemons: used)
        }
    }

    /// `{"bench": s, "<daemon>": s, …}` in CPU seconds, and the same as a share of `wall`
    /// (1.0 = one core busy for the whole batch).
    public func json(wallNanoseconds wall: UInt64) -> JSONValue {
        var seconds: [(String, JSONValue)] = [("bench", .rounded(Double(benchNanoseconds) / 1e9, digits: 6))]
        var cores: [(String, JSONValue)] = [
            ("bench", .rounded(Double(benchNanoseconds) / Double(max(wall, 1)), digits: 3))
        ]
        for daemon in daemons {
            seconds.append((daemon.name, .rounded(Double(daemon.nanoseconds) / 1e9, digits: 6)))
            cores.append((daemon.name, .rounded(Double(daemon.nanoseconds) / Double(max(wall, 1)), digits: 3)))
        }
        return .object([("cpu_seconds", .object(seconds)), ("cores_busy", .object(cores))])
    }

    /// "bench 0.45, index 0.98" cores busy, for the tables.
    public func coresText(wallNanoseconds wall: UInt64) -> String {
        ([("bench", benchNanoseconds)] + daemons.map { ($0.name, $0.nanoseconds) }).map { name, used in
            "\(name) \(Formatting.fixed(Double(used) / Double(max(wall, 1)), 2))"
        }.joined(separator: ", ")
    }
}
