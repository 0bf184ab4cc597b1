import Crypto
import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// Real `p2p-peerd` processes registering with a real `p2p-indexd` and serving files.
    @Suite struct PeerDaemonTests {
        func hex(_ bytes: some DataProtocol) -> String {
            SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
        }

        @Test func registersAndServesFilesByteExactByNameHashAndOffset() throws {
            let cluster = try Cluster()
            let small = try cluster.share("peer1", "peer1_kb_0001.txt", bytes: 1024)
            let big = try cluster.share("peer1", "peer1_mb_0001.bin", bytes: 1 << 20)
            try cluster.startPeer("peer1")
            let found = try cluster.waitForSearch(SearchRequest(query: "peer1_mb_0001.bin")) { !$0.isEmpty }
            #expect(found.first?.meta.sha256 == hex(big))
            #expect(found.first?.meta.size == 1 << 20)
            #expect(found.first?.endpoint.port == cluster.port(of: "peer1"))

            let (_, bytes) = try cluster.obtain(from: "peer1", ObtainRequest(fileName: "peer1_mb_0001.bin", offset: 0))
            #expect(hex(bytes) == hex(big))
            let (_, tail) = try cluster.obtain(
                from: "peer1", ObtainRequest(fileName: "peer1_mb_0001.bin", offset: 1000))
            #expect(Data(tail) == big.dropFirst(1000))
            let (header, byHash) = try cluster.obtain(from: "peer1", ObtainRequest(fileName: nil, sha256: hex(small)))
            #expect(header.payload["file_name"] == "peer1_kb_0001.txt")
            #expect(Data(byHash) == small)
        }

        /// Uploads are limited per downloading host too: one address at its limit is refused with a
        /// reason of its own, while a download from another address is served meanwhile.
        @Test func uploadsOverThePerClientLimitAreRefusedWhileOtherHostsAreServed() throws {
            let cluster = try Cluster(peerSettings: ["Transfer.MaxUploadsPerClient=2", "Transfer.RateLimit=64K"])
            try cluster.share("peer1", "big.bin", bytes: 4 << 20)
            let small = try cluster.share("peer1", "small.bin", bytes: 16 << 10)
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "big.bin")) { !$0.isEmpty }
            try cluster.waitForSearch(SearchRequest(query: "small.bin")) { !$0.isEmpty }
            let port = cluster.port(of: "peer1")
            // Two slow uploads hold the address's slots. Each is surely admitted before the next
            // connection is made (its header arrived): connections are admitted on several event
            // loops, so without that the refusal could go to any of the three.
            let held = try (0..<2).map { _ in
                let client = try LineClient(port: port, source: "127.0.0.1")
                try client.send(
                    Envelope(type: .obtainRequest, peerID: "test", payload: ObtainRequest(fileName: "big.bin").payload))
                let header = try Envelope(line: try #require(try client.readLine()))
                #expect(header.payload["status"] == "ok", "\(header.payload)")
                return client
            }
            let third = try LineClient(port: port, source: "127.0.0.1")
            let refusal = try Envelope(line: try #require(try third.readLine()))
            #expect(refusal.payload["error"] == "too_many_uploads_from_address")
            #expect(third.isClosedByServer())
            try cluster.peer("peer1").waitForLog("limit per client address reached")

            let other = try LineClient(port: port, source: "127.0.0.2")
            try other.send(
                Envelope(type: .obtainRequest, peerID: "test", payload: ObtainRequest(fileName: "small.bin").payload))
            let header = try Envelope(line: try #require(try other.readLine()))
            #expect(header.payload["status"] == "ok", "\(header.payload)")
            #expect(Data(try other.readBytes(small.count)) == small)
            #expect(held.count == 2)
        }

        /// A client that reads like the seed's (one 4 KiB read for the header, the rest of that read
        /// dropped) still gets every byte, because a seed-format request gets a 4096-byte header.
        @Test func seedClientReadingItsWayGetsTheWholeFile() throws {
            let cluster = try Cluster()
            let data = try cluster.share("peer1", "f.bin", bytes: 300_000)
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "f.bin")) { !$0.isEmpty }
            let client = try LineClient(port: cluster.port(of: "peer1"))
            try client.send(
                #"{"type": "OBTAIN_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "peer2", "request_id": null, "payload": {"file_name": "f.bin"}}"#
            )
            let first = try client.receiveSome(4096)
            let newline = try #require(first.firstIndex(of: 0x0A))
            let header = try Envelope(line: String(decoding: first[..<newline], as: UTF8.self))
            #expect(header.payload["file_size"] == 300_000)
            #expect(newline == 4095, "the header must fill exactly one 4 KiB read")
            let body = try client.readBytes(300_000)
            #expect(Data(body) == data)
        }

        @Test func hostileNamesAreRefusedWhileOthersAreServed() throws {
            let cluster = try Cluster()
            let data = try cluster.share("peer1", "good.txt", bytes: 5000)
            try "secret".write(
                to: cluster.root.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(
                atPath: cluster.shared("peer1").appendingPathComponent("link.txt").path,
                withDestinationPath: cluster.root.appendingPathComponent("outside.txt").path)
            try FileManager.default.linkItem(
                at: cluster.root.appendingPathComponent("outside.txt"),
                to: cluster.shared("peer1").appendingPathComponent("hard.txt"))
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "good.txt")) { !$0.isEmpty }
            #expect(try cluster.search(SearchRequest(query: "link.txt")).isEmpty)
            #expect(try cluster.search(SearchRequest(query: "hard.txt")).isEmpty)

            let hostile = [
                "../outside.txt", "/etc/passwd", cluster.root.appendingPathComponent("outside.txt").path, "a/b",
                "a\u{0}b",
                "..", ".", "link.txt", "hard.txt", "%2e%2e%2foutside.txt", "good.txt/", "good.txt.part",
            ]
            for name in hostile {
                let (header, bytes) = try cluster.obtain(from: "peer1", ObtainRequest(fileName: name, offset: 0))
                #expect(header.payload["status"] == "error", "\(name.debugDescription) must be refused")
                #expect(bytes.isEmpty)
                let (_, good) = try cluster.obtain(from: "peer1", ObtainRequest(fileName: "good.txt", offset: 0))
                #expect(Data(good) == data)
            }
            let (pastEnd, _) = try cluster.obtain(from: "peer1", ObtainRequest(fileName: "good.txt", offset: 5001))
            #expect(pastEnd.payload["error"] == "offset_past_end")
            for line in [
                "not json", "[1]", #"{"type": "SEARCH_REQUEST", "payload": {}}"#,
                #"{"type": "OBTAIN_REQUEST", "payload": {"offset": -1, "file_name": "good.txt"}}"#,
            ] {
                let client = try LineClient(port: cluster.port(of: "peer1"))
                try client.send(line)
                let reply = try Envelope(line: try #require(try client.readLine()))
                #expect(reply.payload["status"] == "error", "\(line) must get an error")
                #expect(client.isClosedByServer())
            }
        }

        @Test func errorRepliesMatchTheRequest() throws {
            let cluster = try Cluster()
            try cluster.startPeer("peer1")
            let client = try LineClient(port: cluster.port(of: "peer1"))
            try client.send(Envelope(type: .replicateRequest, requestID: "r7", payload: ["file_name": "missing.bin"]))
            let reply = try Envelope(line: try #require(try client.readLine()))
            #expect(reply.messageType == .replicateResponse)
            #expect(reply.requestID == "r7")
            #expect(reply.payload["error"] == "file_not_found")
            #expect(reply.payload["file_name"] == "missing.bin")
            let other = try LineClient(port: cluster.port(of: "peer1"))
            try other.send(#"{"type": "SEARCH_REQUEST", "payload": {"query": "x"}}"#)
            #expect(try Envelope(line: try #require(try other.readLine())).messageType == .errorResponse)
        }

        @Test func aStalledHalfLineIsClosedAfterTheTimeout() throws {
            let cluster = try Cluster(peerSettings: ["Transfer.ReadTimeoutSec=1"])
            try cluster.startPeer("peer1")
            let client = try LineClient(port: cluster.port(of: "peer1"))
            try client.send(Array(#"{"type": "OBTAIN_"#.utf8))
            let start = Date()
            #expect(client.isClosedByServer())
            #expect(Date().timeIntervalSince(start) < 4)
        }

        @Test func sharedFolderChangesReachTheIndexWithoutRestart() throws {
            let cluster = try Cluster()
            try cluster.startPeer("peer1")
            // Written under a hidden name and moved in, as a careful copy does; also a plain copy.
            let data = try cluster.share("peer1", ".incoming", bytes: 2048)
            try FileManager.default.moveItem(
                at: cluster.shared("peer1").appendingPathComponent(".incoming"),
                to: cluster.shared("peer1").appendingPathComponent("song.ogg"))
            try cluster.share("peer1", "copied.txt", bytes: 10)
            let found = try cluster.waitForSearch(SearchRequest(query: "song.ogg")) { !$0.isEmpty }
            #expect(found.first?.meta.sha256 == hex(data))
            try cluster.waitForSearch(SearchRequest(query: "copied.txt")) { !$0.isEmpty }
            try FileManager.default.removeItem(at: cluster.shared("peer1").appendingPathComponent("song.ogg"))
            try cluster.waitForSearch(SearchRequest(query: "song.ogg")) { $0.isEmpty }
        }

        @Test func aKilledPeerLeavesSearchAndAnIndexRestartIsHealedByReRegistration() throws {
            let cluster = try Cluster(
                indexSettings: ["Index.HeartbeatTTLSec=2", "Index.ReplicationFactor=1"],
                peerSettings: ["Peer.HeartbeatIntervalSec=1"])
            try cluster.share("peer1", "one.txt", bytes: 10)
            try cluster.share("peer2", "two.txt", bytes: 10)
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            try cluster.waitForSearch(SearchRequest(query: "one.txt")) { !$0.isEmpty }
            try cluster.waitForSearch(SearchRequest(query: "two.txt")) { !$0.isEmpty }

            // The index restarts on the same port: within one heartbeat both peers are back.
            let port = cluster.indexPort
            #expect(cluster.index.stop() == 0)
            try cluster.startIndex(port: port)
            let start = Date()
            try cluster.waitForSearch(SearchRequest(query: "one.txt"), timeout: 5) { !$0.isEmpty }
            try cluster.waitForSearch(SearchRequest(query: "two.txt"), timeout: 5) { !$0.isEmpty }
            #expect(Date().timeIntervalSince(start) < 3)

            // A peer killed outright stops heartbeating and drops out after the TTL.
            cluster.peer("peer1").signal(SIGKILL)
            try cluster.waitForSearch(SearchRequest(query: "one.txt"), timeout: 6) { $0.isEmpty }
            #expect(try cluster.search(SearchRequest(query: "two.txt")).count == 1)
        }

        @Test func aCleanlyStoppedPeerUnregistersAtOnce() throws {
            let cluster = try Cluster()
            try cluster.share("peer1", "one.txt", bytes: 10)
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "one.txt")) { !$0.isEmpty }
            #expect(cluster.peer("peer1").stop() == 0)
            #expect(try cluster.search(SearchRequest(query: "one.txt")).isEmpty)
        }

        @Test func aSeedPeerThatNeverHeartbeatsOutlivesTheTTL() throws {
            let cluster = try Cluster(indexSettings: ["Index.HeartbeatTTLSec=1", "Index.SeedPeerLifetimeSec=30"])
            let client = try LineClient(port: cluster.indexPort)
            try client.send(
                #"{"type": "REGISTRY_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "seedpeer", "request_id": null, "payload": {"files": {"old.txt": {"size": 3}}, "peer": {"host": "127.0.0.1", "port": 7100}}}"#
            )
            _ = try client.readLine()
            sleep(3)
            #expect(try cluster.search(SearchRequest(query: "old.txt")).map(\.peerID) == ["seedpeer"])
        }

        @Test func replicationCopiesAFileIntoAnotherPeersReplicatedFolder() throws {
            let cluster = try Cluster(peerSettings: ["Peer.HeartbeatIntervalSec=1"])
            let data = try cluster.share("peer1", "precious.bin", bytes: 200_000)
            try cluster.startPeer("peer1")
            try cluster.waitForSearch(SearchRequest(query: "precious.bin")) { !$0.isEmpty }
            try cluster.startPeer("peer2")
            let holders = try cluster.waitForSearch(SearchRequest(query: "precious.bin")) { $0.count == 2 }
            #expect(Set(holders.map(\.peerID)) == ["peer1", "peer2"])
            let copy = try Data(contentsOf: cluster.replicated("peer2").appendingPathComponent("precious.bin"))
            #expect(copy == data)
        }

        /// `PeerRateLimit=` caps one address's uploads together: two connections from 127.0.0.1
        /// share 1 MiB/s, so 2 MiB take about two seconds, while 127.0.0.2, on a schedule of its
        /// own, gets its 1 MiB in about one; a peer without the setting sends at loopback speed.
        /// The limited pair gets only a lower bound (a slow machine only makes it slower); the
        /// others get generous upper bounds, well under what a shared schedule would take (3 s).
        @Test func uploadsToOneAddressShareThePeerRateLimit() throws {
            let cluster = try Cluster(peerSettings: ["Replication.Enabled=no"])
            let size = 1 << 20
            let limited = try ["a.bin", "b.bin", "e.bin"].map { try cluster.share("peer1", $0, bytes: size) }
            let free = try ["c.bin", "d.bin"].map { try cluster.share("peer2", $0, bytes: size) }
            try cluster.startPeer("peer1", ["--set", "Transfer.PeerRateLimit=1M"])
            try cluster.startPeer("peer2")
            for name in ["a.bin", "b.bin", "c.bin", "d.bin", "e.bin"] {
                try cluster.waitForSearch(SearchRequest(query: name)) { !$0.isEmpty }
            }

            /// Requests every file at once, one connection each, then reads them in order; returns
            /// the seconds from the start until each one was complete.
            func fetchTogether(
                from peer: String, _ requests: [(name: String, source: String, bytes: Data)]
            ) throws -> [Double] {
                let started = ContinuousClock.now
                let clients = try requests.map { request in
                    let client = try LineClient(port: cluster.port(of: peer), source: request.source)
                    try client.send(
                        Envelope(
                            type: .obtainRequest, peerID: "test", payload: ObtainRequest(fileName: request.name).payload
                        ))
                    return client
                }
                return try zip(clients, requests).map { client, request in
                    let header = try Envelope(line: try #require(try client.readLine()))
                    #expect(header.payload["status"] == "ok", "\(header.payload)")
                    #expect(Data(try client.readBytes(size)) == request.bytes)
                    #expect(client.isClosedByServer())
                    let elapsed = ContinuousClock.now - started
                    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
            }

            let limitedTimes = try fetchTogether(
                from: "peer1",
                [
                    ("e.bin", "127.0.0.2", limited[2]), ("a.bin", "127.0.0.1", limited[0]),
                    ("b.bin", "127.0.0.1", limited[1]),
                ])
            // 1 MiB alone at 1 MiB/s: about 1 s; on one schedule with the other two, about 3 s.
            #expect(limitedTimes[0] < 2.5, "127.0.0.2 waited for 127.0.0.1: \(limitedTimes[0]) s for 1 MiB")
            // 2 MiB at 1 MiB/s; the first write (1/20 s's worth) goes at once, so ≥ 1.95 s.
            #expect(limitedTimes[2] >= 1.9, "two uploads to one address took \(limitedTimes[2]) s for 2 MiB")
            let freeTimes = try fetchTogether(
                from: "peer2", [("c.bin", "127.0.0.1", free[0]), ("d.bin", "127.0.0.1", free[1])])
            #expect(freeTimes[1] < 1.5, "two uploads without PeerRateLimit took \(freeTimes[1]) s for 2 MiB")
        }
    }
}
