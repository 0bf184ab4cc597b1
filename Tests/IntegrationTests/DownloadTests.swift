import Crypto
import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// Downloads driven the way a user drives them: `p2pctl` against real peer daemons.
    @Suite struct DownloadTests {
        func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

        func ctl(_ cluster: Cluster, _ id: String, _ arguments: [String], timeout: Double = 60) async throws
            -> CtlProcess.Result
        {
            try await CtlProcess.run(["--socket", cluster.controlSocket(id)] + arguments, timeout: timeout)
        }

        func json(_ result: CtlProcess.Result) throws -> JSONValue { try JSONParser.parse(result.stdout) }

        func fileSize(_ url: URL) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
        }

        /// Waits until `url` holds at least `bytes`, or fails after `timeout`.
        func waitForSize(_ url: URL, atLeast bytes: Int64, timeout: Double = 20) async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while fileSize(url) < bytes && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(fileSize(url) >= bytes, "\(url.lastPathComponent) never reached \(bytes) bytes")
        }

        @Test func a64MiBFileArrivesVerifiedWithItsHash() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let data = try cluster.share("peer1", "big.bin", bytes: 64 << 20)
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "big.bin")) { !$0.isEmpty }
            let result = try await ctl(cluster, "peer2", ["download", "big.bin", "--json"])
            #expect(result.status == 0, "\(result)")
            let reply = try json(result)
            #expect(reply["verified"] == true)
            #expect(reply["sha256"] == .string(hex(data)))
            let copy = try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("big.bin"))
            #expect(copy.count == data.count)
            #expect(hex(copy) == hex(data))
            #expect(
                !FileManager.default.fileExists(
                    atPath: cluster.downloaded("peer2").appendingPathComponent("big.bin.part").path))

            // The plain output names the hash check and the source; --to copies it for the user.
            let target = cluster.root.appendingPathComponent("mine")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let again = try await ctl(cluster, "peer2", ["download", "big.bin", "--to", target.path])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("sha256 verified"))
            #expect(again.stdout.contains("peer1"))
            #expect(hex(try Data(contentsOf: target.appendingPathComponent("big.bin"))) == hex(data))
        }

        @Test func aKilledDownloaderResumesFromItsPartAndFetchesOnlyTheRest() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let size = 8 << 20
            let data = try cluster.share("peer1", "resume.bin", bytes: size)
            try cluster.startPeer("peer1", ["--set", "Transfer.RateLimit=4M"])
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "resume.bin")) { !$0.isEmpty }

            let part = cluster.downloaded("peer2").appendingPathComponent("resume.bin.part")
            let socket = cluster.controlSocket("peer2")
            let first = Task { try await CtlProcess.run(["--socket", socket, "download", "resume.bin"]) }
            try await waitForSize(part, atLeast: 2 << 20)
            cluster.peer("peer2").signal(SIGKILL)
            let interrupted = try await first.value
            #expect(interrupted.status != 0)
            #expect(interrupted.stderrLines.count == 1, "one line of reason: \(interrupted)")
            let kept = fileSize(part)
            #expect(kept >= 2 << 20 && kept < Int64(size))
            #expect(
                !FileManager.default.fileExists(
                    atPath: cluster.downloaded("peer2").appendingPathComponent("resume.bin").path))

            try cluster.startPeer("peer2")
            let resumed = try await ctl(cluster, "peer2", ["download", "resume.bin", "--json"])
            #expect(resumed.status == 0, "\(resumed)")
            let reply = try json(resumed)
            let resumedFrom = try #require(reply["resumed_from"]?.int64Value)
            #expect(resumedFrom > 0 && resumedFrom <= kept)
            #expect(reply["verified"] == true)
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("resume.bin")) == data)

            // The source sent the first part once and then only the rest: well under two copies.
            let sourceStats = try json(try await ctl(cluster, "peer1", ["stats", "--json"]))
            let uploaded = try #require(sourceStats["bytes_uploaded"]?.int64Value)
            #expect(uploaded >= Int64(size))
            #expect(uploaded < Int64(size) + kept)
        }

        @Test func aGracefulStopMidDownloadExitsZeroAndLeavesAResumablePart() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let data = try cluster.share("peer1", "stop.bin", bytes: 8 << 20)
            try cluster.startPeer("peer1", ["--set", "Transfer.RateLimit=4M"])
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "stop.bin")) { !$0.isEmpty }
            let part = cluster.downloaded("peer2").appendingPathComponent("stop.bin.part")
            let socket = cluster.controlSocket("peer2")
            let first = Task { try await CtlProcess.run(["--socket", socket, "download", "stop.bin"]) }
            try await waitForSize(part, atLeast: 1 << 20)
            let started = Date()
            #expect(cluster.peer("peer2").stop() == 0)
            #expect(Date().timeIntervalSince(started) < 8)
            #expect(try await first.value.status != 0)
            #expect(fileSize(part) >= 1 << 20)
            try cluster.peer("peer2").waitForLog("the .part is kept")

            try cluster.startPeer("peer2")
            let resumed = try json(try await ctl(cluster, "peer2", ["download", "stop.bin", "--json"]))
            #expect((resumed["resumed_from"]?.int64Value ?? 0) >= 1 << 20)
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("stop.bin")) == data)
        }

        @Test func aSourceKilledMidFileIsReplacedByAnotherHolderOfTheSameBytes() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let data = try cluster.share("peer1", "shared.bin", bytes: 8 << 20)
            try FileManager.default.createDirectory(at: cluster.shared("peer3"), withIntermediateDirectories: true)
            try data.write(to: cluster.shared("peer3").appendingPathComponent("shared.bin"))
            try cluster.startPeer("peer1", ["--set", "Transfer.RateLimit=4M"])
            try cluster.startPeer("peer3", ["--set", "Transfer.RateLimit=4M"])
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "shared.bin")) { $0.count == 2 }

            let part = cluster.downloaded("peer2").appendingPathComponent("shared.bin.part")
            let socket = cluster.controlSocket("peer2")
            let download = Task { try await CtlProcess.run(["--socket", socket, "download", "shared.bin", "--json"]) }
            try await waitForSize(part, atLeast: 1 << 20)
            var serving: String?
            for id in ["peer1", "peer3"] {
                let stats = try json(try await ctl(cluster, id, ["stats", "--json"]))
                if stats["uploads_in_flight"]?.int64Value == 1 { serving = id }
            }
            let first = try #require(serving)
            cluster.peer(first).signal(SIGKILL)
            let result = try await download.value
            #expect(result.status == 0, "\(result)")
            let reply = try json(result)
            let other = first == "peer1" ? "peer3" : "peer1"
            #expect(reply["sources"] == .array([.string(first), .string(other)]))
            #expect(reply["verified"] == true)
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("shared.bin")) == data)
        }

        @Test func aNameWithSeveralContentsTakesTheOneMostPeersHoldAndSaysSo() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let common = try cluster.share("peer1", "x.txt", bytes: 100)
            try FileManager.default.createDirectory(at: cluster.shared("peer3"), withIntermediateDirectories: true)
            try common.write(to: cluster.shared("peer3").appendingPathComponent("x.txt"))
            let odd = try cluster.share("peer4", "x.txt", bytes: 50)
            for id in ["peer1", "peer3", "peer4", "peer2"] { try cluster.startPeer(id) }
            try cluster.waitForSearch(SearchRequest(query: "x.txt")) { $0.count == 3 }
            let result = try await ctl(cluster, "peer2", ["download", "x.txt"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("2 different files are named x.txt"))
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("x.txt")) == common)
            try FileManager.default.removeItem(at: cluster.downloaded("peer2").appendingPathComponent("x.txt"))
            let chosen = try await ctl(cluster, "peer2", ["download", "x.txt", "--sha256", hex(odd)])
            #expect(chosen.status == 0, "\(chosen)")
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("x.txt")) == odd)
        }

        @Test func replicateAndTheOtherCommandsAgainstRealDaemons() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let data = try cluster.share("peer1", "keep.bin", bytes: 4096)
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "keep.bin")) { !$0.isEmpty }

            let replicated = try await ctl(cluster, "peer2", ["replicate", "keep.bin"])
            #expect(replicated.status == 0, "\(replicated)")
            #expect(try Data(contentsOf: cluster.replicated("peer2").appendingPathComponent("keep.bin")) == data)
            try cluster.waitForSearch(SearchRequest(query: "keep.bin")) { $0.count == 2 }

            for command in [["search", "keep.bin"], ["stats"], ["ls"], ["peers"], ["status"]] {
                let plain = try await ctl(cluster, "peer2", command)
                #expect(plain.status == 0, "\(command): \(plain)")
                let structured = try await ctl(cluster, "peer2", command + ["--json"])
                #expect(structured.status == 0, "\(command) --json: \(structured)")
                #expect(try json(structured)["status"] == "ok", "\(command) --json")
            }
            let listing = try json(try await ctl(cluster, "peer2", ["ls", "--json"]))
            #expect(listing.serialized.contains(#""folder":"replicated""#))
            let missing = try await ctl(cluster, "peer2", ["download", "absent.bin"])
            #expect(missing.status != 0)
            #expect(missing.stderrLines.count == 1)
            #expect(missing.stderr.hasPrefix("p2pctl: "))
        }
    }
}

