import Logging
import NIOCore
import P2PNet
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A `ControlServer` serving a `FakeController` on a socket in a fresh scratch directory, in this
/// process. The directory is world-traversable so a client run under another uid (setpriv) can
/// reach the socket; the server's own check then decides.
public final class ControlTestServer: Sendable {
    public let directory: String
    public let socketPath: String
    public let controller: FakeController
    public let logs = CapturedLogs()
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// Starts the server and returns once it listens.
    /// - Parameter configure: adjusts the configuration (mode, group, limits) before binding.
    public static func start(
        configure: @Sendable (inout ControlServer.Configuration) -> Void = { _ in }
    ) async throws -> ControlTestServer {
        let server = ControlTestServer()
        var configuration = ControlServer.Configuration(listen: .unixSocket(path: server.socketPath))
        configure(&configuration)
        let control = ControlServer(
            configuration: configuration, controller: server.controller, logger: server.logs.logger())
        do {
            try await server.serve(control)
        } catch {
            removeTree(server.directory)
            throw error
        }
        return server
    }

    private func serve(_ control: ControlServer) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resumed = Atomic(false)
            let task = Task {
                do {
                    try await control.run {
                        if !resumed.exchange(true, ordering: .relaxed) { continuation.resume() }
                    }
                } catch {
                    if !resumed.exchange(true, ordering: .relaxed) { continuation.resume(throwing: error) }
                    throw error
                }
            }
            self.task.withLock { $0 = task }
        }
    }

    private init() {
        var template = Array("/tmp/p2p-control-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(directory, 0o755)
        socketPath = directory + "/peer2.sock"
        let state = directory + "/state"
        mkdir(state, 0o755)
        controller = FakeController(stateDirectory: state)
    }

    /// Cancels the server, waits for it to finish, and removes the scratch directory.
    public func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        _ = await task?.result
        Self.removeTree(directory)
    }

    /// `rm -rf` of a scratch tree (no symlinks are followed: they are unlinked).
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR, let stream = opendir(path) {
            var names: [String] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(stream)
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

extension ControlTestServer {
    public typealias Configure = @Sendable (inout ControlServer.Configuration) -> Void

    /// Starts a server, runs `body` with it, and stops it whether `body` throws or not.
    public static func with(
        configure: Configure = { _ in }, _ body: (ControlTestServer) async throws -> Void
    ) async throws {
        let server = try await start(configure: configure)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
