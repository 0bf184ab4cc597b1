/// The final reply of a successful command, typed.
///
/// On the wire it is one object whose first member is `"status": "ok"`; single records (an
/// outcome, stats, status) are flattened into it and lists sit under one key (`results`, `files`,
/// `peers`), so `p2pctl --json … | jq .size` reads naturally.
public enum ControlReply: Sendable, Equatable {
    /// `search`: `{"status": "ok", "results": [SearchResult…]}`.
    case searchResults([SearchResult])
    /// `download` and `replicate`: `{"status": "ok", "file_name", "path", "size", …}`.
    case outcome(DownloadOutcome)
    /// `stats`: `{"status": "ok", "peer_id", "files_shared", …}`.
    case stats(PeerStats)
    /// `ls`: `{"status": "ok", "files": [LocalFile…]}`.
    case localFiles([LocalFile])
    /// `peers`: `{"status": "ok", "peers": [PeerSummary…]}`.
    case peers([PeerSummary])
    /// `status`: `{"status": "ok", "peer_id", "version", …}`.
    case status(PeerStatus)

    public var json: JSONValue {
        let ok: (String, JSONValue) = ("status", "ok")
        switch self {
        case .searchResults(let results): return .object([ok, ("results", .array(results.map(\.json)))])
        case .outcome(let outcome): return .object([ok] + outcome.json.members)
        case .stats(let stats): return .object([ok] + stats.json.members)
        case .localFiles(let files): return .object([ok, ("files", .array(files.map(\.json)))])
        case .peers(let peers): return .object([ok, ("peers", .array(peers.map(\.json)))])
        case .status(let status): return .object([ok] + status.json.members)
        }
    }

    /// Reads the final reply to `command`; the caller has already seen `"status": "ok"`.
    public init(json: JSONValue, for command: ControlCommand) throws(ProtocolError) {
        switch command {
        case .search:
            var results: [SearchResult] = []
            for element in try json.requiredArray("results") {
                results.append(try SearchResult(json: element, defaultName: ""))
            }
            self = .searchResults(results)
        case .download, .replicate:
            self = .outcome(try DownloadOutcome(json: json))
        case .stats:
            self = .stats(try PeerStats(json: json))
        case .ls:
            var files: [LocalFile] = []
            for element in try json.requiredArray("files") { files.append(try LocalFile(json: element)) }
            self = .localFiles(files)
        case .peers:
            var peers: [PeerSummary] = []
            for element in try json.requiredArray("peers") { peers.append(try PeerSummary(json: element)) }
            self = .peers(peers)
        case .status:
            self = .status(try PeerStatus(json: json))
        }
    }
}
