#if canImport(Glibc)
    import Glibc
#endif

/// The download anchors: the same big file our peers exchange, fetched over loopback by two
/// tools people already trust for it, each into a fresh file and without fsync (as they do by
/// default):
///
/// - `rsync` from an `rsync --daemon` of our own (its own config, pid and log in the scratch
///   folder, one read-only module over the source peer's shared folder);
/// - `curl -o FILE` from an `nginx` of our own with `sendfile on` (the kernel copies file to
///   socket, as our peers' uploads do).
///
/// Each is timed from the client's spawn until it exits, `repetitions` times; the figure is the
/// median. Neither checks a SHA-256 of the whole file as our downloads do, so a ratio ≥ 1 means
/// ours is at least as fast while doing more.
public struct FileFetchAnchors: Sendable {
    public struct Configuration: Sendable {
        /// The folder served (the source peer's `shared/`).
        public var servedDirectory: String
        public var fileName: String
        public var fileSize: Int64
        /// A folder of the anchors' own: configs, logs, fetched copies.
        public var workDirectory: String
        public var repetitions: Int
        /// Where rsync, nginx and curl are looked for.
        public var tools: ToolLocator

        public init(
            servedDirectory: String, fileName: String, fileSize: Int64, workDirectory: String, repetitions: Int,
            tools: ToolLocator = .standard
        ) {
            self.tools = tools
            self.servedDirectory = servedDirectory
            self.fileName = fileName
            self.fileSize = fileSize
            self.workDirectory = workDirectory
            self.repetitions = repetitions
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// rsync daemon → rsync client.
    public func rsync() -> AnchorResult<RepeatedTransfer> {
        guard let rsync = configuration.tools.find("rsync") else {
            return .skipped(.missing("rsync", package: "rsync"))
        }
        let folder = configuration.workDirectory + "/rsync"
        return AnchorResult.catching(anchor: "rsync") { () throws(BenchError) in
            try Directories.create(folder)
            let config = folder + "/rsyncd.conf"
            var text = """
                pid file = \(folder)/rsyncd.pid
                log file = \(folder)/rsyncd.log
                use chroot = no
                [data]
                    path = \(configuration.servedDirectory)
                    read only = yes

                """
            // As root the daemon would switch to `nobody`, who cannot enter a private scratch folder.
            if geteuid() == 0 { text += "    uid = 0\n    gid = 0\n" }
            try FileIO.writeText(text, to: config)
            let server = try AnchorServer.start(name: "rsyncd", executable: rsync, folder: folder) { port in
                ["--daemon", "--no-detach", "--config=\(config)", "--port=\(port)", "--address=127.0.0.1"]
            }
            return try fetch(anchor: "rsync daemon → rsync", folder: folder) { target in
                (rsync, ["rsync://127.0.0.1:\(server.port)/data/\(configuration.fileName)", target])
            }
        }
    }

    /// nginx (sendfile on) → curl -o.
    public func nginx() -> AnchorResult<RepeatedTransfer> {
        guard let nginx = configuration.tools.find("nginx") else {
            return .skipped(.missing("nginx", package: "nginx-light"))
        }
        guard let curl = configuration.tools.find("curl") else {
            return .skipped(.missing("nginx → curl", package: "curl"))
        }
        let folder = configuration.workDirectory + "/nginx"
        return AnchorResult.catching(anchor: "nginx") { () throws(BenchError) in
            try Directories.create(folder)
            let config = folder + "/nginx.conf"
            let server = try AnchorServer.start(name: "nginx", executable: nginx, folder: folder) {
                port throws(BenchError) in
                try FileIO.writeText(try nginxConfig(folder: folder, port: port, nginx: nginx), to: config)
                return ["-p", folder + "/", "-e", folder + "/error.log", "-c", config, "-g", "daemon off;"]
            }
            return try fetch(anchor: "nginx (sendfile) → curl", folder: folder) { target in
                (curl, ["-s", "-S", "-f", "-o", target, "http://127.0.0.1:\(server.port)/\(configuration.fileName)"])
            }
        }
    }

    /// One worker, no access log, sendfile on; every path nginx writes to is in `folder`, so it
    /// runs without touching /var (and as an ordinary user).
    private func nginxConfig(folder: String, port: Int, nginx: String) throws(BenchError) -> String {
        let built = try ToolRun.run(nginx, ["-V"], logPath: folder + "/nginx-V.log", timeoutSeconds: 10).output
        var temporaryPaths = ["client_body_temp_path", "proxy_temp_path"]
        for module in ["fastcgi", "uwsgi", "scgi"] where !built.contains("without-http_\(module)_module") {
            temporaryPaths.append("\(module)_temp_path")
        }
        return """
            \(geteuid() == 0 ? "user root root;" : "")
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                default_type application/octet-stream;
            \(temporaryPaths.map { "    \($0) \(folder)/\($0);" }.joined(separator: "\n"))
                server {
                    listen 127.0.0.1:\(port);
                    root \(configuration.servedDirectory);
                }
            }
            """
    }

    /// Runs the client `repetitions` times into a fresh file each time; fails when a run fails or
    /// the copy is short.
    private func fetch(
        anchor: String, folder: String, command: (String) -> (String, [String])
    ) throws(BenchError) -> RepeatedTransfer {
        let target = folder + "/fetched-" + configuration.fileName
        var runs: [UInt64] = []
        for _ in 0..<max(1, configuration.repetitions) {
            Directories.removeTree(target)
            let (executable, arguments) = command(target)
            let run = try ToolRun.run(
                executable, arguments, logPath: folder + "/client.log", timeoutSeconds: 600)
            guard run.succeeded else { throw .daemon("\(anchor): client failed: \(run.tail)") }
            guard FileIO.size(of: target) == configuration.fileSize else {
                throw .daemon("\(anchor): fetched \(FileIO.size(of: target) ?? 0) of \(configuration.fileSize) bytes")
            }
            runs.append(run.wallNanoseconds)
        }
        Directories.removeTree(target)
        return RepeatedTransfer(name: anchor, bytes: configuration.fileSize, wallNanoseconds: runs)
    }
}
