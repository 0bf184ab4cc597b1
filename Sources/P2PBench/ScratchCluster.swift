import P2PControl

#if canImport(Glibc)
    import Glibc
#endif

/// An index and peers as real processes under one scratch folder, on ephemeral loopback ports.
///
/// Layout: `etc/` (empty, so no system config is read), `logs/<name>.log`, and one state folder
/// per peer (`<id>/shared`, `<id>/downloaded`, `<id>/control.sock`).
public final class ScratchCluster {
    public let root: String
    public let binDirectory: String
    public private(set) var index: ChildProcess?
    public private(set) var indexAddress: HostPort?
    public private(set) var peers: [(id: String, process: ChildProcess)] = []
    /// How long a daemon may take to log "listening on".
    public var startTimeoutSeconds = 30.0

    public init(root: String, binDirectory: String) throws(BenchError) {
        self.root = root
        self.binDirectory = binDirectory
        try Directories.create(root + "/etc")
        try Directories.create(root + "/logs")
    }

    deinit { stop() }

    public func stateDirectory(_ id: String) -> String { root + "/" + id }
    public func sharedDirectory(_ id: String) -> String { stateDirectory(id) + "/shared" }
    public func controlSocket(_ id: String) -> String { stateDirectory(id) + "/control.sock" }

    public func startIndex(settings: [String] = []) throws(BenchError) -> HostPort {
        let process = try spawn(
            "p2p-indexd", name: "index",
            ["--config-dir", root + "/etc", "--listen-address", "127.0.0.1", "--port", "0"]
                + settings.flatMap { ["--set", $0] })
        index = process
        let address = try Self.listeningAddress(
            process.waitForLogLine(containing: "listening on ", timeoutSeconds: startTimeoutSeconds))
        indexAddress = address
        return address
    }

    /// Starts `p2p-peerd --id ID` against the running index and waits until it serves on TCP and
    /// answers on its control socket.
    public func startPeer(_ id: String, settings: [String] = []) throws(BenchError) {
        guard let indexAddress else { throw .daemon("start the index before the peers") }
        try Directories.create(sharedDirectory(id))
        let process = try spawn(
            "p2p-peerd", name: id,
            [
                "--id", id, "--config-dir", root + "/etc", "--state-dir", stateDirectory(id), "--port", "0",
                "--set", "Index.Host=\(indexAddress.host)", "--set", "Index.Port=\(indexAddress.port)",
                "--set", "Peer.ListenAddress=127.0.0.1", "--set", "Peer.AdvertiseHost=127.0.0.1",
            ] + settings.flatMap { ["--set", $0] })
        peers.append((id, process))
        _ = try process.waitForLogLine(containing: "listening on ", timeoutSeconds: startTimeoutSeconds)
        let start = MonotonicTime.now()
        while (try? ControlSession(socketPath: controlSocket(id))) == nil {
            guard process.isRunning else { throw .daemon("\(id) exited early; its log:\n\(process.tail())") }
            guard MonotonicTime.seconds(since: start) < startTimeoutSeconds else {
                throw .daemon("\(id)'s control socket \(controlSocket(id)) never answered")
            }
            Sleep.milliseconds(20)
        }
    }

    /// Stops the peers, then the index (SIGTERM, SIGKILL after 10 s); returns who did not exit
    /// cleanly.
    @discardableResult
    public func stop() -> [String] {
        var unclean: [String] = []
        for (id, process) in peers.reversed() where process.stop() != 0 { unclean.append(id) }
        peers.removeAll()
        if let index, index.stop() != 0 { unclean.append("index") }
        index = nil
        return unclean
    }

    /// Every daemon's last log lines, for failure reports.
    public func logTails(_ lines: Int = 15) -> String {
        var parts: [String] = []
        if let index { parts.append("--- index (\(index.logPath))\n" + index.tail(lines)) }
        for (id, process) in peers { parts.append("--- \(id) (\(process.logPath))\n" + process.tail(lines)) }
        return parts.joined(separator: "\n")
    }

    private func spawn(_ executable: String, name: String, _ arguments: [String]) throws(BenchError) -> ChildProcess {
        let path = binDirectory + "/" + executable
        guard access(path, X_OK) == 0 else {
            throw .daemon("\(path) is not an executable; build it, or pass --bin-dir")
        }
        return try ChildProcess(
            name: name, executable: path, arguments: arguments, environment: ChildProcess.daemonEnvironment(),
            logPath: root + "/logs/\(name).log")
    }

    /// `HOST:PORT` from a "… listening on HOST:PORT" log line.
    static func listeningAddress(_ line: String) throws(BenchError) -> HostPort {
        guard let range = line.ranges(of: "listening on ").last else {
            throw .daemon("no address in \(line.debugDescription)")
        }
        let address = line[range.upperBound...].prefix { $0 != " " && $0 != "\t" }
        return try HostPort(parsing: String(address))
    }
}
