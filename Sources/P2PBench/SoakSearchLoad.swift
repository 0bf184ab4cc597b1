import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// Many concurrent clients of the index, each a TCP connection held open for the whole soak
/// that sends an exact-name search, waits for the reply, pauses, and sends the next.
///
/// A thousand clients as a thousand threads would measure the scheduler of a 2-core machine,
/// so a few threads each drive their share of the connections with poll(2), non-blocking. A reply
/// must say `ok` and list the file (every query names a file the index holds), within the reply
/// timeout; anything else is an error and fails the soak.
public final class SoakSearchLoad: Sendable {
    public struct Configuration: Sendable {
        public var index: SocketAddress
        public var connections: Int
        /// Names the index holds; each search asks for one of them.
        public var queries: [String]
        public var threads = 2
        /// Pause between a reply and the next search on the same connection.
        public var pauseMilliseconds = 200
        public var replyTimeoutSeconds = 10.0

        public init(index: SocketAddress, connections: Int, queries: [String]) {
            self.index = index
            self.connections = connections
            self.queries = queries
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        guard configuration.connections > 0, configuration.threads > 0 else {
            throw .invalidArgument("the search load needs at least one connection and one thread")
        }
        guard !configuration.queries.isEmpty else { throw .invalidArgument("the search load needs names to search") }
        self.configuration = configuration
    }

    /// Opens every connection, then searches until `end` (monotonic nanoseconds), and waits for
    /// the replies still in flight. Latencies are kept from `start` on (the warm-up before it is
    /// checked but not measured); seconds in the tally count from `start`.
    public func run(start: UInt64, end: UInt64) -> SoakTally {
        let threads = min(configuration.threads, configuration.connections)
        let (tallies, _) = ThreadGang.run(threads) { thread, gate -> SoakTally in
            // Connections thread, thread + threads, …: an even share each.
            let total = self.configuration.connections
            let mine = total / threads + (thread < total % threads ? 1 : 0)
            let worker = SoakSearchWorker(
                configuration: self.configuration, connections: mine, seed: UInt64(thread + 1))
            gate.wait()
            return worker.run(start: start, end: end)
        }
        var total = SoakTally()
        for tally in tallies { total.merge(tally) }
        return total
    }
}

/// One thread's share of the search connections and its poll loop.
private final class SoakSearchWorker {
    private struct Connection {
        var descriptor: Int32
        /// When the search in flight was sent; 0 when none is.
        var sentAt: UInt64 = 0
        var pending: [UInt8] = []
        var query = ""
        var open = true
    }

    private let configuration: SoakSearchLoad.Configuration
    private var connections: [Connection] = []
    /// Idle connections in the order they may send again, with the time they may.
    private var due: [(index: Int, at: UInt64)] = []
    private var dueStart = 0
    private var tally = SoakTally()
    private var random: FastRandom
    /// One entry per connection, same index; a dropped connection's descriptor is -1 (poll
    /// skips it).
    private var polled: [pollfd] = []
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    init(configuration: SoakSearchLoad.Configuration, connections count: Int, seed: UInt64) {
        self.configuration = configuration
        random = FastRandom(seed: seed)
        for _ in 0..<count {
            do {
                let descriptor = try Self.connect(configuration.index)
                polled.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
                connections.append(Connection(descriptor: descriptor))
            } catch {
                tally.fail("connect to the index: \(error)")
            }
        }
    }

    deinit {
        for connection in connections where connection.descriptor >= 0 { close(connection.descriptor) }
    }

    func run(start: UInt64, end: UInt64) -> SoakTally {
        let pause = UInt64(configuration.pauseMilliseconds) * 1_000_000
        // Spread the first searches over one pause so the clients do not move in lockstep.
        let begin = MonotonicTime.now()
        let spread = connections.indices.map { ($0, begin + (pause > 0 ? random.next() % pause : 0)) }
        due = spread.sorted { $0.1 < $1.1 }.map { (index: $0.0, at: $0.1) }
        let timeout = UInt64(configuration.replyTimeoutSeconds * 1e9)
        var lastTimeoutScan = MonotonicTime.now()
        while true {
            let now = MonotonicTime.now()
            let sending = now < end
            if sending { sendDue(now: now, start: start) }
            if now - lastTimeoutScan > 500_000_000 {
                lastTimeoutScan = now
                expire(now: now, timeout: timeout)
            }
            let inFlight = connections.contains { $0.open && $0.sentAt != 0 }
            if !sending && !inFlight { break }
            var wait = 100
            if sending, dueStart < due.count {
                let next = due[dueStart].at
                wait = next <= now ? 0 : min(100, Int((next - now) / 1_000_000) + 1)
            }
            let ready = poll(&polled, nfds_t(polled.count), Int32(wait))
            guard ready > 0 else { continue }
            let received = MonotonicTime.now()
            for index in polled.indices where polled[index].revents != 0 {
                polled[index].revents = 0
                read(index, at: received, start: start, pause: pause)
            }
        }
        return tally
    }

