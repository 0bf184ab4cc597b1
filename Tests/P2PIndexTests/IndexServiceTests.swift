import P2PIndex
import P2PProtocol
import Synchronization
import Testing

@Suite struct IndexServiceTests {
    final class FakeClock: Sendable {
        let now = Mutex<Int64>(0)
        func advance(_ ms: Int64) { now.withLock { $0 += ms } }
    }

    @Test func answersEachRequestTypeAndKeepsTheRequestID() throws {
        let service = IndexService()
        let register = Envelope(
            type: .registryRequest, peerID: "peer1", requestID: "r1",
            payload: RegistryRequest(
                endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100),
                files: [SharedFile(name: "a", meta: FileMeta(size: 1))], heartbeatIntervalSeconds: 10
            ).payload)
        let reply = service.respond(to: register)
        #expect(reply.messageType == .registryResponse)
        #expect(reply.requestID == "r1")
        #expect(reply.payload["registered_files"] == 1)

        let search = service.respond(
            to: Envelope(type: .searchRequest, requestID: "r2", payload: SearchRequest(query: "a").payload))
        #expect(try SearchResponse(payload: search.payload).results.map(\.peerID) == ["peer1"])

        let heartbeat = service.respond(to: Envelope(type: .heartbeatRequest, peerID: "peer1", payload: [:]))
        #expect(try HeartbeatResponse(payload: heartbeat.payload).known)

        let stats = try IndexStats(payload: service.respond(to: Envelope(type: .statsRequest, payload: [:])).payload)
        #expect(stats.peers == 1 && stats.files == 1 && stats.searches == 1 && stats.registrations == 1)

        let peers = service.respond(to: Envelope(type: .peersRequest, payload: [:]))
        #expect(peers.payload["peers"]?.serialized.contains("peer1") == true)

        _ = service.respond(to: Envelope(type: .unregisterRequest, peerID: "peer1", payload: [:]))
        #expect(service.stats().peers == 0)
    }

    @Test func refusesBadRequestsWithAnErrorReply() {
        let service = IndexService()
        let unknown = service.respond(to: try! Envelope(line: #"{"type": "NOPE", "payload": {}}"#))
        #expect(unknown.messageType == .errorResponse)
        #expect(unknown.payload["status"] == "error")
        let noPeer = service.respond(to: Envelope(type: .registryRequest, payload: ["peer": ["host": "h", "port": 1]]))
        #expect(noPeer.payload["error"] == "missing peer_id")
        let badPort = service.respond(
            to: Envelope(type: .registryRequest, peerID: "p", payload: ["peer": ["host": "h", "port": 70000]]))
        #expect(badPort.payload["status"] == "error")
        let obtain = service.respond(to: Envelope(type: .obtainRequest, payload: ["file_name": "a"]))
        #expect(obtain.messageType == .obtainResponse)
        #expect(obtain.payload["error"] == "unknown_type")
    }

    @Test func aSeedRegistrationWithoutHostIsReachableAtTheConnectionsAddressAndKeepsGoodEntries() throws {
        let service = IndexService()
        let request = try Envelope(
            line:
                #"{"type": "REGISTRY_REQUEST", "peer_id": "old", "payload": {"files": {"a.txt": {"size": 3}, "bad.txt": {"size": -4}, "c/d": {}}, "peer": {"host": null, "port": 7100}}}"#
        )
        let reply = service.respond(to: request, remoteHost: "10.1.2.3")
        #expect(reply.payload["registered_files"] == 1)
        let found = service.respond(to: Envelope(type: .searchRequest, payload: SearchRequest(query: "a.txt").payload))
        #expect(
            try SearchResponse(payload: found.payload).results.first?.endpoint
                == PeerEndpoint(host: "10.1.2.3", port: 7100))
        #expect(service.respond(to: request).payload["error"] == "missing peer.host")
    }

    @Test func aPeerIsListedWhereItConnectsFromUnlessAddressesAreTrusted() throws {
        func register(_ service: IndexService, host: String, from remote: String) -> Envelope {
            service.respond(
                to: Envelope(
                    type: .registryRequest, peerID: "p",
                    payload: RegistryRequest(
                        endpoint: PeerEndpoint(host: host, port: 7100),
                        files: [SharedFile(name: "a", meta: FileMeta())]
                    ).payload), remoteHost: remote)
        }
        func listedHost(_ service: IndexService) throws -> String? {
            try SearchResponse(
                payload: service.respond(to: Envelope(type: .searchRequest, payload: SearchRequest(query: "a").payload))
                    .payload
            ).results.first?.endpoint.host
        }
        let strict = IndexService()
        #expect(register(strict, host: "victim.example", from: "10.0.0.5").payload["status"] == "ok")
        #expect(try listedHost(strict) == "10.0.0.5")
        let refused = register(strict, host: "10.0.0.9", from: "10.0.0.5")
        #expect(refused.payload["error"] == "invalid peer.host")
        #expect(register(strict, host: "::ffff:10.0.0.5", from: "10.0.0.5").payload["status"] == "ok")

        var configuration = IndexConfiguration()
        configuration.trustAdvertisedAddresses = true
        let trusting = IndexService(configuration: configuration)
        #expect(register(trusting, host: "10.0.0.9", from: "10.0.0.5").payload["status"] == "ok")
        #expect(try listedHost(trusting) == "10.0.0.9")
    }

    @Test func expiresSilentPeers() {
        let clock = FakeClock()
        let service = IndexService(clock: { clock.now.withLock { $0 } })
        _ = service.respond(
            to: Envelope(
                type: .registryRequest, peerID: "p",
                payload: RegistryRequest(
                    endpoint: PeerEndpoint(host: "h", port: 1), files: [], heartbeatIntervalSeconds: 10
                )
                .payload))
        clock.advance(31_000)
        #expect(service.expirePeers() == ["p"])
    }
}

@Suite struct IndexServiceEncodedReplyTests {
    @Test func encodedRepliesMatchTheEnvelopePathExceptTheClock() throws {
        let service = IndexService(clock: { 1000 })
        let register = try Envelope(
            line:
                #"{"type":"REGISTRY_REQUEST","peer_id":"p1","payload":{"peer":{"host":"127.0.0.1","port":7001},"files":[{"name":"a.txt","size":3}]}}"#
        )
        _ = service.respond(to: register)
        for line in [
            #"{"type":"SEARCH_REQUEST","request_id":"q1","payload":{"query":"a.txt"}}"#,
            #"{"type":"SEARCH_REQUEST","payload":{"query":{"file_name":"nothing"}}}"#,
            #"{"type":"SEARCH_REQUEST","payload":{"query":{"file_name":"a","mode":"bogus"}}}"#,
            #"{"type":"STATS_REQUEST","payload":{}}"#,
        ] {
            let request = try Envelope(line: line)
            let encoded = service.respondEncoded(to: request, registryEntries: nil).line
            let reply = try Envelope(line: String(decoding: encoded, as: UTF8.self))
            var expected = service.respond(to: request)
            expected.timestamp = reply.timestamp
            // Stats report uptime and counters; compare those replies by type only.
            if request.messageType == .statsRequest {
                #expect(reply.type == expected.type)
            } else {
                #expect(reply == expected)
                #expect(encoded == expected.encodedLine())
            }
        }
    }
}
