import P2PProtocol

/// A keyed client's side of the handshake: send ``hello``, pass the server's first line to
/// ``answer(_:)``, send the line it returns, then the requests (no wait: the server reads them
/// after the proof).
///
/// The client checks the server's proof before it trusts a single reply, so a server without the
/// key (a stray or rogue index, a peer of another cluster) is detected, not just tolerated.
public struct ClusterClientHandshake: Sendable {
    private let key: ClusterKey
    private let service: ClusterService
    private let clientNonce: [UInt8]
    /// Names the server in errors.
    private let server: String

    /// - Parameter clientNonce: fresh unless a test pins it.
    public init(
        key: ClusterKey, service: ClusterService, server: String, clientNonce: [UInt8] = ClusterNonce.fresh()
    ) {
        self.key = key
        self.service = service
        self.server = server
        self.clientNonce = clientNonce
    }

    /// The first line to send.
    public var hello: Envelope { ClusterMessages.hello(nonce: clientNonce) }

    /// Checks the server's reply to the hello and returns the proof line to send.
    public func answer(_ reply: Envelope) throws(ClusterAuthError) -> Envelope {
        guard reply.type == ClusterMessages.challengeType else {
            let code = ReplyStatus.errorCode(of: reply.payload) ?? "an unexpected \(reply.type)"
            // Ours says `unknown_type`; the seed's index says "unknown message type: CLUSTER_HELLO".
            if code == ProtocolError.unknownType(ClusterMessages.helloType).code
                || code.lowercased().hasPrefix("unknown message type")
            {
                throw .serverHasNoKey(server: server)
            }
            throw .refused(server: server, code: code)
        }
        guard reply.payload["cluster_version"]?.int64Value == ClusterMessages.version else {
            throw .malformedChallenge(server: server, reason: "unsupported handshake version")
        }
        guard let serverNonce = ClusterNonce.parse(reply.payload["nonce"]?.stringValue) else {
            throw .malformedChallenge(server: server, reason: "bad nonce")
        }
        guard serverNonce != clientNonce else {
            throw .malformedChallenge(server: server, reason: "the server echoed our nonce")
        }
        let proof = ClusterProof(service: service, clientNonce: clientNonce, serverNonce: serverNonce)
        guard let text = reply.payload["proof"]?.stringValue, let bytes = HexBytes.decode(text.utf8),
            proof.verify(bytes, from: .server, key: key)
        else {
            throw .serverProofInvalid(server: server)
        }
        return ClusterMessages.auth(proof: proof.make(.client, key: key))
    }
}