    private func sendDue(now: UInt64, start: UInt64) {
        while dueStart < due.count, due[dueStart].at <= now {
            let index = due[dueStart].index
            dueStart += 1
            guard connections[index].open else { continue }
            let query = configuration.queries[Int(random.next() % UInt64(configuration.queries.count))]
            let line = Envelope(type: .searchRequest, payload: SearchRequest(query: query).payload).encodedLine()
            let sent = line.withUnsafeBytes {
                Glibc.send(connections[index].descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent == line.count else {
                drop(index, "send: \(SystemErrorText.describe(errno))")
                continue
            }
            connections[index].sentAt = MonotonicTime.now()
            connections[index].query = query
        }
        // Keep the queue's storage from growing for the whole run.
        if dueStart > 4096 {
            due.removeFirst(dueStart)
            dueStart = 0
        }
    }

    private func read(_ index: Int, at now: UInt64, start: UInt64, pause: UInt64) {
        guard connections[index].open else { return }
        while true {
            let count = buffer.withUnsafeMutableBytes {
                recv(connections[index].descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 {
                connections[index].pending.append(contentsOf: buffer[0..<count])
                continue
            }
            if count == 0 {
                drop(index, "the index closed a connection")
                return
            }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            if errno == EINTR { continue }
            drop(index, "recv: \(SystemErrorText.describe(errno))")
            return
        }
        while let newline = connections[index].pending.firstIndex(of: 0x0A) {
            let line = Array(connections[index].pending[..<newline])
            connections[index].pending.removeFirst(newline + 1)
            guard connections[index].sentAt != 0 else {
                drop(index, "the index sent a line nobody asked for")
                return
            }
            let latency = now - connections[index].sentAt
            connections[index].sentAt = 0
            if let problem = Self.check(line, query: connections[index].query) {
                tally.fail(problem)
            } else {
                // Replies during the warm-up are checked but not measured.
                if now >= start { tally.record(latency: latency, at: Int((now - start) / 1_000_000_000)) }
            }
            due.append((index, now + pause))
        }
    }

    /// Why a reply is wrong, or `nil`.
    private static func check(_ line: [UInt8], query: String) -> String? {
        let envelope: Envelope
        do {
            envelope = try line.withUnsafeBytes { raw throws(ProtocolError) in try Envelope(line: raw) }
        } catch {
            return "an unreadable search reply: \(error)"
        }
        guard envelope.payload["status"] == "ok" else {
            return "search \(query): \(envelope.payload.serialized)"
        }
        guard let results = try? SearchResponse(payload: envelope.payload).results, !results.isEmpty else {
            return "search \(query) found nothing, though a peer shares it"
        }
        return nil
    }

    private func expire(now: UInt64, timeout: UInt64) {
        for index in connections.indices
        where connections[index].open && connections[index].sentAt != 0 && connections[index].sentAt < now
            && now - connections[index].sentAt > timeout
        {
            drop(index, "no reply to a search in \(configuration.replyTimeoutSeconds) s")
        }
    }

    private func drop(_ index: Int, _ reason: String) {
        tally.fail(reason)
        connections[index].open = false
        connections[index].sentAt = 0
        close(connections[index].descriptor)
        connections[index].descriptor = -1
        polled[index].fd = -1
    }

    /// A blocking connect (the index's backlog takes them as fast as we make them), then
    /// non-blocking, Nagle off.
    private static func connect(_ address: SocketAddress) throws(BenchError) -> Int32 {
        let descriptor = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system("socket", path: address.text, errno: errno) }
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, address.length) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw .system("connect", path: address.text, errno: code)
        }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        return descriptor
    }
}
