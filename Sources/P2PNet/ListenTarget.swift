import NIOCore

/// Where a server listens: an address to bind, or a socket systemd bound and passed to us.
public enum ListenTarget: Sendable, CustomStringConvertible {
    case address(host: String, port: Int)
    case unixSocket(path: String)
    /// A listening socket from socket activation; a passed socket wins over the configured port.
    case inherited(descriptor: CInt)

    public var description: String {
        switch self {
        case .address(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): path
        case .inherited(let fd): "inherited fd \(fd)"
        }
    }
}
