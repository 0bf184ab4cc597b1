/// Failures of our outgoing connections, worded for logs and p2pctl.
public enum ClientError: Error, CustomStringConvertible, Equatable {
    case connectionClosed(String)
    case headerTooLong(String)
    case refused(String, code: String)
    /// Nothing arrived within the read timeout.
    case timedOut(String)

    public var description: String {
        switch self {
        case .connectionClosed(let peer): "\(peer) closed the connection early"
        case .headerTooLong(let peer): "\(peer) sent a reply header over the size cap"
        case .refused(let peer, let code): "\(peer) answered: \(code)"
        case .timedOut(let peer): "\(peer) sent nothing within the read timeout"
        }
    }
}
