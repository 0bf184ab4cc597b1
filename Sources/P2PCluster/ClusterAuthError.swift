/// Why a keyed client could not complete the handshake with a server; worded for logs and
/// p2pctl ("<host:port>: …").
public enum ClusterAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered the hello as an unknown request: it has no cluster key.
    case serverHasNoKey(server: String)
    /// The server refused the handshake with this error code.
    case refused(server: String, code: String)
    /// The challenge line was not a valid challenge.
    case malformedChallenge(server: String, reason: String)
    /// The server's proof is wrong: it holds another key, or it is not who it claims to be.
    case serverProofInvalid(server: String)

    public var description: String {
        switch self {
        case .serverHasNoKey(let server):
            "\(server) does not use a cluster key, but ClusterKeyFile= is set here; configure the same key on both"
        case .refused(let server, let code):
            "\(server) refused the cluster handshake: \(code)"
        case .malformedChallenge(let server, let reason):
            "\(server) sent a malformed cluster challenge: \(reason)"
        case .serverProofInvalid(let server):
            "\(server) failed to prove the cluster key: it holds a different key (or is an impostor)"
        }
    }
}
