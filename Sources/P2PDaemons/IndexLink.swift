import Logging
import NIOCore
import P2PCatalog
import P2PCluster
import P2PNet
import P2PProtocol
import ServiceLifecycle
import Synchronization

/// Keeps the index's view of this peer equal to the catalog: registers, sends what changed,
/// heartbeats, and registers again whenever the index forgot us (a restart) or was unreachable.
///
/// It never blocks start-up: the daemon is ready before the index answers, and this service keeps
/// trying with backoff. Only this service talks to the index about our files, so registrations
/// never race each other.
public final class IndexLink: Service, Sendable {
    public struct Configuration: Sendable {
        public var peerID: String
        public var advertised: PeerEndpoint
        public var index: PeerEndpoint
        public var heartbeatInterval: Duration
        /// Files per registration message; large catalogs go in several, the first replacing.
        public var batchSize = 5000
        public var timeout: TimeAmount = .seconds(10)
        /// Proven to the index on every connection when set.
        public var clusterKey: ClusterKey?

        public init(peerID: String, advertised: PeerEndpoint, index: PeerEndpoint, heartbeatInterval: Duration) {
            self.peerID = peerID
            self.advertised = advertised
            self.index = index
            self.heartbeatInterval = heartbeatInterval
        }
    }

    /// What the daemon reports about the link (status line, `p2pctl status`).
    public struct Status: Sendable, Equatable {
        public var reachable = false
        public var registeredFiles = 0
        public var lastError: String?
    }

    private let configuration: Configuration
    private let advertisedPort: Mutex<Int>
    private let catalog: Catalog
    private let logger: Logger
    private let onTasks: @Sendable ([ReplicationTask]) -> Void
    private let state = Mutex(State())

    private struct State {
        var status = Status()
        /// Set by `catalogChanged()`, consumed by the loop.
        var dirty = false
    }

    public init(
        configuration: Configuration, catalog: Catalog, logger: Logger,
        onTasks: @escaping @Sendable ([ReplicationTask]) -> Void
    ) {
        self.configuration = configuration
        self.advertisedPort = Mutex(configuration.advertised.port)
        self.catalog = catalog
        self.logger = logger
        self.onTasks = onTasks
    }

    public var status: Status { state.withLock { $0.status } }

    /// Sets the port to register once the listener is bound (the configured one may be 0).
    public func advertise(port: Int) { advertisedPort.withLock { $0 = port } }

    /// Tells the link the catalog changed; the loop sends the difference within a moment.
    public func catalogChanged() { state.withLock { $0.dirty = true } }

