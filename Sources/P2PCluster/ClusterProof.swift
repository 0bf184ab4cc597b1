import Crypto

/// The HMAC-SHA256 proofs of the cluster handshake.
///
/// A proof is `HMAC-SHA256(key, "p2p-cluster-v1" 0x00 ROLE 0x00 SERVICE 0x00 client-nonce
/// server-nonce)`, ROLE being `client` or `server` and SERVICE `index` or `peer`, nonces as raw
/// 32-byte values. Both nonces are fresh per connection, so no proof is ever valid twice; the
/// role label keeps a server's proof from being reflected back as a client's; the service label
/// keeps a proof for one listener from opening another. Checking goes through swift-crypto's
/// constant-time comparison, so timing tells an attacker nothing about how close a guess was.
public struct ClusterProof: Sendable {
    /// Who proves knowledge of the key.
    public enum Role: String, Sendable {
        case client
        case server
    }

    public static let byteCount = 32

    public let service: ClusterService
    public let clientNonce: [UInt8]
    public let serverNonce: [UInt8]

    public init(service: ClusterService, clientNonce: [UInt8], serverNonce: [UInt8]) {
        self.service = service
        self.clientNonce = clientNonce
        self.serverNonce = serverNonce
    }

    /// The bytes the HMAC covers for `role`.
    func transcript(_ role: Role) -> [UInt8] {
        Array("p2p-cluster-v1".utf8) + [0] + Array(role.rawValue.utf8) + [0] + Array(service.rawValue.utf8) + [0]
            + clientNonce + serverNonce
    }

    /// The proof `role` sends.
    public func make(_ role: Role, key: ClusterKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: transcript(role), using: key.symmetricKey))
    }

    /// Whether `proof` is `role`'s proof under `key`; wrong lengths are simply false.
    public func verify(_ proof: [UInt8], from role: Role, key: ClusterKey) -> Bool {
        guard proof.count == Self.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(proof, authenticating: transcript(role), using: key.symmetricKey)
    }
}
