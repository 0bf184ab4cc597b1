/// Runs another program to completion and keeps what it printed: for the anchor clients
/// (`curl`, `rsync`, `iperf3 -c`, `redis-benchmark`) and `gnuplot`.
public struct ToolRun: Sendable {
    /// The wait status; 0 is success.
    public var status: Int32
    /// stdout and stderr together.
    public var output: String
    /// From just before the spawn until the exit was seen.
    public var wallNanoseconds: UInt64

    public var succeeded: Bool { status == 0 }

    /// Runs `executable` with `arguments`; fails when it cannot start, and ends it (status -1)
    /// when it outlives `timeoutSeconds`. The output goes through `logPath`, a file rather than a
    /// pipe, so a talkative tool can never block on a pipe nobody reads.
    public static func run(
        _ executable: String, _ arguments: [String], logPath: String, timeoutSeconds: Double,
        environment: [String] = ChildProcess.daemonEnvironment()
    ) throws(BenchError) -> ToolRun {
        Directories.removeTree(logPath)
        let start = MonotonicTime.now()
        let child = try ChildProcess(
            name: executable.split(separator: "/").last.map(String.init) ?? executable, executable: executable,
            arguments: arguments, environment: environment, logPath: logPath)
        let status = child.waitForExit(timeoutSeconds: timeoutSeconds)
        let wall = MonotonicTime.now() - start
        return ToolRun(status: status ?? -1, output: child.log, wallNanoseconds: wall)
    }

    /// The last lines of the output, for an error message.
    public var tail: String {
        output.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
