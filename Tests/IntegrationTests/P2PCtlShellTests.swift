import ControlTestSupport
import Foundation
import Testing

/// `p2pctl shell` fed from a pipe: no prompt, the seed's commands, errors per command.
@Suite struct P2PCtlShellTests {
    @Test func theSeedsCommandsFromAPipe() async throws {
        try await ControlTestServer.with { server in
            let script = """
                help
                lookup song.ogg
                list local

                stats
                download song.ogg
                exit
                stats

                """
            let result = try await CtlProcess.run(["--socket", server.socketPath, "shell"], stdin: script)
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdout.contains("p2p> "))
            #expect(result.stderr.isEmpty)
            #expect(result.stdout.contains("lookup NAME"))
            #expect(result.stdout.contains("song.ogg: 3000 bytes, sha256 verified, from peer1, peer3"))
            #expect(
                server.controller.requests == ["search exact song.ogg", "ls", "stats", "download song.ogg -"])
        }
    }

    @Test func failuresAreReportedAndTheShellGoesOn() async throws {
        try await ControlTestServer.with { server in
            let script = "lookup missing.bin\nfrobnicate now\ndownload boom\nlookup\nstatus\n"
            let result = try await CtlProcess.run(["--socket", server.socketPath, "shell"], stdin: script)
            #expect(result.status == 1)
            #expect(
                result.stderrLines == [
                    "p2pctl: nothing matches \"missing.bin\"",
                    "p2pctl: unknown command \"frobnicate now\" (try help)",
                    "p2pctl: no peer could serve boom: all 2 sources failed",
                    "p2pctl: usage: lookup NAME",
                ])
            #expect(result.stdout.contains("peer2"))
        }
    }

    @Test func endOfInputEndsTheShell() async throws {
        try await ControlTestServer.with { server in
            let result = try await CtlProcess.run(["--socket", server.socketPath, "shell"], stdin: "status")
            #expect(result.status == 0)
            #expect(result.stdout.contains("registered files  3"))
        }
    }
}
