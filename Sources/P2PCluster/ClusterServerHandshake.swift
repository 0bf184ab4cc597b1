import P2PProtocol

/// A keyed server's side of one connection's handshake, as a state machine fed one line at a
/// time: no socket here, so every path is a unit test.
///
/// The server proves itself first (its proof covers the client's nonce, which it cannot have
/// seen before), then waits for the client's proof over both nonces. Exactly one attempt per
/// connection: anything out of order, malformed or wrong ends in a refusal, and the caller
/// closes the connection.
public struct ClusterServerHandshake: Sendable {
    /// What the caller does with the line it just passed in.
    public enum Step: Sendable, Equatable {
        /// Send this line and wait for the next.
        case reply(Envelope)
        /// The client proved the key; this line was the proof. Pass later lines to the service.
        case authenticated
        /// Send this line, close the connection and log `reason` (never key material).
        case refuse(Envelope, reason: String)
    }

    private enum State: Sendable {
        case awaitingHello
        case awaitingProof(ClusterProof)
        case authenticated
        case refused
    }

    private let key: ClusterKey
    private let service: ClusterService
    private let serverNonce: [UInt8]
    private var state = State.awaitingHello

    /// - Parameter serverNonce: this connection's challenge; fresh unless a test pins it.
    public init(key: ClusterKey, service: ClusterService, serverNonce: [UInt8] = ClusterNonce.fresh()) {
        self.key = key
        self.service = service
        self.serverNonce = serverNonce
    }

    public var isAuthenticated: Bool {
        if case .authenticated = state { return true }
        return false
    }

    /// Whether the challenge went out and no proof came back yet. A client that hangs up here
    /// rejected our proof: it most likely holds another key.
    public var isAwaitingProof: Bool {
        if case .awaitingProof = state { return true }
        return false
    }

    /// Consumes one line that parsed as an envelope.
    public mutating func receive(_ line: Envelope) -> Step {
        switch state {
        case .awaitingHello:
            guard line.type == ClusterMessages.helloType else {
                return refuse(ClusterMessages.ErrorCode.keyRequired, to: line, reason: "no cluster handshake")
            }
            guard line.payload["cluster_version"]?.int64Value == ClusterMessages.version else {
                return refuse(ClusterMessages.ErrorCode.badHello, to: line, reason: "unsupported handshake version")
            }
            guard let clientNonce = ClusterNonce.parse(line.payload["nonce"]?.stringValue) else {
                return refuse(ClusterMessages.ErrorCode.badHello, to: line, reason: "malformed client nonce")
            }
            let proof = ClusterProof(service: service, clientNonce: clientNonce, serverNonce: serverNonce)
            state = .awaitingProof(proof)
            return .reply(ClusterMessages.challenge(nonce: serverNonce, proof: proof.make(.server, key: key)))
        case .awaitingProof(let proof):
            guard line.type == ClusterMessages.authType else {
                return refuse(ClusterMessages.ErrorCode.authFailed, to: line, reason: "no proof after the challenge")
            }
            guard let text = line.payload["proof"]?.stringValue, let bytes = HexBytes.decode(text.utf8) else {
                return refuse(ClusterMessages.ErrorCode.authFailed, to: nil, reason: "malformed proof")
            }
            guard proof.verify(bytes, from: .client, key: key) else {
                return refuse(ClusterMessages.ErrorCode.authFailed, to: nil, reason: "wrong proof (another key?)")
            }
            state = .authenticated
            return .authenticated
        case .authenticated, .refused:
            state = .refused
            return .refuse(
                ClusterMessages.refusal(ClusterMessages.ErrorCode.authFailed, to: nil),
                reason: "handshake line out of order")
        }
    }

    /// Consumes a line that is not even an envelope (bad JSON) before the handshake finished.
    public mutating func receiveUnreadable() -> Step {
        if case .awaitingHello = state {
            return refuse(ClusterMessages.ErrorCode.keyRequired, to: nil, reason: "unreadable first line")
        }
        return refuse(ClusterMessages.ErrorCode.authFailed, to: nil, reason: "unreadable proof line")
    }

    private mutating func refuse(_ code: String, to line: Envelope?, reason: String) -> Step {
        state = .refused
        return .refuse(ClusterMessages.refusal(code, to: line), reason: reason)
    }
}
