/// What the soak's load threads saw (one thread's, or merged, the whole load's): the latencies of
/// the requests that succeeded, by the second since the start in which they finished, and the
/// failures with the first one's reason.
public struct SoakTally: Sendable {
    /// Latencies in nanoseconds, by the second (since the load's `start`) they finished in.
    public var latenciesBySecond: [[UInt64]] = []
    /// Bytes the successful requests carried (verified downloads; 0 for searches).
    public var bytes: Int64 = 0
    public var errors = 0
    public var firstError: String?

    public init() {}

    mutating func record(latency: UInt64, at second: Int, bytes: Int64 = 0) {
        while latenciesBySecond.count <= second { latenciesBySecond.append([]) }
        latenciesBySecond[second].append(latency)
        self.bytes += bytes
    }

    mutating func fail(_ message: String) {
        errors += 1
        if firstError == nil { firstError = message }
    }

    mutating func merge(_ other: SoakTally) {
        for (second, latencies) in other.latenciesBySecond.enumerated() {
            while latenciesBySecond.count <= second { latenciesBySecond.append([]) }
            latenciesBySecond[second].append(contentsOf: latencies)
        }
        bytes += other.bytes
        errors += other.errors
        if firstError == nil { firstError = other.firstError }
    }
}
