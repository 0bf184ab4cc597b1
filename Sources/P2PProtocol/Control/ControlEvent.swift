/// A line the daemon sends before the final reply, while a command runs.
///
/// Clients skip events they do not know, so a newer daemon can add some without breaking an
/// older p2pctl.
public enum ControlEvent: Sendable, Equatable {
    case progress(TransferProgress)
    /// An event this build does not know: its name and the whole line.
    case unknown(String, JSONValue)

    public init(json: JSONValue) throws(ProtocolError) {
        let name = try json.requiredString("event")
        switch name {
        case "progress": self = .progress(try TransferProgress(json: json))
        default: self = .unknown(name, json)
        }
    }

    public var json: JSONValue {
        switch self {
        case .progress(let progress): progress.json
        case .unknown(_, let json): json
        }
    }
}
