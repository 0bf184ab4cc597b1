/// A reference server an anchor measurement runs next to our daemons: its process, its port, and
/// the folder holding its own configuration, pid and log files (nothing of the system's).
public final class AnchorServer {
    public let process: ChildProcess
    public let port: Int

    init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
    }

    deinit { process.stop(timeoutSeconds: 5) }

    /// Starts `executable` with `arguments(port)` on a fresh loopback port and waits until it
    /// accepts connections.
    static func start(
        name: String, executable: String, folder: String, arguments: (Int) throws(BenchError) -> [String]
    ) throws(BenchError) -> AnchorServer {
        let port = try LoopbackPort.ephemeral()
        let process = try ChildProcess(
            name: name, executable: executable, arguments: try arguments(port),
            environment: ChildProcess.daemonEnvironment(), logPath: folder + "/\(name).log")
        let server = AnchorServer(process: process, port: port)
        try LoopbackPort.waitUntilListening(port, server: process)
        return server
    }
}