    public func run() async {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    /// Leaves the index at once on a clean stop, instead of after the TTL. Called by the daemon
    /// after `run()` returned, from a task that is not cancelled.
    public func unregister() async {
        guard state.withLock({ $0.status.reachable }) else { return }
        let goodbye = Envelope(type: .unregisterRequest, peerID: configuration.peerID, payload: [:])
        do {
            _ = try await IndexClient.request(
                goodbye, with: configuration.index, timeout: .seconds(2), clusterKey: configuration.clusterKey)
            logger.info("unregistered from the index")
        } catch {
            logger.notice("could not unregister; the index will expire us", metadata: ["error": "\(error)"])
        }
    }

    private func loop() async {
        /// What the index holds for us, as we last told it; `nil` when it does not know us.
        var registered: [String: FileMeta]?
        /// Whether the index speaks only the seed's messages; learnt from the first heartbeat.
        var seedIndex: Bool?
        var backoff = Duration.seconds(1)
        var nextHeartbeat = ContinuousClock.now
        while !Task.isCancelled {
            let dirty = state.withLock { state in
                defer { state.dirty = false }
                return state.dirty
            }
            do {
                if seedIndex == nil {
                    seedIndex = try await heartbeat() == nil
                    if seedIndex == true {
                        logger.notice(
                            "the index speaks only the seed protocol: the whole catalog goes in one message, on every change"
                        )
                    }
                }
                if registered == nil {
                    registered = try await registerAll(inOneMessage: seedIndex == true)
                    nextHeartbeat = .now + configuration.heartbeatInterval
                } else if dirty {
                    // A seed index would read `remove` as another registration: send everything.
                    registered =
                        seedIndex == true
                        ? try await registerAll(inOneMessage: true) : try await sendChanges(since: registered!)
                } else if ContinuousClock.now >= nextHeartbeat {
                    // A seed index has no heartbeat; a periodic registration survives its restarts.
                    // The index may have been replaced by one of the other kind without an
                    // exchange failing: the heartbeat's answer tells, every time.
                    let known = try await heartbeat()
                    if (known == nil) != (seedIndex == true) {
                        seedIndex = known == nil
                        logger.notice("the index changed kind (seed protocol: \(known == nil)); registering again")
                        registered = nil
                    } else if seedIndex == true {
                        registered = try await registerAll(inOneMessage: true)
                    } else if known == false {
                        registered = nil
                    }
                    nextHeartbeat = .now + configuration.heartbeatInterval * (seedIndex == true ? 6 : 1)
                }
                backoff = .seconds(1)
                markReachable(registered?.count)
            } catch {
                if Task.isCancelled { break }
                if dirty { catalogChanged() }
                registered = nil
                seedIndex = nil
                markUnreachable(error)
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, configuration.heartbeatInterval)
                continue
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    private func markReachable(_ files: Int?) {
        let wasReachable = state.withLock { state in
            defer {
                state.status.reachable = true
                state.status.lastError = nil
                if let files { state.status.registeredFiles = files }
            }
            return state.status.reachable
        }
        if !wasReachable { logger.info("index reachable", metadata: ["remote": "\(configuration.index)"]) }
    }

    private func markUnreachable(_ error: any Error) {
        let wasReachable = state.withLock { state in
            defer {
                state.status.reachable = false
                state.status.lastError = "\(error)"
            }
            return state.status.reachable || state.status.lastError == nil
        }
        if wasReachable {
            logger.warning(
                "index unreachable (\(error)); retrying",
                metadata: ["remote": "\(configuration.index)", "error": "\(error)"])
        }
    }

    private var advertisedEndpoint: PeerEndpoint {
        PeerEndpoint(host: configuration.advertised.host, port: advertisedPort.withLock { $0 })
    }

    private func currentFiles() -> [String: FileMeta] {
        var files: [String: FileMeta] = [:]
        for (name, entry) in catalog.snapshot.entries {
            files[name.string] = FileMeta(size: entry.size, sha256: entry.sha256.hex)
        }
        return files
    }

    private func registration(_ files: [SharedFile], mode: RegistrationMode) -> Envelope {
        Envelope(
            type: .registryRequest, peerID: configuration.peerID,
            payload: RegistryRequest(
                endpoint: advertisedEndpoint, files: files, mode: mode,
                heartbeatIntervalSeconds: Int(configuration.heartbeatInterval.components.seconds)
            ).payload)
    }

    /// The whole catalog: one `replace` message, then `add` batches (or, for a seed index, which
    /// answers only the first of several pipelined requests and knows no modes, one message).
    private func registerAll(inOneMessage: Bool) async throws -> [String: FileMeta] {
        let files = currentFiles()
        let list = files.sorted { $0.key < $1.key }.map { SharedFile(name: $0.key, meta: $0.value) }
        var requests: [Envelope] = []
        var start = 0
        repeat {
            let end = inOneMessage ? list.count : min(start + configuration.batchSize, list.count)
            requests.append(registration(Array(list[start..<end]), mode: start == 0 ? .replace : .add))
            start = end
        } while start < list.count
        try await send(requests)
        logger.info(
            "registered with the index", metadata: ["remote": "\(configuration.index)", "files": "\(files.count)"])
        return files
    }

    /// Only what changed since `registered`: removed names, then added or changed files.
    private func sendChanges(since registered: [String: FileMeta]) async throws -> [String: FileMeta] {
        let files = currentFiles()
        let removed = registered.keys.filter { files[$0] == nil }.sorted().map {
            SharedFile(name: $0, meta: FileMeta())
        }
        let added = files.filter { registered[$0.key] != $0.value }.sorted { $0.key < $1.key }
            .map { SharedFile(name: $0.key, meta: $0.value) }
        var requests: [Envelope] = []
        for batch in stride(from: 0, to: removed.count, by: configuration.batchSize) {
            requests.append(
                registration(Array(removed[batch..<min(batch + configuration.batchSize, removed.count)]), mode: .remove)
            )
        }
        for batch in stride(from: 0, to: added.count, by: configuration.batchSize) {
            requests.append(
                registration(Array(added[batch..<min(batch + configuration.batchSize, added.count)]), mode: .add))
        }
        if !requests.isEmpty {
            try await send(requests)
            logger.info("sent catalog changes", metadata: ["added": "\(added.count)", "removed": "\(removed.count)"])
        }
        return files
    }

    private func send(_ requests: [Envelope]) async throws {
        let replies = try await IndexClient.exchange(
            requests, with: configuration.index, timeout: configuration.timeout, clusterKey: configuration.clusterKey)
        var tasks: [ReplicationTask] = []
        for reply in replies {
            if let code = ReplyStatus.errorCode(of: reply.payload) { throw ClientError.refused("index", code: code) }
            tasks += (try? RegistryResponse(payload: reply.payload))?.replicationTasks ?? []
        }
        if !tasks.isEmpty { onTasks(tasks) }
    }

    /// Whether the index knows us; `nil` when it does not speak heartbeats (the seed's index
    /// answers with an error), so we count on its registration lifetime instead.
    private func heartbeat() async throws -> Bool? {
        let reply = try await IndexClient.request(
            Envelope(type: .heartbeatRequest, peerID: configuration.peerID, payload: ["peer": advertisedEndpoint.json]),
            with: configuration.index, timeout: configuration.timeout, clusterKey: configuration.clusterKey)
        // A keyed index refusing us is not a seed index: fail, so the link reports why.
        if let code = ReplyStatus.errorCode(of: reply.payload), code.hasPrefix("cluster_") {
            throw ClientError.refused("index", code: code)
        }
        guard reply.messageType == .heartbeatResponse, let response = try? HeartbeatResponse(payload: reply.payload)
        else { return nil }
        if !response.known, state.withLock({ $0.status.reachable }) {
            logger.notice("the index forgot us (restarted?); registering again")
        }
        return response.known
    }
}
