import Foundation
import P2PProtocol
import Testing

extension Integration {
    /// The real `p2p-indexd` process on an ephemeral loopback port, driven over TCP.
    @Suite struct IndexDaemonTests {
        func startIndex(_ extra: [String] = []) throws -> (Daemon, Int) {
            let daemon = try Daemon("p2p-indexd", ["--listen-address", "127.0.0.1", "--port", "0"] + extra)
            return (daemon, try daemon.listeningPort())
        }

        @Test func seedClientRegistersAndSearches() throws {
            let (daemon, port) = try startIndex()
            defer { #expect(daemon.stop() == 0) }
            let client = try LineClient(port: port)
            // Exactly the seed's lines, Python json.dumps spacing included.
            try client.send(
                #"{"type": "REGISTRY_REQUEST", "timestamp": 1700000000000, "version": "1.0", "peer_id": "peer1", "request_id": null, "payload": {"files": {"peer1_kb_0001.txt": {"size": 1024}}, "peer": {"host": "127.0.0.1", "port": 7100}}}"#
            )
            let registered = try Envelope(line: try #require(try client.readLine()))
            #expect(registered.type == "REGISTRY_RESPONSE")
            #expect(registered.payload["status"] == "ok")
            #expect(registered.payload["registered_files"] == 1)
            #expect(registered.payload["replication_required"] == false)

            try client.send(
                #"{"type": "SEARCH_REQUEST", "timestamp": 1700000000001, "version": "1.0", "peer_id": "peer2", "request_id": null, "payload": {"query": {"file_name": "peer1_kb_0001.txt"}}}"#
            )
            let found = try Envelope(line: try #require(try client.readLine()))
            #expect(found.type == "SEARCH_RESPONSE")
            #expect(found.payload["status"] == "ok")
            #expect(found.payload["results"]?.serialized.contains(#""host":"127.0.0.1","port":7100"#) == true)

            try client.send(
                #"{"type": "SEARCH_REQUEST", "timestamp": 1, "version": "1.0", "peer_id": "peer2", "request_id": null, "payload": {"query": "missing.bin"}}"#
            )
            let missing = try Envelope(line: try #require(try client.readLine()))
            #expect(missing.payload["status"] == "error")
            #expect(missing.payload["results"] == [])
        }

        @Test func everySearchModeOverTheWire() throws {
            let (daemon, port) = try startIndex()
            defer { daemon.stop() }
            let client = try LineClient(port: port)
            let digest = String(repeating: "c", count: 64)
            _ = try client.request(
                Envelope(
                    type: .registryRequest, peerID: "peer1",
                    payload: RegistryRequest(
                        endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100),
                        files: [
                            SharedFile(name: "Song One.ogg", meta: FileMeta(size: 5, sha256: digest)),
                            SharedFile(name: "notes.txt", meta: FileMeta(size: 7)),
                        ], heartbeatIntervalSeconds: 10
                    ).payload))
            func names(_ request: SearchRequest) throws -> [String] {
                try SearchResponse(
                    payload: client.request(Envelope(type: .searchRequest, payload: request.payload)).payload
                )
                .results.map(\.fileName).sorted()
            }
            #expect(try names(SearchRequest(query: "notes.txt")) == ["notes.txt"])
            #expect(try names(SearchRequest(query: "song", mode: .substring)) == ["Song One.ogg"])
            #expect(try names(SearchRequest(query: "*.*", mode: .glob)) == ["Song One.ogg", "notes.txt"])
            #expect(try names(SearchRequest(query: digest, mode: .sha256)) == ["Song One.ogg"])
            #expect(try names(SearchRequest(query: "o", mode: .substring, limit: 1)).count == 1)
        }

        @Test func badInputGetsErrorsWhileAnotherClientIsServed() throws {
            let (daemon, port) = try startIndex(["--set", "Index.ReadTimeoutSec=1"])
            defer { daemon.stop() }
            let good = try LineClient(port: port)
            let bad = try LineClient(port: port)
            for line in ["not json", "[1,2]", #"{"type": "WHAT"}"#, #"{"type": "SEARCH_REQUEST", "payload": {}}"#] {
                try bad.send(line)
                let reply = try Envelope(line: try #require(try bad.readLine()))
                #expect(reply.payload["status"] == "error", "\(line) should get an error reply")
                #expect(try good.request(Envelope(type: .statsRequest, payload: [:])).payload["status"] == "ok")
            }

            // A line over the 64 KiB cap: an error reply, then the connection is closed.
            let started = Date()
            let flood = try LineClient(port: port)
            try? flood.send(Array(repeating: UInt8(ascii: "x"), count: 70_000))
            let reply = try Envelope(line: try #require(try flood.readLine()))
            #expect(reply.payload["error"] == "line_too_long")
            #expect(flood.isClosedByServer())
            #expect(Date().timeIntervalSince(started) < 2)

            // Half a line, then silence: closed after the read timeout.
            let staller = try LineClient(port: port)
            try staller.send(Array(#"{"type": "SEARCH_"#.utf8))
            let stallStart = Date()
            #expect(staller.isClosedByServer())
            let stalled = Date().timeIntervalSince(stallStart)
            #expect(stalled > 0.5 && stalled < 5)
            #expect(
                try LineClient(port: port).request(Envelope(type: .statsRequest, payload: [:])).payload["status"]
                    == "ok")
        }

        @Test func connectionsOverTheLimitAreToldWhyAndClosed() throws {
            let (daemon, port) = try startIndex(["--set", "Index.MaxConnections=2"])
            defer { daemon.stop() }
            let first = try LineClient(port: port)
            let second = try LineClient(port: port)
            #expect(try first.request(Envelope(type: .statsRequest, payload: [:])).payload["status"] == "ok")
            #expect(try second.request(Envelope(type: .statsRequest, payload: [:])).payload["status"] == "ok")
            let third = try LineClient(port: port)
            let refusal = try Envelope(line: try #require(try third.readLine()))
            #expect(refusal.payload["error"] == "too_many_connections")
            #expect(third.isClosedByServer())
            try daemon.waitForLog("limit reached")
        }

        /// One address at its own limit is refused with a reason of its own, while another
        /// address still gets in: the per-client limit protects the others from one greedy host.
        @Test func connectionsOverThePerClientLimitAreRefusedWhileOtherClientsGetIn() throws {
            let (daemon, port) = try startIndex(["--set", "Index.MaxConnectionsPerClient=2"])
            defer { daemon.stop() }
            var held = try (0..<2).map { _ in try LineClient(port: port, source: "127.0.0.1") }
            for client in held {
                #expect(try client.request(Envelope(type: .statsRequest, payload: [:])).payload["status"] == "ok")
            }
            let third = try LineClient(port: port, source: "127.0.0.1")
            let refusal = try Envelope(line: try #require(try third.readLine()))
            #expect(refusal.payload["error"] == "too_many_connections_from_address")
            #expect(third.isClosedByServer())
            try daemon.waitForLog("limit per client address reached")
            let other = try LineClient(port: port, source: "127.0.0.2")
            #expect(try other.request(Envelope(type: .statsRequest, payload: [:])).payload["status"] == "ok")
            // A slot freed by a closed connection is given back to its address.
            held.removeFirst()
            let deadline = Date().addingTimeInterval(5)
            var again: Envelope?
            while again == nil, Date() < deadline {
                let client = try LineClient(port: port, source: "127.0.0.1")
                let reply = try? client.request(Envelope(type: .statsRequest, payload: [:]))
                if reply?.payload["status"] == "ok" { again = reply } else { usleep(50_000) }
            }
            #expect(again != nil, "the freed slot was never given back")
        }

        @Test func blankLinesAreSkipped() throws {
            let (daemon, port) = try startIndex()
            defer { daemon.stop() }
            let client = try LineClient(port: port)
            try client.send("")
            try client.send("\r")
            let reply = try client.request(Envelope(type: .statsRequest, requestID: "after-blank", payload: [:]))
            #expect(reply.requestID == "after-blank")
        }

        @Test func stopsCleanlyOnSIGTERM() throws {
            let (daemon, _) = try startIndex()
            #expect(daemon.stop() == 0)
        }
    }
}
