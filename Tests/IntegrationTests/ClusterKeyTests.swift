import Crypto
import Foundation
import P2PCluster
import P2PProtocol
import Testing

extension Integration {
    /// The optional cluster key with real daemons: members with the same key work as before;
    /// a wrong key or none is refused with a clear error, by the index and by a serving peer.
    @Suite struct ClusterKeyTests {
        func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

        /// A scratch folder for key files, removed by the caller.
        func keyFolder() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("p2p-keys-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        /// Writes a fresh random key file (hex, 0640).
        func writeKey(_ folder: URL, _ name: String) throws -> (path: String, key: ClusterKey) {
            let bytes = ClusterNonce.fresh()
            let url = folder.appendingPathComponent(name)
            try Data((HexBytes.encode(bytes) + "\n").utf8).write(to: url)
            chmod(url.path, 0o640)
            return (url.path, ClusterKey(bytes: bytes)!)
        }

        /// A request after the cluster handshake with `key`, as a keyed daemon would send it.
        func keyedRequest(
            port: Int, key: ClusterKey, service: ClusterService, _ request: Envelope
        ) throws -> Envelope {
            let client = try LineClient(port: port)
            let handshake = ClusterClientHandshake(key: key, service: service, server: "port \(port)")
            try client.send(handshake.hello)
            guard let challenge = try client.readLine() else { throw ClientError.closed }
            try client.send(try handshake.answer(try Envelope(line: challenge)).encodedLine() + request.encodedLine())
            guard let reply = try client.readLine() else { throw ClientError.closed }
            return try Envelope(line: reply)
        }

        func keyedSearch(_ cluster: Cluster, key: ClusterKey, _ query: String) throws -> [SearchResult] {
            let reply = try keyedRequest(
                port: cluster.indexPort, key: key, service: .index,
                Envelope(type: .searchRequest, payload: SearchRequest(query: query).payload))
            return try SearchResponse(payload: reply.payload).results
        }

        /// Polls a keyed search until it finds `query` or 15 s pass.
        func waitForKeyedSearch(_ cluster: Cluster, key: ClusterKey, _ query: String) throws -> [SearchResult] {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                let results = (try? keyedSearch(cluster, key: key, query)) ?? []
                if !results.isEmpty { return results }
                usleep(50_000)
            }
            Issue.record("\(query) never became searchable\n\(cluster.logs)")
            return []
        }

        func ctl(_ cluster: Cluster, _ id: String, _ arguments: [String]) async throws -> CtlProcess.Result {
            try await CtlProcess.run(["--socket", cluster.controlSocket(id)] + arguments, timeout: 60)
        }

        @Test func membersWithTheSameKeyRegisterSearchAndDownloadVerified() async throws {
            let keys = try keyFolder()
            defer { try? FileManager.default.removeItem(at: keys) }
            let (path, key) = try writeKey(keys, "cluster.key")
            let cluster = try Cluster(
                indexSettings: ["Index.ClusterKeyFile=\(path)", "Index.ReplicationFactor=1"],
                peerSettings: ["Peer.ClusterKeyFile=\(path)"])
            let data = try cluster.share("peer1", "keyed.bin", bytes: 3 << 20)
            let small = try cluster.share("peer1", "keyed-small.bin", bytes: 2000)
            try cluster.startPeer("peer1")
            try cluster.startPeer("peer2")
            try cluster.index.waitForLog("cluster key in use: cluster key \(key.id)")
            let results = try waitForKeyedSearch(cluster, key: key, "keyed.bin")
            #expect(results.map(\.peerID) == ["peer1"])

            let result = try await ctl(cluster, "peer2", ["download", "keyed.bin", "--json"])
            #expect(result.status == 0, "\(result)\n\(cluster.logs)")
            let reply = try JSONParser.parse(result.stdout)
            #expect(reply["verified"] == true)
            #expect(reply["sha256"] == .string(hex(data)))
            let copy = try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("keyed.bin"))
            #expect(hex(copy) == hex(data))
            // Searches through the peer share its kept, once-proven index connections.
            for _ in 0..<3 {
                let search = try await ctl(cluster, "peer2", ["search", "keyed.bin", "--json"])
                #expect(search.status == 0, "\(search)\n\(cluster.logs)")
                #expect(search.stdout.contains("\"peer1\""), "\(search)")
            }

            // The next download from the same source goes over the kept connection, whose
            // handshake ran once when it opened.
            let second = try await ctl(cluster, "peer2", ["download", "keyed-small.bin", "--json"])
            #expect(second.status == 0, "\(second)\n\(cluster.logs)")
            let smallCopy = try Data(contentsOf: cluster.downloaded("peer2").appendingPathComponent("keyed-small.bin"))
            #expect(hex(smallCopy) == hex(small))
            let serving = cluster.peer("peer1").output.split(separator: "\n").filter { $0.contains("keyed-small.bin") }
            #expect(serving.contains { $0.split(separator: " ").contains("connection_upload=2") }, "\(serving)")
            #expect(!cluster.logs.contains("refused a connection without the cluster key"))
        }

