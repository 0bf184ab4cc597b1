import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// The binary the package ships, `p2p-multicall`, run through symlinks as the package installs it:
    /// each link's name chooses the command, and any other name is refused.
    @Suite struct MultiCallTests {
        /// A scratch folder holding a symlink named `name` to the built `p2p-multicall`.
        func link(_ name: String, in folder: URL) throws -> String {
            let target = Daemon.binDirectory.appendingPathComponent("p2p-multicall").path
            let link = folder.appendingPathComponent(name).path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            return link
        }

        func scratchFolder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("multicall-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }

        @Test func eachNameAnswersAsItsCommand() async throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            for name in ["p2p-indexd", "p2p-peerd", "p2pctl"] {
                let binary = try link(name, in: folder)
                let version = try await CtlProcess.run(["--version"], binary: binary)
                #expect(version.status == 0, "\(name): \(version)")
                #expect(version.stdout == P2PVersion.current + "\n", "\(name)")
                let help = try await CtlProcess.run(["--help"], binary: binary)
                #expect(help.status == 0, "\(name): \(help)")
                #expect(help.stdout.contains("USAGE: \(name) "), "\(name): \(help)")
            }
            // Options of one command are not another's: p2pctl has no --listen-address.
            let wrong = try await CtlProcess.run(
                ["--listen-address", "127.0.0.1"], binary: folder.appendingPathComponent("p2pctl").path)
            #expect(wrong.status == 64, "\(wrong)")
            #expect(wrong.stderr.contains("--listen-address"), "\(wrong)")
        }

        @Test func anyOtherNameIsRefusedWithStatusTwo() async throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            for name in ["p2p-multicall-copy", "p2pctl.old", "sh"] {
                let result = try await CtlProcess.run(["--version"], binary: try link(name, in: folder))
                #expect(result.status == 2, "\(name): \(result)")
                #expect(result.stdout.isEmpty, "\(name): \(result)")
                #expect(
                    result.stderr.hasPrefix("p2p-multicall: run as \"\(folder.appendingPathComponent(name).path)\""),
                    "\(name): \(result)")
                #expect(result.stderr.contains("p2p-indexd, p2p-peerd, p2pctl"), "\(name): \(result)")
            }
            // The built binary under its own name is refused too: only the links are commands.
            let direct = try await CtlProcess.run(
                ["--help"], binary: Daemon.binDirectory.appendingPathComponent("p2p-multicall").path)
            #expect(direct.status == 2, "\(direct)")
        }

        @Test func theIndexDaemonRunsThroughItsLink() throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let daemon = try Daemon(
                try link("p2p-indexd", in: folder), ["--listen-address", "127.0.0.1", "--port", "0"])
            let port = try daemon.listeningPort()
            let client = try LineClient(port: port)
            try client.send(
                #"{"type": "SEARCH_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "peer2", "request_id": null, "payload": {"query": "missing.bin"}}"#
            )
            let reply = try #require(try client.readLine())
            #expect(reply.contains("SEARCH_RESPONSE"), "\(reply)")
            #expect(daemon.stop() == 0, "\(daemon.output)")
        }
    }
}
