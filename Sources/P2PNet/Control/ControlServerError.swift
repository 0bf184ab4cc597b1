/// A control socket configuration the server cannot serve.
public enum ControlServerError: Error, CustomStringConvertible {
    case notAUnixSocket(ListenTarget)

    public var description: String {
        switch self {
        case .notAUnixSocket(let target):
            "the control socket must be a Unix socket (a path), not \(target): callers are identified by SO_PEERCRED"
        }
    }
}
