import ControlTestSupport
import Foundation
import P2PProtocol
import Testing

/// The real `p2pctl` against a control server with canned answers: every subcommand, with and
/// without `--json`, exit statuses and one-line errors.
@Suite struct P2PCtlCommandTests {
    func ctl(_ server: ControlTestServer, _ arguments: [String], stdin: String? = nil) async throws -> CtlProcess.Result
    {
        try await CtlProcess.run(["--socket", server.socketPath] + arguments, stdin: stdin)
    }

    /// The one JSON line `--json` prints.
    func json(_ result: CtlProcess.Result) throws -> JSONValue {
        #expect(result.stdoutLines.count == 1, "\(result)")
        return try JSONParser.parse(try #require(result.stdoutLines.first))
    }

    @Test func searchPrintsATableOrTheReply() async throws {
        try await ControlTestServer.with { server in
            let table = try await ctl(server, ["search", "song.ogg"])
            #expect(table.status == 0, "\(table)")
            #expect(table.stderr.isEmpty)
            #expect(
                table.stdoutLines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                    "NAME", "SIZE", "SHA256", "PEER", "ADDRESS",
                ])
            #expect(table.stdoutLines.count == 3)
            #expect(
                table.stdoutLines[1].split(separator: " ", omittingEmptySubsequences: true) == [
                    "song.ogg", "2.9", "KiB", "5e5e5e5e5e5e", "peer1", "127.0.0.1:7100",
                ])

            let raw = try await ctl(server, ["search", "--json", "song.ogg"])
            #expect(raw.status == 0)
            let reply = try json(raw)
            #expect(reply["status"] == "ok")
            guard case .array(let results)? = reply["results"] else {
                Issue.record("no results array: \(raw)")
                return
            }
            #expect(results.count == 2)

