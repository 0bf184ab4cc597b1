import Foundation
import Testing

@testable import Systemd

@Suite struct ListenFDsLookupTests {
    let fds = ListenFDs([
        ListenFD(fd: 3, name: "index", kind: .stream, family: .inet),
        ListenFD(fd: 4, name: "index", kind: .stream, family: .inet6),
        ListenFD(fd: 5, name: "control", kind: .stream, family: .unix),
    ])

    @Test func findsByName() {
        #expect(fds.first(named: "index")?.fd == 3)
        #expect(fds.all(named: "index").map(\.fd) == [3, 4])
        #expect(fds.first(named: "control")?.family == .unix)
        #expect(fds.first(named: "missing") == nil)
        #expect(!fds.isEmpty)
    }

    @Test func emptyWithoutSocketActivation() throws {
        // The test runner is never socket-activated.
        #expect(try ListenFDs.fromEnvironment(unsetEnvironment: false).isEmpty)
    }
}

/// ListenFDs for real: the probe executable is run by systemd-socket-activate, which passes
/// sockets exactly as systemd does (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES, fds from 3).
@Suite struct ListenFDsActivationTests {
    @Test func receivesNamedStreamSockets() throws {
        let directory = try TemporaryDirectory()
        let port = try freeTCPPort()
        let control = directory.path + "/control.sock"
        let output = try runUnderSocketActivate(
            arguments: ["-l", "127.0.0.1:\(port)", "-l", control, "--fdname=index:control"],
            trigger: { try connectStream(to: control) },
            waitingFor: control
        )
        #expect(
            output == [
                "fd=3 name=index kind=stream family=inet",
                "fd=4 name=control kind=stream family=unix",
                "LISTEN_FDS unset",
            ]
        )
    }

    @Test func receivesUnnamedDatagramSocket() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/datagram.sock"
        let output = try runUnderSocketActivate(
            arguments: ["--datagram", "-l", path],
            trigger: { try sendDatagram(to: path) },
            waitingFor: path
        )
        #expect(output == ["fd=3 name=unknown kind=datagram family=unix", "LISTEN_FDS unset"])
    }
}

/// Runs systemd-fds-probe under systemd-socket-activate and returns its output lines.
///
/// systemd-socket-activate starts its child only on the first connection (or datagram), as
/// systemd does, so the test waits for the socket file to appear and then pokes it.
private func runUnderSocketActivate(
    arguments: [String],
    trigger: () throws -> Void,
    waitingFor socketPath: String
) throws -> [String] {
    let activate = try #require(
        findInPath("systemd-socket-activate"), "systemd-socket-activate is not installed")
    let probe = try probePath()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: activate)
    process.arguments = arguments + [probe]
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
        if process.isRunning {
            process.terminate()
            // Reaped here, so that no activator outlives a failed test (a child left behind kept
            // Foundation's process monitor waiting, and later tests never saw their children exit).
            let stop = ContinuousClock.now + .seconds(2)
            while process.isRunning && ContinuousClock.now < stop { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    let deadline = ContinuousClock.now + .seconds(10)
    while !FileManager.default.fileExists(atPath: socketPath) {
        guard ContinuousClock.now < deadline, process.isRunning else {
            Issue.record("systemd-socket-activate never created \(socketPath)")
            return []
        }
        usleep(10_000)
    }
    // The socket file appears at bind(), a moment before listen(): a refused first poke is retried.
    while true {
        do {
            try trigger()
            break
        } catch {
            guard ContinuousClock.now < deadline, process.isRunning else { throw error }
            usleep(10_000)
        }
    }
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            Issue.record("the probe did not finish in time")
            return []
        }
        usleep(10_000)
    }
    #expect(process.terminationStatus == 0)
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// systemd-fds-probe is built next to the test bundle (.build/<triple>/debug/).
private func probePath() throws -> String {
    if let override = ProcessInfo.processInfo.environment["SYSTEMD_FDS_PROBE"] {
        return override
    }
    let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
    // On some layouts the runner sits inside the .xctest bundle folder.
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("systemd-fds-probe").path
        if FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        directory = directory.deletingLastPathComponent()
    }
    Issue.record("systemd-fds-probe not found near \(runner); build it with `swift build`")
    throw POSIXFailure(call: "find systemd-fds-probe", errno: ENOENT)
}

private func findInPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
    }
    return nil
}

/// systemd-socket-activate needs a fixed port: bind port 0, read the port the kernel chose, and
/// close, so that it is very likely still free a moment later.
private func freeTCPPort() throws -> UInt16 {
    let fd = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXFailure(call: "socket", errno: errno) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
            bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
        }
    }
    guard bound else { throw POSIXFailure(call: "bind", errno: errno) }
    return UInt16(bigEndian: address.sin_port)
}

private func connectStream(to path: String) throws {
    let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXFailure(call: "socket", errno: errno) }
    defer { close(fd) }
    guard withUnixAddress(path, { connect(fd, $0, $1) }) == 0 else {
        throw POSIXFailure(call: "connect", errno: errno)
    }
}

private func sendDatagram(to path: String) throws {
    let fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXFailure(call: "socket", errno: errno) }
    defer { close(fd) }
    let sent = withUnixAddress(path) { address, length in
        "poke".withCString { sendto(fd, $0, 4, 0, address, length) }
    }
    guard sent == 4 else { throw POSIXFailure(call: "sendto", errno: errno) }
}
