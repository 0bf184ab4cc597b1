import Logging
import NIOCore
import P2PNet
import Systemd

/// Chooses between a socket systemd passed and the configured address.
public enum ListenSelection {
    /// The passed stream socket named `name` (or, with `takesUnnamed`, when systemd gave exactly
    /// one stream socket without a name, that one) wins over `configured`; the choice is logged so
    /// a unit whose port differs from the config is easy to spot. Only a daemon with a single
    /// listener may take an unnamed socket: the peer has two, and guessing would give one
    /// descriptor to both.
    public static func choose(
        named name: String, from listenFDs: ListenFDs, configured: ListenTarget, takesUnnamed: Bool = false,
        logger: Logger
    ) -> ListenTarget {
        var passed = listenFDs.first(named: name)
        if passed == nil, takesUnnamed {
            let unnamed = listenFDs.all.filter { $0.name == "unknown" && $0.kind == .stream }
            if unnamed.count == 1, listenFDs.all.count == 1 { passed = unnamed[0] }
        }
        guard let passed, passed.kind == .stream else { return configured }
        logger.info(
            "using the \(name) socket passed by systemd instead of \(configured)", metadata: ["fd": "\(passed.fd)"])
        return .inherited(descriptor: passed.fd)
    }

    /// `host:port` for logs and tests; a Unix socket by its path.
    public static func describe(_ address: SocketAddress?, fallback: ListenTarget) -> String {
        guard let address else { return fallback.description }
        if let ip = address.ipAddress, let port = address.port {
            return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        return address.pathname ?? fallback.description
    }
}
