import P2PCluster
import P2PProtocol
import Testing

/// The handshake end to end as two state machines talking through real encoded lines, and every
/// way it must fail: wrong key, replayed proof, garbage, missing proof, a keyless server.
@Suite struct ClusterHandshakeTests {
    let key = ClusterKey(bytes: Array(repeating: 0x11, count: 32))!
    let otherKey = ClusterKey(bytes: Array(repeating: 0x22, count: 32))!

    /// A line as it crosses the wire: encoded, then parsed again.
    func wire(_ envelope: Envelope) throws -> Envelope {
        try Envelope(line: String(decoding: envelope.encodedLine(), as: UTF8.self))
    }

    func errorCode(_ step: ClusterServerHandshake.Step) -> String? {
        guard case .refuse(let line, _) = step else { return nil }
        return ReplyStatus.errorCode(of: line.payload)
    }

    @Test func sameKeyAuthenticatesBothSides() throws {
        var server = ClusterServerHandshake(key: key, service: .index)
        let client = ClusterClientHandshake(key: key, service: .index, server: "index")
        guard case .reply(let challenge) = server.receive(try wire(client.hello)) else {
            Issue.record("no challenge")
            return
        }
        #expect(challenge.type == "CLUSTER_CHALLENGE")
        let auth = try client.answer(try wire(challenge))
        #expect(server.receive(try wire(auth)) == .authenticated)
        #expect(server.isAuthenticated)
    }

    @Test func clientWithAnotherKeyIsRefused() throws {
        var server = ClusterServerHandshake(key: key, service: .peer)
        let client = ClusterClientHandshake(key: otherKey, service: .peer, server: "peer")
        guard case .reply(let challenge) = server.receive(try wire(client.hello)) else {
            Issue.record("no challenge")
            return
        }
        // The client notices first: the server's proof does not verify under its key.
        #expect(throws: ClusterAuthError.serverProofInvalid(server: "peer")) { try client.answer(challenge) }
        // A client that sent a proof made with its own key anyway is refused by the server.
        let forged = ClusterProof(
            service: .peer, clientNonce: HexBytes.decode(client.hello.payload["nonce"]!.stringValue!.utf8)!,
            serverNonce: HexBytes.decode(challenge.payload["nonce"]!.stringValue!.utf8)!)
        let step = server.receive(ClusterMessages.auth(proof: forged.make(.client, key: otherKey)))
        #expect(errorCode(step) == "cluster_auth_failed")
        #expect(!server.isAuthenticated)
    }

    @Test func recordedProofIsUselessOnANewConnection() throws {
        // An eavesdropper records a whole successful handshake …
        var first = ClusterServerHandshake(key: key, service: .index)
        let client = ClusterClientHandshake(key: key, service: .index, server: "index")
        guard case .reply(let challenge) = first.receive(client.hello) else {
            Issue.record("no challenge")
            return
        }
        let auth = try client.answer(challenge)
        #expect(first.receive(auth) == .authenticated)
        // … and replays the client's lines on a new connection, which has a fresh nonce.
        var second = ClusterServerHandshake(key: key, service: .index)
        guard case .reply(let secondChallenge) = second.receive(client.hello) else {
            Issue.record("no challenge")
            return
        }
        #expect(secondChallenge.payload["nonce"] != challenge.payload["nonce"])
        #expect(errorCode(second.receive(auth)) == "cluster_auth_failed")
    }

    @Test func serverProofIsNotAcceptedAsTheClientsProof() throws {
        var server = ClusterServerHandshake(key: key, service: .index)
        let client = ClusterClientHandshake(key: key, service: .index, server: "index")
        guard case .reply(let challenge) = server.receive(client.hello) else {
            Issue.record("no challenge")
            return
        }
        // Reflecting the server's own proof back fails: proofs are bound to the prover's role.
        let reflected = ClusterMessages.auth(proof: HexBytes.decode(challenge.payload["proof"]!.stringValue!.utf8)!)
        #expect(errorCode(server.receive(reflected)) == "cluster_auth_failed")
    }

    @Test func proofForTheIndexDoesNotOpenAPeer() throws {
        let proof = ClusterProof(
            service: .index, clientNonce: [UInt8](repeating: 1, count: 32),
            serverNonce: [UInt8](repeating: 2, count: 32))
        let asPeer = ClusterProof(service: .peer, clientNonce: proof.clientNonce, serverNonce: proof.serverNonce)
        #expect(proof.verify(proof.make(.client, key: key), from: .client, key: key))
        #expect(!asPeer.verify(proof.make(.client, key: key), from: .client, key: key))
    }