        @Test func aPeerWithAnotherKeyIsRefusedByTheIndexAndByPeers() async throws {
            let keys = try keyFolder()
            defer { try? FileManager.default.removeItem(at: keys) }
            let (path, key) = try writeKey(keys, "cluster.key")
            let (wrongPath, wrongKey) = try writeKey(keys, "other.key")
            let keyed = try Cluster(indexSettings: ["Index.ClusterKeyFile=\(path)", "Index.ReplicationFactor=1"])
            try keyed.share("peer1", "member.txt", bytes: 4096)
            try keyed.share("peer3", "intruder.txt", bytes: 4096)
            try keyed.startPeer("peer1", ["--set", "Peer.ClusterKeyFile=\(path)"])
            try keyed.startPeer("peer3", ["--set", "Peer.ClusterKeyFile=\(wrongPath)"])
            _ = try waitForKeyedSearch(keyed, key: key, "member.txt")

            // The index never lists the intruder: each side rejects the other's proof, the intruder
            // first, so the index sees it hang up on the challenge.
            try keyed.peer("peer3").waitForLog("failed to prove the cluster key", timeout: 15)
            try keyed.index.waitForLog("hung up on the cluster challenge", timeout: 15)
            #expect(try keyedSearch(keyed, key: key, "intruder.txt").isEmpty)
            let search = try await ctl(keyed, "peer3", ["search", "member.txt"])
            #expect(search.status != 0)
            #expect(search.stderr.contains("failed to prove the cluster key"), "\(search)")

            // Its obtain from a member is refused too: a proof made with the other key does not pass.
            let client = try LineClient(port: keyed.port(of: "peer1"))
            let handshake = ClusterClientHandshake(key: wrongKey, service: .peer, server: "peer1")
            try client.send(handshake.hello)
            let challenge = try Envelope(line: try #require(try client.readLine()))
            #expect(throws: ClusterAuthError.serverProofInvalid(server: "peer1")) { try handshake.answer(challenge) }
            let proof = ClusterProof(
                service: .peer,
                clientNonce: try #require(HexBytes.decode(handshake.hello.payload["nonce"]!.stringValue!.utf8)),
                serverNonce: try #require(HexBytes.decode(challenge.payload["nonce"]!.stringValue!.utf8)))
            let obtain = Envelope(
                type: .obtainRequest, peerID: "peer3", payload: ObtainRequest(fileName: "member.txt").payload)
            try client.send(
                ClusterMessages.auth(proof: proof.make(.client, key: wrongKey)).encodedLine() + obtain.encodedLine())
            let refusal = try Envelope(line: try #require(try client.readLine()))
            #expect(refusal.payload["error"] == "cluster_auth_failed")
            #expect(client.isClosedByServer())
            try keyed.peer("peer1").waitForLog("refused a connection without the cluster key")
        }

        @Test func keyMismatchesEitherWayGiveAClearErrorNotAHang() async throws {
            let keys = try keyFolder()
            defer { try? FileManager.default.removeItem(at: keys) }
            let (path, _) = try writeKey(keys, "cluster.key")
            let keyed = try Cluster(indexSettings: ["Index.ClusterKeyFile=\(path)"])
            try keyed.startPeer("peer1")

            // A keyless client (a seed-format search) at a keyed index gets the reason, then EOF.
            let client = try LineClient(port: keyed.indexPort)
            let reply = try client.request(Envelope(type: .searchRequest, payload: SearchRequest(query: "x").payload))
            #expect(reply.type == "SEARCH_RESPONSE")
            #expect(reply.payload["error"] == "cluster_key_required")
            #expect(client.isClosedByServer())
            // A keyless peer says why in its search.
            let keyless = try await ctl(keyed, "peer1", ["search", "x"])
            #expect(keyless.status != 0)
            #expect(keyless.stderr.contains("cluster_key_required"), "\(keyless)")

            // A keyed peer at a keyless index: a clear error at once, not a timeout.
            let open = try Cluster(peerSettings: ["Peer.ClusterKeyFile=\(path)"])
            try open.share("peer2", "held.txt", bytes: 100)
            try open.startPeer("peer2")
            let started = Date()
            let keyedAtOpen = try await ctl(open, "peer2", ["search", "x"])
            #expect(keyedAtOpen.status != 0)
            #expect(keyedAtOpen.stderr.contains("does not use a cluster key"), "\(keyedAtOpen)")
            #expect(Date().timeIntervalSince(started) < 5)

            // The same at a seed-protocol index, which answers "unknown message type".
            let stub = try SeedIndexStub()
            defer { stub.stop() }
            try open.startPeer("peer3", ["--set", "Index.Port=\(stub.port)"])
            let keyedAtSeed = try await ctl(open, "peer3", ["search", "x"])
            #expect(keyedAtSeed.status != 0)
            #expect(keyedAtSeed.stderr.contains("does not use a cluster key"), "\(keyedAtSeed)")

            // A keyless obtain at a keyed peer: the refusal comes as the reply it waits for.
            let obtain = try open.obtain(from: "peer2", ObtainRequest(fileName: "held.txt"))
            #expect(obtain.0.type == "OBTAIN_RESPONSE")
            #expect(obtain.0.payload["error"] == "cluster_key_required")
        }

        @Test func anUnusableKeyFileStopsTheDaemonWithStatus78() throws {
            let keys = try keyFolder()
            defer { try? FileManager.default.removeItem(at: keys) }
            let short = keys.appendingPathComponent("short.key")
            try Data(String(repeating: "ab", count: 16).utf8).write(to: short)
            chmod(short.path, 0o600)
            let open = keys.appendingPathComponent("open.key")
            try Data(String(repeating: "ab", count: 32).utf8).write(to: open)
            chmod(open.path, 0o644)
            for (file, reason) in [(short.path, "at least 32 random bytes"), (open.path, "accessible to other users")] {
                let daemon = try Daemon(
                    "p2p-indexd",
                    [
                        "--config-dir", keys.path, "--port", "0",
                        "--set", "Index.ClusterKeyFile=\(file)",
                    ])
                daemon.process.waitUntilExit()
                #expect(daemon.process.terminationStatus == 78)
                #expect(daemon.output.contains("ClusterKeyFile=\(file): "), "\(daemon.output)")
                #expect(daemon.output.contains(reason), "\(daemon.output)")
                #expect(!daemon.output.contains("abab"))
            }
        }
    }
}
