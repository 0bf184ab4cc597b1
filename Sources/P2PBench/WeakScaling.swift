import P2PProtocol

/// Weak scaling of the index: N concurrent clients, each doing the same number of exact-name
/// searches for names that exist, at rising N.
///
/// Clients are blocking sockets on their own OS threads (`ThreadGang`), one request in flight
/// each: the least client-side machinery between the server and the clock, so what grows with N
/// is the server's work (and, on a small machine, the clients' share of the same cores, which the
/// machine facts in the results let a reader judge).
public struct WeakScaling: Sendable {
    /// How clients reach the index.
    public enum Mode: String, Sendable, CaseIterable {
        /// One connection per client for all its searches (our peers' and p2pctl's way).
        case persistent
        /// A new connection for every search, as the seed's client does; latency includes the
        /// TCP handshake and close.
        case perRequest = "per-request"
    }

    public struct Configuration: Sendable {
        public var index: HostPort
        public var clients: [Int]
        public var searchesPerClient: Int
        public var modes: [Mode]
        /// Names that exist at the index; client i, search j asks for
        /// `names[(i × searchesPerClient + j) mod count]`.
        public var names: [String]
        /// Daemons (normally the index) whose CPU time each point records.
        public var watched: [WatchedProcess]

        public init(
            index: HostPort, clients: [Int], searchesPerClient: Int, modes: [Mode], names: [String],
            watched: [WatchedProcess] = []
        ) {
            self.index = index
            self.clients = clients
            self.searchesPerClient = searchesPerClient
            self.modes = modes
            self.names = names
            self.watched = watched
        }
    }

    /// One (mode, N) measurement.
    public struct Point: Sendable {
        public var mode: Mode
        public var clients: Int
        public var searchesPerClient: Int
        public var succeeded: Int
        public var failed: Int
        public var firstError: String?
        public var wallNanoseconds: UInt64
        public var latency: LatencySummary
        public var cpu: CPUUsage?

        /// Successful searches per second of the batch's wall-clock time.
        public var searchesPerSecond: Double {
            Throughput.perSecond(Double(succeeded), wallNanoseconds: wallNanoseconds)
        }

        public var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("mode", .string(mode.rawValue)),
                ("clients", .int(Int64(clients))),
                ("searches_per_client", .int(Int64(searchesPerClient))),
                ("searches", .int(Int64(succeeded))),
                ("failed", .int(Int64(failed))),
                ("wall_seconds", .rounded(Double(wallNanoseconds) / 1e9, digits: 6)),
                ("searches_per_second", .rounded(searchesPerSecond, digits: 1)),
                ("latency_ms", latency.millisecondsJSON),
            ]
            if let cpu { members += cpu.json(wallNanoseconds: wallNanoseconds).members }
            if let firstError { members.append(("first_error", .string(firstError))) }
            return .object(members)
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        guard !configuration.names.isEmpty else { throw .invalidArgument("no names to search for") }
        guard configuration.searchesPerClient > 0, configuration.clients.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument("clients and searches must be positive")
        }
        self.configuration = configuration
    }

    /// Checks that the first and last names are found, then measures every (mode, N) point.
    public func run(report: (Point) -> Void = { _ in }) throws(BenchError) -> [Point] {
        let address = try configuration.index.resolve()
        for name in [configuration.names.first!, configuration.names.last!] {
            if try IndexQueries.search(name, at: address).isEmpty {
                throw .protocolFailure("the index at \(configuration.index) does not know \(name)")
            }
        }
        warmUp(address)
        var points: [Point] = []
        for mode in configuration.modes {
            for clients in configuration.clients {
                let point = measure(mode: mode, clients: clients, address: address)
                report(point)
                points.append(point)
            }
        }
        return points
    }

    /// A few unmeasured searches, so the first point does not pay for first-touch costs.
    private func warmUp(_ address: SocketAddress) {
        guard let socket = try? LineSocket(connectingTo: address) else { return }
        for index in 0..<min(200, configuration.names.count * 2) {
            _ = search(configuration.names[index % configuration.names.count], on: socket)
        }
    }

    private func measure(mode: Mode, clients: Int, address: SocketAddress) -> Point {
        let names = configuration.names
        let perClient = configuration.searchesPerClient
        var meter: CPUUsage.Meter?
        var cpu: CPUUsage?
        let (results, wall) = ThreadGang.run(
            clients, opened: { meter = CPUUsage.start(configuration.watched) }, finished: { cpu = meter?.finish() },
            body: { client, gate in
                var latencies: [UInt64] = []
                latencies.reserveCapacity(perClient)
                var failed = 0
                var firstError: String?
                var connection: LineSocket?
                if mode == .persistent { connection = try? LineSocket(connectingTo: address) }
                gate.wait()
                for step in 0..<perClient {
                    let name = names[(client * perClient + step) % names.count]
                    let start = MonotonicTime.now()
                    let outcome: String?
                    if mode == .persistent {
                        if connection == nil { connection = try? LineSocket(connectingTo: address) }
                        if let socket = connection {
                            outcome = search(name, on: socket)
                            if outcome != nil { connection = nil }
                        } else {
                            outcome = "cannot connect to \(address.text)"
                        }
                    } else {
                        do throws(BenchError) {
                            outcome = search(name, on: try LineSocket(connectingTo: address))
                        } catch {
                            outcome = error.description
                        }
                    }
                    let elapsed = MonotonicTime.now() - start
                    if let outcome {
                        failed += 1
                        if firstError == nil { firstError = outcome }
                    } else {
                        latencies.append(elapsed)
                    }
                }
                return ClientResult(latencies: latencies, failed: failed, firstError: firstError)
            })
        return Point(
            mode: mode, clients: clients, searchesPerClient: perClient,
            succeeded: results.reduce(0) { $0 + $1.latencies.count }, failed: results.reduce(0) { $0 + $1.failed },
            firstError: results.lazy.compactMap(\.firstError).first, wallNanoseconds: wall,
            latency: LatencySummary(nanoseconds: results.flatMap(\.latencies)), cpu: cpu)
    }

    /// One search; `nil` when it found the name, else what went wrong.
    private func search(_ name: String, on socket: LineSocket) -> String? {
        let request = Envelope(type: .searchRequest, payload: SearchRequest(query: name).payload)
        do {
            let reply = try socket.request(request)
            if let code = ReplyStatus.errorCode(of: reply.payload) { return "\(name): \(code)" }
            guard case .array(let results)? = reply.payload["results"], !results.isEmpty else {
                return "\(name): no results"
            }
            return nil
        } catch {
            return error.description
        }
    }
}

/// What one client thread measured.
private struct ClientResult: Sendable {
    var latencies: [UInt64]
    var failed: Int
    var firstError: String?
}
