/// One request on the control channel: the line `{"command": C, …arguments}`.
///
/// The daemon answers it with zero or more event lines and exactly one final line (see
/// `ControlResponseLine`). Arguments are checked here, on both sides, so a bad name or digest is
/// refused before it costs the daemon a search.
public enum ControlRequest: Sendable, Equatable {
    /// Ask the index; `SearchRequest` carries the query, the match mode and the limit.
    case search(SearchRequest)
    /// Have the daemon download a file into its `downloaded/` folder.
    case download(DownloadCommand)
    case stats
    /// The files the daemon holds in `shared/`, `replicated/` and `downloaded/`.
    case localFiles
    case peers
    /// Copy a file into the daemon's `replicated/` folder, as the index would ask it to.
    case replicate(fileName: String)
    case status

    public var command: ControlCommand {
        switch self {
        case .search: .search
        case .download: .download
        case .stats: .stats
        case .localFiles: .ls
        case .peers: .peers
        case .replicate: .replicate
        case .status: .status
        }
    }

    public init(json: JSONValue) throws(ProtocolError) {
        guard case .object = json else { throw .notAnObject }
        let name = try json.requiredString("command")
        guard let command = ControlCommand(rawValue: name) else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidField("command", "\(QuotedText.quoted(name)) is not one of \(known)")
        }
        switch command {
        case .search: self = .search(try Self.searchRequest(json))
        case .download: self = .download(try DownloadCommand(json: json))
        case .stats: self = .stats
        case .ls: self = .localFiles
        case .peers: self = .peers
        case .replicate:
            let fileName = try json.requiredString("file_name")
            if let problem = NameRules.fileNameProblem(fileName) { throw .invalidField("file_name", problem) }
            self = .replicate(fileName: fileName)
        case .status: self = .status
        }
    }

    /// Parses one request line (without its newline).
    public init(line: some Collection<UInt8>) throws(ProtocolError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(line))
        } catch {
            throw .invalidJSON(error.description)
        }
        try self.init(json: document)
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("command", .string(command.rawValue))]
        switch self {
        case .search(let request):
            members.append(("query", .string(request.query)))
            members.append(("mode", .string(request.mode.rawValue)))
            if let limit = request.limit { members.append(("limit", .int(Int64(limit)))) }
        case .download(let download):
            members.append(contentsOf: download.json.members)
        case .replicate(let fileName):
            members.append(("file_name", .string(fileName)))
        case .stats, .localFiles, .peers, .status:
            break
        }
        return .object(members)
    }

    /// The request as it goes on the wire: compact JSON and a newline.
    public func encodedLine() -> [UInt8] {
        var bytes: [UInt8] = []
        json.write(into: &bytes)
        bytes.append(0x0A)
        return bytes
    }

    private static func searchRequest(_ json: JSONValue) throws(ProtocolError) -> SearchRequest {
        var query = try json.requiredString("query")
        var mode = SearchMode.exact
        if let text = try json.optionalString("mode") {
            guard let parsed = SearchMode(rawValue: text) else {
                throw .invalidField("mode", "expected exact, substring, glob or sha256")
            }
            mode = parsed
        }
        if mode == .sha256 {
            guard let digest = SHA256Hex.normalized(query) else {
                throw .invalidField("query", "expected 64 hex digits")
            }
            query = digest
        }
        guard !query.isEmpty, query.utf8.count <= 1024 else { throw .invalidField("query", "expected 1-1024 bytes") }
        var limit: Int?
        if let value = json["limit"], !value.isNull {
            guard let number = value.int64Value, number >= 1 else {
                throw .invalidField("limit", "expected a positive integer")
            }
            limit = Int(min(number, Int64(Int32.max)))
        }
        return SearchRequest(query: query, mode: mode, limit: limit)
    }
}