            let glob = try await ctl(server, ["search", "--glob", "*", "--limit", "1"])
            #expect(glob.stdoutLines.count == 2)
            _ = try await ctl(server, ["search", "--substring", "old"])
            _ = try await ctl(server, ["search", "--sha256", FakeController.digest.uppercased()])
            #expect(
                server.controller.requests == [
                    "search exact song.ogg", "search exact song.ogg", "search glob *", "search substring old",
                    "search sha256 \(FakeController.digest)",
                ])
        }
    }

    @Test func searchWithoutMatchesExitsOne() async throws {
        try await ControlTestServer.with { server in
            let result = try await ctl(server, ["search", "missing.bin"])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "p2pctl: nothing matches \"missing.bin\"\n")
            let raw = try await ctl(server, ["search", "missing.bin", "--json"])
            #expect(raw.status == 1)
            #expect(try json(raw)["results"] == [])
        }
    }

    @Test func downloadShowsTheSummaryAndTheNote() async throws {
        try await ControlTestServer.with { server in
            let result = try await ctl(server, ["download", "song.ogg"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            #expect(!result.stdout.contains("\r"))
            #expect(
                result.stdoutLines.suffix(2) == [
                    "song.ogg: 3000 bytes, sha256 verified, from peer1, peer3",
                    "note: 2 different files are named song.ogg; chose sha256 5e5e5e5e5e5e held by 2 peers",
                ])

            let unverified = try await ctl(server, ["download", "old.txt"])
            #expect(unverified.stdoutLines == ["old.txt: 10 bytes, unverified (the index had no SHA-256), from seed"])

            let raw = try await ctl(server, ["download", "--json", "song.ogg", "--sha256", FakeController.digest])
            let reply = try json(raw)
            #expect(reply["verified"] == true)
            #expect(reply["note"] == nil)
            #expect(
                server.controller.requests.last == "download song.ogg \(FakeController.digest)")
        }
    }

    @Test func plainProgressLinesAreRare() async throws {
        // A pty would show the bar; through a file the 90 ms download is too short for a line,
        // which comes at most every few seconds.
        try await ControlTestServer.with { server in
            let result = try await ctl(server, ["download", "song.ogg"])
            #expect(!result.stdout.contains("downloaded "))
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aTerminalGetsAProgressBar() async throws {
        try await ControlTestServer.with { server in
            let command = "\(CtlProcess.binary) --socket \(server.socketPath) download song.ogg"
            let result = try await CtlProcess.run(
                ["-qec", command, "/dev/null"], binary: "/usr/bin/script")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("\r["))
            #expect(result.stdout.contains("%"))
            #expect(result.stdout.contains("song.ogg: 3000 bytes, sha256 verified"))
        }
    }

    @Test func downloadToADirectoryCopiesAsTheCaller() async throws {
        try await ControlTestServer.with { server in
            let target = server.directory + "/mine"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            let first = try await ctl(server, ["download", "song.ogg", "--to", target])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdoutLines.last == "copied to \(target)/song.ogg")
            #expect(FileManager.default.contents(atPath: target + "/song.ogg") == Data(FakeController.songBytes))
            #expect(!FileManager.default.fileExists(atPath: target + "/song.ogg.part"))

            let again = try await ctl(server, ["download", "song.ogg", "--to", target])
            #expect(again.status == 0)
            #expect(again.stdoutLines.last == "\(target)/song.ogg already has these bytes")

            try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/song.ogg"))
            let refused = try await ctl(server, ["download", "song.ogg", "--to", target])
            #expect(refused.status == 1)
            #expect(refused.stderr == "p2pctl: \(target)/song.ogg exists and differs (use --force to replace it)\n")
            #expect(FileManager.default.contents(atPath: target + "/song.ogg") == Data("mine".utf8))

            let forced = try await ctl(server, ["download", "song.ogg", "--to", target, "--force", "--json"])
            #expect(forced.status == 0)
            #expect(forced.stdoutLines.count == 1)
            #expect(FileManager.default.contents(atPath: target + "/song.ogg") == Data(FakeController.songBytes))

            let missing = try await ctl(server, ["download", "song.ogg", "--to", server.directory + "/nowhere"])
            #expect(missing.status == 1)
            #expect(
                missing.stderrLines == [
                    "p2pctl: cannot write \(server.directory)/nowhere/song.ogg.part: No such file or directory"
                ])
        }
    }

    @Test func daemonErrorsAreOneLine() async throws {
        try await ControlTestServer.with { server in
            let result = try await ctl(server, ["download", "boom"])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "p2pctl: no peer could serve boom: all 2 sources failed\n")

            let raw = try await ctl(server, ["download", "boom", "--json"])
            #expect(raw.status == 1)
            #expect(try json(raw)["status"] == "error")
            #expect(raw.stderrLines.count == 1)

            server.controller.setFailPeers(true)
            let peers = try await ctl(server, ["peers"])
            #expect(peers.status == 1)
            #expect(peers.stderr == "p2pctl: index 127.0.0.1:7000 unreachable\n")

            let replicate = try await ctl(server, ["replicate", "boom"])
            #expect(replicate.stderr == "p2pctl: no peer has boom\n")
        }
    }

    @Test func statsLsPeersReplicateStatus() async throws {
        try await ControlTestServer.with { server in
            let stats = try await ctl(server, ["stats"])
            #expect(stats.status == 0)
            #expect(stats.stdoutLines.contains("files shared         3"))
            #expect(stats.stdoutLines.contains("upload rate          2.0 KiB/s"))
            #expect(
                try json(try await ctl(server, ["stats", "--json"])) == ControlReply.stats(FakeController.stats).json)

            let ls = try await ctl(server, ["ls"])
            #expect(ls.stdoutLines.count == 4)
            #expect(
                ls.stdoutLines[2].split(separator: " ", omittingEmptySubsequences: true) == [
                    "x.bin", "replicated", "3", "B", "-",
                ])
            #expect(try json(try await ctl(server, ["ls", "--json"]))["files"]?.members.isEmpty == true)

            let peers = try await ctl(server, ["peers"])
            #expect(peers.stdoutLines.count == 3)
            #expect(peers.stdoutLines[2].contains("no (seed peer)"))
            #expect(
                try json(try await ctl(server, ["peers", "--json"])) == ControlReply.peers(FakeController.peers).json)

            let replicate = try await ctl(server, ["replicate", "x.bin"])
            #expect(replicate.stdoutLines == ["x.bin: 3 bytes, sha256 verified, from peer1"])
            #expect(
                try json(try await ctl(server, ["replicate", "x.bin", "--json"]))["path"]?.stringValue?.hasSuffix(
                    "/replicated/x.bin") == true)

            let status = try await ctl(server, ["status"])
            #expect(status.stdoutLines.contains("up                1h 2m 5s"))
            #expect(status.stdoutLines.contains("index             127.0.0.1:7000 (reachable)"))
            #expect(
                try json(try await ctl(server, ["status", "--json"])) == ControlReply.status(FakeController.status).json
            )
        }
    }

    @Test func theSocketComesFromFlagsOrTheEnvironment() async throws {
        try await ControlTestServer.with { server in
            let fromEnvironment = try await CtlProcess.run(["status"], environment: ["P2P_SOCKET": server.socketPath])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            let flagWins = try await CtlProcess.run(
                ["--socket", server.socketPath, "status"], environment: ["P2P_SOCKET": "/nonexistent.sock"])
            #expect(flagWins.status == 0)
            let afterSubcommand = try await CtlProcess.run(["status", "--socket", server.socketPath])
            #expect(afterSubcommand.status == 0)
        }
    }

    @Test func connectionFailuresAreOneLine() async throws {
        let missing = try await CtlProcess.run(["--socket", "/nonexistent/peer9.sock", "stats"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr
                == "p2pctl: cannot connect to /nonexistent/peer9.sock: No such file or directory (is the peer daemon running?)\n"
        )
        let badPeer = try await CtlProcess.run(["--peer", "../x", "stats"])
        #expect(badPeer.stderrLines == [#"p2pctl: invalid peer id "../x": must not start with '.' or '-'"#])
    }

    @Test func usageErrorsAndHelp() async throws {
        #expect(try await CtlProcess.run(["--version"]).stdout == P2PVersion.current + "\n")
        for command in ["search", "download", "stats", "ls", "peers", "replicate", "status", "shell"] {
            let help = try await CtlProcess.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("--peer <ID>"), "\(command)")
            #expect(help.stdout.contains("--json") == (command != "shell"), "\(command)")
        }
        let noName = try await CtlProcess.run(["download"])
        #expect(noName.status == 64)
        #expect(noName.stderr.contains("give a file NAME or --sha256 HEX"))
        let twoModes = try await CtlProcess.run(["search", "--glob", "--substring", "x"])
        #expect(twoModes.status == 64)
    }
}
