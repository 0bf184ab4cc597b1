import P2PControl
import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// Concurrent downloads between peers for the whole soak: each worker holds a control connection
/// to one peer daemon and has it download one file held by another peer, again and again (the
/// finished copy is deleted each time, so every round moves the bytes again).
///
/// Each worker's file is its own (a name no other worker of that peer fetches), so concurrent
/// downloads never share a `.part`. A download must succeed, be verified and come back with the
/// SHA-256 and size the file was written with; anything else is an error and fails the soak.
public final class SoakDownloadLoad: Sendable {
    /// One worker's job: which daemon downloads which file, and what the file must be.
    public struct Assignment: Sendable {
        public var controlSocket: String
        public var fileName: String
        public var size: Int64
        public var sha256: String

        public init(controlSocket: String, fileName: String, size: Int64, sha256: String) {
            self.controlSocket = controlSocket
            self.fileName = fileName
            self.size = size
            self.sha256 = sha256
        }
    }

    public let assignments: [Assignment]

    public init(_ assignments: [Assignment]) throws(BenchError) {
        guard !assignments.isEmpty else { throw .invalidArgument("the download load needs at least one download") }
        self.assignments = assignments
    }

    /// Downloads until `end` (monotonic nanoseconds); a download running then is let finish.
    /// Downloads finished before `start` (the warm-up) are checked but not measured.
    public func run(start: UInt64, end: UInt64) -> SoakTally {
        let (tallies, _) = ThreadGang.run(assignments.count) { worker, gate -> SoakTally in
            let job = self.assignments[worker]
            var tally = SoakTally()
            var control = try? ControlSession(socketPath: job.controlSocket)
            gate.wait()
            while MonotonicTime.now() < end {
                let began = MonotonicTime.now()
                if control == nil { control = try? ControlSession(socketPath: job.controlSocket) }
                guard let current = control else {
                    tally.fail("cannot connect to \(job.controlSocket)")
                    Sleep.milliseconds(200)
                    continue
                }
                if let problem = Self.download(job, over: current) {
                    tally.fail(problem)
                    // The daemon may close a connection after a failure: reconnect, not in a spin.
                    control = nil
                    Sleep.milliseconds(200)
                    continue
                }
                let finished = MonotonicTime.now()
                // Downloads during the warm-up are checked but not measured.
                guard finished >= start else { continue }
                let second = Int((finished - start) / 1_000_000_000)
                tally.record(latency: finished - began, at: second, bytes: job.size)
            }
            return tally
        }
        var total = SoakTally()
        for tally in tallies { total.merge(tally) }
        return total
    }

    /// One download of `job`'s file; why it failed, or `nil`. The finished file is deleted.
    private static func download(_ job: Assignment, over control: ControlSession) -> String? {
        let outcome: DownloadOutcome
        do {
            guard
                case .outcome(let done) = try control.send(.download(DownloadCommand(fileName: job.fileName))).decoded()
            else { return "download \(job.fileName): an unexpected reply" }
            outcome = done
        } catch {
            return "download \(job.fileName): \(error)"
        }
        defer { unlink(outcome.path) }
        guard outcome.verified else { return "download \(job.fileName): not verified" }
        guard outcome.size == job.size, outcome.sha256 == job.sha256 else {
            return "download \(job.fileName): \(outcome.size) bytes, sha256 \(outcome.sha256 ?? "none"); "
                + "expected \(job.size), \(job.sha256)"
        }
        return nil
    }
}
