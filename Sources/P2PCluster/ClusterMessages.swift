import P2PProtocol

/// The three handshake lines, as ordinary envelopes so every parser and frame cap applies.
///
/// ```
/// client → {"type":"CLUSTER_HELLO",…,"payload":{"cluster_version":1,"nonce":"<64 hex>"}}
/// server → {"type":"CLUSTER_CHALLENGE",…,"payload":{"status":"ok","cluster_version":1,
///           "nonce":"<64 hex>","proof":"<64 hex>"}}
/// client → {"type":"CLUSTER_AUTH",…,"payload":{"proof":"<64 hex>"}}
/// ```
/// They are sent only when a key is configured: without one the protocol is unchanged.
public enum ClusterMessages {
    public static let helloType = "CLUSTER_HELLO"
    public static let challengeType = "CLUSTER_CHALLENGE"
    public static let authType = "CLUSTER_AUTH"
    /// The handshake's version; a server refuses any other.
    public static let version: Int64 = 1

    /// Error codes a keyed server answers with before it closes the connection.
    public enum ErrorCode {
        /// The first line was not a `CLUSTER_HELLO`: the client has no key configured.
        public static let keyRequired = "cluster_key_required"
        /// The hello was malformed (nonce, version).
        public static let badHello = "cluster_hello_invalid"
        /// The proof was missing, malformed or wrong: the client holds another key.
        public static let authFailed = "cluster_auth_failed"
    }

    static func envelope(_ type: String, _ members: [(String, JSONValue)]) -> Envelope {
        var envelope = Envelope(type: .errorResponse, payload: .object(members))
        envelope.type = type
        return envelope
    }

    public static func hello(nonce: [UInt8]) -> Envelope {
        envelope(helloType, [("cluster_version", .int(version)), ("nonce", .string(HexBytes.encode(nonce)))])
    }

    public static func challenge(nonce: [UInt8], proof: [UInt8]) -> Envelope {
        envelope(
            challengeType,
            [
                ("status", "ok"), ("cluster_version", .int(version)), ("nonce", .string(HexBytes.encode(nonce))),
                ("proof", .string(HexBytes.encode(proof))),
            ])
    }

    public static func auth(proof: [UInt8]) -> Envelope {
        envelope(authType, [("proof", .string(HexBytes.encode(proof)))])
    }

    /// The error a keyed server sends, typed as the reply to `request` when it was a request we
    /// know (so a client waiting for, say, a `SEARCH_RESPONSE` reads the reason), else as
    /// `ERROR_RESPONSE`.
    public static func refusal(_ code: String, to request: Envelope?) -> Envelope {
        let type = request?.messageType?.responseType ?? .errorResponse
        return Envelope(type: type, requestID: request?.requestID, payload: ReplyStatus.error(code))
    }
}
