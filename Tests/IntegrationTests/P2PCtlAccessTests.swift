import ControlTestSupport
import Foundation
import P2PNet
import Testing

/// Who may use the control socket, checked with real processes of other uids (setpriv): root is
/// admitted (every other test), so are members of the control group by primary or supplementary
/// group, and the daemon's own user; everyone else is refused with a reason, and it is logged.
///
/// The control group is a gid no account uses (54321), so nothing in /etc/group is touched; the
/// kernel reports groups by number, and the name is only for messages.
@Suite(.enabled(if: AccessTestSetup.available, "needs root and setpriv")) struct P2PCtlAccessTests {
    static let group = ControlGroup(id: 54_321, name: "p2p-test")
    /// The socket file lets anyone connect, so the daemon's own check is what decides.
    static let openSocket: ControlTestServer.Configure = { configuration in
        configuration.socketMode = 0o666
        configuration.group = group
    }

    /// Runs p2pctl as uid 65534. The binary is a fresh copy, and a child forked by another test at
    /// the moment of copying can still hold it open for writing, so exec fails with ETXTBSY
    /// (setpriv exits 126); that is the harness's race, not p2pctl's, so it is retried.
    func ctlAsNobody(_ server: ControlTestServer, setpriv options: [String]) async throws -> CtlProcess.Result {
        let binary = try AccessTestSetup.binaryCopy(in: server)
        var attempt = 0
        while true {
            let result = try await CtlProcess.run(
                ["--socket", server.socketPath, "status"], launcher: ["/usr/bin/setpriv", "--reuid=65534"] + options,
                binary: binary)
            attempt += 1
            guard result.status == 126, result.stderr.contains("busy"), attempt < 5 else { return result }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func aCallerOutsideTheGroupIsRefusedAndLogged() async throws {
        try await ControlTestServer.with(configure: Self.openSocket) { server in
            let result = try await ctlAsNobody(server, setpriv: ["--regid=65534", "--clear-groups"])
            #expect(result.status == 1)
            #expect(result.stderr == "p2pctl: permission denied: uid 65534 is not root and not in group p2p-test\n")
            let refusal = server.logs.all.first { $0.message == "refusing a control connection" }
            #expect(refusal?.metadata["remote_uid"] == "65534")
            #expect(refusal?.level == .warning)
            #expect(server.controller.requests.isEmpty)
        }
    }

    @Test func aSupplementaryMemberIsAdmitted() async throws {
        try await ControlTestServer.with(configure: Self.openSocket) { server in
            let result = try await ctlAsNobody(server, setpriv: ["--regid=65534", "--groups=100,54321"])
            #expect(result.status == 0, "\(result)")
            #expect(server.controller.requests == ["status"])
        }
    }

    @Test func aPrimaryMemberIsAdmitted() async throws {
        try await ControlTestServer.with(configure: Self.openSocket) { server in
            let result = try await ctlAsNobody(server, setpriv: ["--regid=54321", "--clear-groups"])
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test func theDaemonsOwnUserIsAdmitted() async throws {
        let daemonIsNobody: ControlTestServer.Configure = { configuration in
            configuration.socketMode = 0o666
            configuration.daemonUID = 65_534
        }
        try await ControlTestServer.with(configure: daemonIsNobody) { server in
            let result = try await ctlAsNobody(server, setpriv: ["--regid=65534", "--clear-groups"])
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test func theFileModeKeepsOthersOutFirst() async throws {
        let groupOnly: ControlTestServer.Configure = { $0.group = Self.group }
        try await ControlTestServer.with(configure: groupOnly) { server in
            let outsider = try await ctlAsNobody(server, setpriv: ["--regid=65534", "--clear-groups"])
            #expect(outsider.status == 1)
            #expect(
                outsider.stderr
                    == "p2pctl: cannot connect to \(server.socketPath): Permission denied (root and members of the control group, p2p by default, may use it)\n"
            )
            let member = try await ctlAsNobody(server, setpriv: ["--regid=65534", "--groups=54321"])
            #expect(member.status == 0, "\(member)")
        }
    }
}

enum AccessTestSetup {
    /// Root, setpriv, and a p2pctl that uid 65534 can run.
    static var available: Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        return true
    }

    /// A copy of p2pctl in the server's world-readable scratch directory: the build tree may sit
    /// where another uid cannot reach it.
    static func binaryCopy(in server: ControlTestServer) throws -> String {
        let copy = server.directory + "/p2pctl"
        if !FileManager.default.fileExists(atPath: copy) {
            try FileManager.default.copyItem(atPath: CtlProcess.binary, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
        }
        return copy
    }
}
