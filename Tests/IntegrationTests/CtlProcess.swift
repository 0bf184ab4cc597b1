import Foundation

/// The real `p2pctl` binary run as a child process: arguments, standard input and environment in;
/// exit status, standard output and standard error out.
struct CtlProcess {
    struct Result: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String

        var stdoutLines: [String] {
            stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        var stderrLines: [String] {
            stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    static var binary: String { Daemon.binDirectory.appendingPathComponent("p2pctl").path }

    /// Runs `p2pctl arguments…` (or `launcher… p2pctl arguments…`, e.g. setpriv) on its own thread, so
    /// an in-process control server keeps the cooperative pool to itself. Killed after `timeout`.
    static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], launcher: [String] = [],
        binary: String = CtlProcess.binary, timeout: Double = 30
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result {
                        try runBlocking(
                            arguments, stdin: stdin, environment: environment, launcher: launcher, binary: binary,
                            timeout: timeout)
                    })
            }
        }
    }

    private static func runBlocking(
        _ arguments: [String], stdin: String?, environment: [String: String], launcher: [String], binary: String,
        timeout: Double
    ) throws -> Result {
        let process = Process()
        if launcher.isEmpty {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [binary] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "P2P_PEER")
        env.removeValue(forKey: "P2P_SOCKET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Files, not pipes: nothing to drain while waiting, and the bytes stay in order.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pctl-\(UUID().uuidString)")
        let outURL = scratch.appendingPathExtension("out")
        let errURL = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