    @Test(arguments: ["", "zz", "abcd", String(repeating: "0", count: 64), String(repeating: "g", count: 64)])
    func garbageOrTruncatedProofIsRefused(_ proof: String) throws {
        var server = ClusterServerHandshake(key: key, service: .index)
        let client = ClusterClientHandshake(key: key, service: .index, server: "index")
        guard case .reply(let challenge) = server.receive(client.hello) else {
            Issue.record("no challenge")
            return
        }
        let real = HexBytes.encode(
            HexBytes.decode(try client.answer(challenge).payload["proof"]!.stringValue!.utf8)!)
        let garbage = try Envelope(line: #"{"type":"CLUSTER_AUTH","payload":{"proof":"\#(proof)"}}"#)
        #expect(errorCode(server.receive(garbage)) == "cluster_auth_failed")
        // The real proof, cut short by one byte, fails too; and the server allows one attempt only.
        var again = ClusterServerHandshake(key: key, service: .index)
        _ = again.receive(client.hello)
        let truncated = try Envelope(line: #"{"type":"CLUSTER_AUTH","payload":{"proof":"\#(real.dropLast(2))"}}"#)
        #expect(errorCode(again.receive(truncated)) == "cluster_auth_failed")
        #expect(errorCode(again.receive(try client.answer(challenge))) == "cluster_auth_failed")
    }

    @Test func missingProofIsRefused() throws {
        var server = ClusterServerHandshake(key: key, service: .index)
        let client = ClusterClientHandshake(key: key, service: .index, server: "index")
        _ = server.receive(client.hello)
        // The client skips the proof and sends a request straight away.
        let search = Envelope(type: .searchRequest, requestID: "r1", payload: ["query": "a"])
        let step = server.receive(search)
        #expect(errorCode(step) == "cluster_auth_failed")
        guard case .refuse(let reply, _) = step else { return }
        #expect(reply.type == "SEARCH_RESPONSE")
        #expect(reply.requestID == "r1")
        let noProof = try Envelope(line: #"{"type":"CLUSTER_AUTH","payload":{}}"#)
        var other = ClusterServerHandshake(key: key, service: .index)
        _ = other.receive(client.hello)
        #expect(errorCode(other.receive(noProof)) == "cluster_auth_failed")
    }

    @Test func keylessClientGetsAClearErrorInTheReplyItWaitsFor() throws {
        var server = ClusterServerHandshake(key: key, service: .peer)
        let obtain = Envelope(type: .obtainRequest, payload: ["file_name": "a.txt"])
        let step = server.receive(obtain)
        #expect(errorCode(step) == "cluster_key_required")
        guard case .refuse(let reply, _) = step else { return }
        #expect(reply.type == "OBTAIN_RESPONSE")
        var unreadable = ClusterServerHandshake(key: key, service: .peer)
        #expect(errorCode(unreadable.receiveUnreadable()) == "cluster_key_required")
    }

    @Test(arguments: [
        #"{"type":"CLUSTER_HELLO","payload":{"cluster_version":1,"nonce":"00"}}"#,
        #"{"type":"CLUSTER_HELLO","payload":{"cluster_version":2,"nonce":"\#(String(repeating: "ab", count: 32))"}}"#,
        #"{"type":"CLUSTER_HELLO","payload":{"cluster_version":1}}"#,
    ])
    func malformedHelloIsRefused(_ line: String) throws {
        var server = ClusterServerHandshake(key: key, service: .index)
        #expect(errorCode(server.receive(try Envelope(line: line))) == "cluster_hello_invalid")
    }

    @Test func keyedClientRecognisesAKeylessServer() throws {
        let client = ClusterClientHandshake(key: key, service: .index, server: "127.0.0.1:7000")
        // What a server without a key (ours or the seed's) answers to a type it does not know.
        let unknown = Envelope(type: .errorResponse, payload: ReplyStatus.error("unknown_type"))
        #expect(throws: ClusterAuthError.serverHasNoKey(server: "127.0.0.1:7000")) { try client.answer(unknown) }
        let seed = Envelope(type: .errorResponse, payload: ReplyStatus.error("unknown message type: CLUSTER_HELLO"))
        #expect(throws: ClusterAuthError.serverHasNoKey(server: "127.0.0.1:7000")) { try client.answer(seed) }
        let refused = Envelope(type: .errorResponse, payload: ReplyStatus.error("cluster_hello_invalid"))
        #expect(throws: ClusterAuthError.refused(server: "127.0.0.1:7000", code: "cluster_hello_invalid")) {
            try client.answer(refused)
        }
    }

    @Test func challengeEchoingTheClientNonceIsRejected() throws {
        let nonce = [UInt8](repeating: 7, count: 32)
        let client = ClusterClientHandshake(key: key, service: .index, server: "s", clientNonce: nonce)
        let proof = ClusterProof(service: .index, clientNonce: nonce, serverNonce: nonce)
        let echo = ClusterMessages.challenge(nonce: nonce, proof: proof.make(.server, key: key))
        #expect(throws: ClusterAuthError.malformedChallenge(server: "s", reason: "the server echoed our nonce")) {
            try client.answer(echo)
        }
    }

    @Test func freshNoncesDiffer() {
        let nonces = Set((0..<100).map { _ in HexBytes.encode(ClusterNonce.fresh()) })
        #expect(nonces.count == 100)
        #expect(nonces.allSatisfy { $0.utf8.count == 64 })
    }
}
