import P2PIndex
import P2PProtocol
import Synchronization

/// A whole conversation with the index, without sockets: each input line is one request to a
/// fresh `IndexService`, in order, so registrations, searches, heartbeats and expiry interact.
///
/// Every request gets exactly one reply that carries its `request_id`, has the right type, says
/// `ok` or `error` (with a reason), survives the wire and reads back through our own client-side
/// parsers; search results really match the query; the counters agree with the peer list.
enum IndexSessionTarget {
    /// Lines beyond this are ignored, so one input stays cheap.
    static let maxRequests = 64

    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        var configuration = IndexConfiguration()
        // Short leases so that expiry happens within one input: the clock moves 1 s each time the
        // index reads it (a few times per request).
        configuration.heartbeatTTLMilliseconds = 5_000
        configuration.seedPeerLifetimeMilliseconds = 20_000
        configuration.maxSearchResults = 8
        configuration.maxReplicationTasks = 3
        let ticks = Mutex<Int64>(0)
        let service = IndexService(configuration: configuration) {
            ticks.withLock { now in
                now += 1_000
                return now
            }
        }
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: true).prefix(maxRequests) {
            let request: Envelope
            do {
                request = try Envelope(line: UnsafeRawBufferPointer(rebasing: line))
            } catch {
                continue  // The connection handler answers these; `envelope` fuzzes that parse.
            }
            let reply = service.respond(to: request)
            try checkReply(reply, to: request)
            try checkContent(reply, to: request, configuration: configuration)
            service.expirePeers()
        }
        try checkCounters(service)
    }

    /// The frame: type, request id, status, and that it reads back from its own line.
    static func checkReply(_ reply: Envelope, to request: Envelope) throws(InvariantViolation) {
        let expectedType = request.messageType?.responseType ?? .errorResponse
        try require(reply.type == expectedType.rawValue, "\(request.type) answered with \(reply.type)")
        try require(reply.requestID == request.requestID, "request_id not echoed")
        switch reply.payload["status"]?.stringValue {
        case "ok": break
        case "error":
            let code = reply.payload["error"]?.stringValue ?? ""
            try require(!code.isEmpty, "error reply without a reason: \(reply.payload.serialized)")
        default: throw InvariantViolation("reply without a status: \(reply.payload.serialized)")
        }
        let line = reply.encodedLine()
        try require(line.firstIndex(of: 0x0A) == line.count - 1, "reply is not one line")
        let again: Envelope
        do {
            again = try Envelope(line: String(decoding: line, as: UTF8.self))
        } catch {
            throw InvariantViolation("reply does not parse: \(error)")
        }
        try require(again == reply, "reply changed on the wire")
    }

    /// What a client of ours reads from the reply.
    static func checkContent(
        _ reply: Envelope, to request: Envelope, configuration: IndexConfiguration
    ) throws(InvariantViolation) {
        guard reply.payload["status"]?.stringValue == "ok" else { return }
        switch request.messageType {
        case .registryRequest?:
            let response = try parseReply(RegistryResponse.init(payload:), reply.payload)
            try require(
                response.replicationTasks.count <= configuration.maxReplicationTasks,
                "\(response.replicationTasks.count) replication tasks")
            for task in response.replicationTasks {
                try require(NameRules.fileNameProblem(task.fileName) == nil, "task for a bad name \(task.fileName)")
                try require(task.sourcePeerID != request.peerID, "a peer is asked to copy from itself")
            }
        case .searchRequest?:
            let query = try parseReply(SearchRequest.init(payload:), request.payload)
            let response = try parseReply(SearchResponse.init(payload:), reply.payload)
            try require(
                response.results.count <= min(query.limit ?? Int.max, configuration.maxSearchResults),
                "\(response.results.count) results over the limit")
            for result in response.results {
                try require(
                    matches(result, query), "result \(result.fileName.debugDescription) does not match \(query)")
            }
        case .heartbeatRequest?:
            _ = try parseReply(HeartbeatResponse.init(payload:), reply.payload)
        case .statsRequest?:
            _ = try parseReply(IndexStats.init(payload:), reply.payload)
        case .peersRequest?:
            for element in reply.payload["peers"]?.arrayElements ?? [] {
                let summary = try parseReply(PeerSummary.init(json:), element)
                try require(NameRules.peerIDProblem(summary.peerID) == nil, "peer listed with a bad id")
            }
        default:
            break
        }
    }

    static func matches(_ result: SearchResult, _ query: SearchRequest) -> Bool {
        switch query.mode {
        case .exact: return result.fileName == query.query
        case .substring: return ASCIICaseContainment.contains(result.fileName, query.query)
        case .glob: return GlobPattern(query.query).matches(result.fileName)
        case .sha256: return result.meta.sha256 == query.query
        }
    }

    /// The figures agree with each other: files counted per peer add up, and names ≤ files.
    static func checkCounters(_ service: IndexService) throws(InvariantViolation) {
        let stats = service.stats()
        let peers = service.respond(to: Envelope(type: .peersRequest, payload: [:])).payload["peers"]?.arrayElements
        let summaries = (peers ?? []).compactMap { try? PeerSummary(json: $0) }
        try require(summaries.count == stats.peers, "\(summaries.count) peers listed, \(stats.peers) counted")
        let files = summaries.reduce(0) { $0 + $1.fileCount }
        try require(files == stats.files, "\(files) files listed, \(stats.files) counted")
        try require(stats.names <= stats.files, "\(stats.names) names for \(stats.files) files")
        try require(stats.names > 0 || stats.files == 0, "files without names")
    }

    /// A part of a request or reply that our own code must be able to read.
    static func parseReply<Message>(
        _ parse: (JSONValue) throws(ProtocolError) -> Message, _ json: JSONValue
    ) throws(InvariantViolation) -> Message {
        do {
            return try parse(json)
        } catch {
            throw InvariantViolation("\(Message.self) refuses \(json.serialized): \(error)")
        }
    }
}
