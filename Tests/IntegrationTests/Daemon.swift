import Foundation

/// A daemon under test: the real executable as a child process, its stderr kept for assertions.
final class Daemon: @unchecked Sendable {
    let process = Process()
    private let log = LogText()
    let name: String

    /// Where the built executables are: `P2P_BIN_DIR`, or beside the test bundle.
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["P2P_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("p2p-indexd").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        name = executable
        process.executableURL =
            executable.hasPrefix("/")
            ? URL(fileURLWithPath: executable) : Daemon.binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "LISTEN_FDS")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [log] handle in
            let data = handle.availableData
            if !data.isEmpty { log.append(String(decoding: data, as: UTF8.self)) }
        }
        try process.run()
    }

    var output: String { log.text }

    /// Waits until stderr contains `text`, or fails after `timeout` seconds.
    func waitForLog(_ text: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return }
            if !process.isRunning { throw DaemonError.exited(name, output) }
            usleep(20_000)
        }
        throw DaemonError.timedOut(name, text, output)
    }

    /// The port from the daemon's "listening on HOST:PORT" line.
    func listeningPort(timeout: Double = 10) throws -> Int {
        try waitForLog("listening on ", timeout: timeout)
        let line = output.split(separator: "\n").first { $0.contains("listening on ") }!
        let address = line.components(separatedBy: "listening on ").last!
        guard let port = Int(address.split(separator: ":").last!.prefix { $0.isNumber }) else {
            throw DaemonError.exited(name, output)
        }
        return port
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop(timeout: Double = 10) -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

enum DaemonError: Error, CustomStringConvertible {
    case exited(String, String)
    case timedOut(String, String, String)

    var description: String {
        switch self {
        case .exited(let name, let log): "\(name) exited early; its log:\n\(log)"
        case .timedOut(let name, let text, let log): "\(name) never logged \(text.debugDescription); its log:\n\(log)"
        }
    }
}

/// Text appended from the pipe's reader thread and read from the test's.
final class LogText: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = ""

    func append(_ text: String) { lock.withLock { storage += text } }
    var text: String { lock.withLock { storage } }
}
