import Crypto
import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// Faults a peer must survive without losing or corrupting anything.
    @Suite struct FaultTests {
        func ctl(_ cluster: Cluster, _ id: String, _ arguments: [String]) async throws -> CtlProcess.Result {
            try await CtlProcess.run(["--socket", cluster.controlSocket(id)] + arguments, timeout: 60)
        }

        func fileSize(_ url: URL) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
        }

        func run(_ arguments: [String]) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            try? process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }

        /// A full disk: a clear error, nothing under the final name, a `.part` that resumes once
        /// space is freed. Needs root for the small tmpfs.
        @Test(.enabled(if: getuid() == 0, "needs root to mount a tmpfs")) func aFullDiskFailsCleanlyAndResumesLater()
            async throws
        {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let data = try cluster.share("peer1", "big.bin", bytes: 3 << 20)
            let downloaded = cluster.downloaded("peer2")
            try FileManager.default.createDirectory(at: downloaded, withIntermediateDirectories: true)
            #expect(run(["/bin/mount", "-t", "tmpfs", "-o", "size=1m", "p2p-test", downloaded.path]) == 0)
            defer { _ = run(["/bin/umount", "-l", downloaded.path]) }
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "big.bin")) { !$0.isEmpty }

            let full = try await ctl(cluster, "peer2", ["download", "big.bin"])
            #expect(full.status != 0)
            #expect(full.stderrLines.count == 1)
            #expect(full.stderr.contains("no space left"), "\(full)")
            #expect(!FileManager.default.fileExists(atPath: downloaded.appendingPathComponent("big.bin").path))
            let kept = fileSize(downloaded.appendingPathComponent("big.bin.part"))
            #expect(kept > 0)
            try cluster.peer("peer2").waitForLog("disk full")

            #expect(run(["/bin/mount", "-o", "remount,size=8m", downloaded.path]) == 0)
            let resumed = try JSONParser.parse(
                try await ctl(cluster, "peer2", ["download", "big.bin", "--json"]).stdout)
            #expect(resumed["resumed_from"]?.int64Value == kept)
            #expect(try Data(contentsOf: downloaded.appendingPathComponent("big.bin")) == data)
        }

        /// A file rewritten in `shared/` while it is being served: the receiver must not keep a
        /// file whose bytes differ from the hash it asked for.
        @Test func aFileChangedWhileServedIsNotKeptUnderItsName() async throws {
            let cluster = try Cluster(indexSettings: ["Index.ReplicationFactor=1"])
            let original = try cluster.share("peer1", "moving.bin", bytes: 4 << 20)
            try cluster.startPeer("peer1", ["--set", "Transfer.RateLimit=2M"])
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "moving.bin")) { !$0.isEmpty }
            let socket = cluster.controlSocket("peer2")
            let download = Task { try await CtlProcess.run(["--socket", socket, "download", "moving.bin", "--json"]) }
            let part = cluster.downloaded("peer2").appendingPathComponent("moving.bin.part")
            let deadline = Date().addingTimeInterval(20)
            while fileSize(part) < 512 << 10, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            // Rewrite in place (same size, other bytes), as an editor saving over it might.
            let handle = try FileHandle(forWritingTo: cluster.shared("peer1").appendingPathComponent("moving.bin"))
            try handle.write(contentsOf: Data(repeating: 0x5A, count: original.count))
            try handle.close()
            let result = try await download.value
            let final = cluster.downloaded("peer2").appendingPathComponent("moving.bin")
            if result.status == 0 {
                // Only acceptable if what was kept is exactly what the reply says it verified.
                let kept = try Data(contentsOf: final)
                let reply = try JSONParser.parse(result.stdout)
                let digest = SHA256.hash(data: kept).map { String(format: "%02x", $0) }.joined()
                #expect(reply["sha256"] == .string(digest))
                #expect(kept == original)
            } else {
                #expect(!FileManager.default.fileExists(atPath: final.path))
                #expect(result.stderrLines.count == 1)
            }
        }

        /// A peer frozen past the TTL leaves search; once thawed it registers again by itself.
        @Test func aFrozenPeerDropsOutAndComesBackWhenThawed() throws {
            let cluster = try Cluster(
                indexSettings: ["Index.HeartbeatTTLSec=2", "Index.ReplicationFactor=1"],
                peerSettings: ["Peer.HeartbeatIntervalSec=1"])
            try cluster.share("peer1", "ice.txt", bytes: 10)
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "ice.txt")) { !$0.isEmpty }
            cluster.peer("peer1").signal(SIGSTOP)
            try cluster.waitForSearch(SearchRequest(query: "ice.txt"), timeout: 8) { $0.isEmpty }
            cluster.peer("peer1").signal(SIGCONT)
            try cluster.waitForSearch(SearchRequest(query: "ice.txt"), timeout: 5) { !$0.isEmpty }
        }
    }
}
