import P2PProtocol
import Synchronization

/// Answers index requests: turns one request envelope into one reply envelope.
///
/// It holds the `FileIndex` behind a mutex, so the networking layer can call it from any event
/// loop, and it never sees a socket, so every reply is testable as a plain function call.
public final class IndexService: Sendable {
    private let state: Mutex<FileIndex>
    private let counters = Mutex(Counters())
    private let clock: @Sendable () -> Int64
    private let startedAt: Int64

    struct Counters {
        var searches: Int64 = 0
        var registrations: Int64 = 0
    }

    public init(
        configuration: IndexConfiguration = IndexConfiguration(),
        clock: @escaping @Sendable () -> Int64 = MonotonicClock.milliseconds
    ) {
        self.state = Mutex(FileIndex(configuration: configuration))
        self.clock = clock
        self.startedAt = clock()
    }

    /// The reply to `request`. `remoteHost` is the connection's source address: a registration
    /// without a host (the seed client's `"host": null`) is reachable there.
    public func respond(to request: Envelope, remoteHost: String? = nil) -> Envelope {
        respond(to: request, registryEntries: nil, remoteHost: remoteHost)
    }

    /// `respond(to:remoteHost:)` for a line read by `IndexRequestLine`: a registration's files
    /// come already decoded in `registryEntries` instead of in the payload.
    public func respond(to request: Envelope, registryEntries: RegistryEntries?, remoteHost: String? = nil)
        -> Envelope
    {
        guard let type = request.messageType else {
            return request.reply(
                .errorResponse, payload: ReplyStatus.error(ProtocolError.unknownType(request.type).code))
        }
        do throws(ProtocolError) {
            switch type {
            case .registryRequest:
                return request.reply(
                    .registryResponse, payload: try register(request, entries: registryEntries, remoteHost: remoteHost))
            case .searchRequest: return request.reply(.searchResponse, payload: try search(request))
            case .heartbeatRequest: return request.reply(.heartbeatResponse, payload: try heartbeat(request))
            case .unregisterRequest: return request.reply(.unregisterResponse, payload: try unregister(request))
            case .statsRequest: return request.reply(.statsResponse, payload: stats().payload)
            case .peersRequest: return request.reply(.peersResponse, payload: peers())
            default:
                throw ProtocolError.unknownType(request.type)
            }
        } catch {
            return request.reply(type.responseType, payload: ReplyStatus.error(error.code))
        }
    }

    /// The reply line to `request`, as `respond(to:registryEntries:remoteHost:).encodedLine()`
    /// would write it; a search reply is written without a JSON tree.
    public func respondEncoded(to request: Envelope, registryEntries: RegistryEntries?, remoteHost: String? = nil)
        -> (reply: Envelope?, line: [UInt8])
    {
        if request.messageType == .searchRequest, let query = try? SearchRequest(payload: request.payload) {
            let now = clock()
            let results = state.withLock { $0.search(query, now: now) }
            counters.withLock { $0.searches += 1 }
            let response = SearchResponse(query: query.query, results: results)
            let line = request.reply(.searchResponse, payload: .null).encodedLine(writingPayload: response.writePayload)
            return (nil, line)
        }
        let reply = respond(to: request, registryEntries: registryEntries, remoteHost: remoteHost)
        return (reply, reply.encodedLine())
    }

    private func peerID(of request: Envelope) throws(ProtocolError) -> String {
        guard let id = request.peerID else { throw .missingField("peer_id") }
        if let problem = NameRules.peerIDProblem(id) { throw .invalidField("peer_id", problem) }
        return id
    }

    private func register(_ request: Envelope, entries: RegistryEntries?, remoteHost: String?) throws(ProtocolError)
        -> JSONValue
    {
        let id = try peerID(of: request)
        var registration = try RegistryRequest(payload: request.payload)
        registration.endpoint.host = try registeredHost(
            advertised: registration.endpoint.host, remoteHost: remoteHost,
            trusted: state.withLock { $0.configuration.trustAdvertisedAddresses })
        let now = clock()
        let files = entries ?? RegistryEntries(registration.files)
        guard
            let response = state.withLock({
                $0.register(
                    peerID: id, endpoint: registration.endpoint, mode: registration.mode,
                    heartbeatIntervalSeconds: registration.heartbeatIntervalSeconds, entries: files, now: now)
            })
        else {
            throw ProtocolError.unknownPeer(id)
        }
        counters.withLock { $0.registrations += 1 }
        return response.payload
    }

    /// Where a registering peer is listed. Unless advertised addresses are trusted, a peer is
    /// listed where it connects from: a host name (or none) becomes the connection's address, and a
    /// literal IP that differs from it is refused, so no one can register files at someone else's
    /// address. Without a connection address (tests, in-process use) the advertised one stands.
    private func registeredHost(advertised: String, remoteHost: String?, trusted: Bool) throws(ProtocolError)
        -> String
    {
        guard let remoteHost else {
            if advertised.isEmpty { throw .missingField("peer.host") }
            return advertised
        }
        if advertised.isEmpty { return remoteHost }
        if trusted { return advertised }
        guard IPAddressText.isLiteral(advertised) else { return remoteHost }
        guard IPAddressText.same(advertised, remoteHost) else {
            throw .invalidField(
                "peer.host", "\(advertised) is not the address this connection comes from (\(remoteHost))")
        }
        return remoteHost
    }

    private func search(_ request: Envelope) throws(ProtocolError) -> JSONValue {
        let query = try SearchRequest(payload: request.payload)
        let now = clock()
        let results = state.withLock { $0.search(query, now: now) }
        counters.withLock { $0.searches += 1 }
        return SearchResponse(query: query.query, results: results).payload
    }

    private func heartbeat(_ request: Envelope) throws(ProtocolError) -> JSONValue {
        let id = try peerID(of: request)
        let now = clock()
        return HeartbeatResponse(known: state.withLock { $0.heartbeat(peerID: id, now: now) }).payload
    }

    private func unregister(_ request: Envelope) throws(ProtocolError) -> JSONValue {
        let id = try peerID(of: request)
        state.withLock { $0.unregister(peerID: id) }
        return .object([("status", "ok")])
    }

    private func peers() -> JSONValue {
        let now = clock()
        let summaries = state.withLock { $0.peerSummaries(now: now) }
        return .object([("status", "ok"), ("peers", .array(summaries.map(\.json)))])
    }

    public func stats() -> IndexStats {
        let (peers, files, names) = state.withLock { ($0.peerCount, $0.fileCount, $0.nameCount) }
        let counts = counters.withLock { $0 }
        return IndexStats(
            peers: peers, files: files, names: names, searches: counts.searches,
            registrations: counts.registrations, uptimeSeconds: (clock() - startedAt) / 1000)
    }

    /// Applies reloaded tunables to the live index.
    public func reconfigure(_ configuration: IndexConfiguration) {
        state.withLock { $0.reconfigure(configuration) }
    }

    /// Drops peers whose lease ran out; the daemon calls it every few seconds.
    @discardableResult
    public func expirePeers() -> [String] {
        let now = clock()
        return state.withLock { $0.expire(now: now) }
    }
}