extension Integration {
    /// Our peers against an index that speaks only the seed's protocol.
    @Suite struct SeedIndexTests {
        @Test func peersRegisterSearchAndDownloadThroughASeedIndex() async throws {
            let stub = try SeedIndexStub()
            defer { stub.stop() }
            let cluster = try Cluster()
            let data = try cluster.share("peer1", "old-world.bin", bytes: 300_000)
            try cluster.startPeer("peer1", ["--set", "Index.Port=\(stub.port)"])
            try cluster.startPeer("peer2", ["--set", "Index.Port=\(stub.port)"])
            let socket = cluster.controlSocket("peer2")
            var found = false
            for _ in 0..<100 where !found {
                found = (try await CtlProcess.run(["--socket", socket, "search", "old-world.bin"])).status == 0
                if !found { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(found, "\(cluster.logs)")
            let result = try await CtlProcess.run(["--socket", socket, "download", "old-world.bin"])
            #expect(result.status == 0, "\(result)\n\(cluster.logs)")
            #expect(try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("old-world.bin")) == data)
            #expect(cluster.peer("peer1").output.contains("speaks only the seed protocol"))

            // A file added later reaches the seed index too: the whole catalog is sent again.
            try cluster.share("peer1", "later.txt", bytes: 10)
            var later = false
            for _ in 0..<100 where !later {
                later = (try await CtlProcess.run(["--socket", socket, "search", "later.txt"])).status == 0
                if !later { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(later)
        }
    }
}
