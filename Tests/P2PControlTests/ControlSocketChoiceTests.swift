import Foundation
import P2PControl
import Testing

@Suite struct ControlSocketChoiceTests {
    func choose(
        socket: String? = nil, peer: String? = nil, environment: [String: String] = [:],
        runDirectory: String = "/run/p2p"
    ) throws(ControlClientError) -> String {
        try ControlSocketChoice.socketPath(
            socket: socket, peer: peer, environment: environment, runDirectory: runDirectory)
    }

    @Test func precedenceIsSocketPeerEnvironmentSocketEnvironmentPeer() throws {
        let environment = ["P2P_SOCKET": "/env.sock", "P2P_PEER": "envpeer"]
        #expect(try choose(socket: "/flag.sock", peer: "peer1", environment: environment) == "/flag.sock")
        #expect(try choose(peer: "peer1", environment: environment) == "/run/p2p/peer1.sock")
        #expect(try choose(environment: environment) == "/env.sock")
        #expect(try choose(environment: ["P2P_PEER": "envpeer"]) == "/run/p2p/envpeer.sock")
        #expect(try choose(socket: "", environment: ["P2P_SOCKET": "", "P2P_PEER": "p"]) == "/run/p2p/p.sock")
    }

    @Test func peerIDsCannotEscapeTheRunDirectory() {
        #expect(throws: ControlClientError.invalidPeerID("../etc", "must not start with '.' or '-'")) {
            try choose(peer: "../etc")
        }
        #expect(throws: ControlClientError.self) { try choose(environment: ["P2P_PEER": "a/b"]) }
    }

    @Test func withoutAChoiceTheOnlySocketIsUsed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-run-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        #expect(throws: ControlClientError.noPeerChosen(nil)) { try choose(runDirectory: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/peer4.sock", contents: nil)
        _ = FileManager.default.createFile(atPath: directory + "/notes.txt", contents: nil)
        #expect(try choose(runDirectory: directory) == directory + "/peer4.sock")
        _ = FileManager.default.createFile(atPath: directory + "/peer1.sock", contents: nil)
        #expect(throws: ControlClientError.noPeerChosen("\(directory) has peer1.sock, peer4.sock")) {
            try choose(runDirectory: directory)
        }
        #expect(throws: ControlClientError.noPeerChosen(nil)) { try choose(runDirectory: directory + "/missing") }
    }

    @Test func errorsReadAsOneLineWithAHint() {
        #expect(
            ControlClientError.noPeerChosen(nil).description == "no peer chosen: use --peer ID or --socket PATH")
        #expect(
            ControlClientError.cannotConnect(path: "/run/p2p/x.sock", code: ENOENT).description
                == "cannot connect to /run/p2p/x.sock: No such file or directory (is p2p-peer@x running?)")
        #expect(
            ControlClientError.cannotConnect(path: "/run/p2p/x.sock", code: ECONNREFUSED).description
                == "cannot connect to /run/p2p/x.sock: Connection refused (is p2p-peer@x running?)")
        #expect(
            ControlClientError.cannotConnect(path: "/tmp/s", code: EACCES).description
                == "cannot connect to /tmp/s: Permission denied (root and members of the control group, p2p by default, may use it)"
        )
        #expect(ControlClientError.daemon(reason: "no peer has x", line: "{}").description == "no peer has x")
    }
}
