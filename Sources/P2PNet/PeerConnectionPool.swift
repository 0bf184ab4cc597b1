import NIOCore
import P2PProtocol
import Synchronization

/// Connections to other peers' data ports that served a download and wait, briefly, for the next
/// one to the same peer.
///
/// Downloading many small files from one source used to cost a TCP connect, an accept, a close
/// and the channel set-up on both sides per file, more than sending the bytes. A connection whose
/// last reply echoed `keep_alive` and whose body was read exactly to its end comes back here; the
/// next obtain from the same endpoint takes it instead of connecting. Like
/// ``IndexConnectionPool``, it keeps only a few per endpoint (the client, not the server, bounds
/// how many idle connections it holds), and closes them after `idleTime`, shorter than the time a
/// server of ours waits (5 s), so that a kept connection is rarely found closed by the server.
/// One that is (a restart, a seed-format server) fails before its reply header, and the request
/// is sent again once on a new connection.
///
/// Keyed by endpoint only: a cluster key is one per daemon, and its handshake ran once when the
/// connection opened.
public final class PeerConnectionPool: Sendable {
    /// Idle connections kept per endpoint; more may be open while busy.
    public let maxIdlePerEndpoint: Int
    /// An idle connection is closed after this long.
    public let idleTime: TimeAmount
    private let idle = Mutex<[PeerEndpoint: [Entry]]>([:])
    private let nextEntry = Atomic<UInt64>(0)
    private let reuses = Atomic<Int>(0)

    private struct Entry {
        var id: UInt64
        var connection: PeerConnection
    }

    public init(maxIdlePerEndpoint: Int = 4, idleTime: TimeAmount = .seconds(2)) {
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
        self.idleTime = idleTime
    }

    deinit {
        for entries in idle.withLock({ $0.values }) {
            for entry in entries { entry.connection.close() }
        }
    }

    /// How many requests went out on a kept connection (each saved a connect).
    public var reuseCount: Int { reuses.load(ordering: .relaxed) }

    /// Connections to `endpoint` waiting now.
    public func idleCount(for endpoint: PeerEndpoint) -> Int {
        idle.withLock { $0[endpoint]?.count ?? 0 }
    }

    /// An open idle connection to `endpoint`, preferring one on the caller's event loop (a task
    /// running there then reads it without a thread hop).
    func take(_ endpoint: PeerEndpoint) -> PeerConnection? {
        let taken = idle.withLock { idle -> PeerConnection? in
            guard var entries = idle[endpoint] else { return nil }
            entries.removeAll { !$0.connection.channel.isActive }
            let index =
                entries.lastIndex { $0.connection.channel.eventLoop.inEventLoop } ?? entries.indices.last
            let taken = index.map { entries.remove(at: $0).connection }
            idle[endpoint] = entries.isEmpty ? nil : entries
            return taken
        }
        if taken != nil { reuses.add(1, ordering: .relaxed) }
        return taken
    }

    /// Keeps `connection` for a later request to the same endpoint, or closes it when it cannot
    /// carry one (closed, unread bytes left) or enough are kept already.
    func giveBack(_ connection: PeerConnection) {
        guard connection.isReusable else {
            connection.close()
            return
        }
        let id = nextEntry.add(1, ordering: .relaxed).newValue
        let kept = idle.withLock { idle in
            var entries = idle[connection.endpoint, default: []]
            entries.removeAll { !$0.connection.channel.isActive }
            guard entries.count < maxIdlePerEndpoint else { return false }
            entries.append(Entry(id: id, connection: connection))
            idle[connection.endpoint] = entries
            return true
        }
        guard kept else {
            connection.close()
            return
        }
        connection.channel.eventLoop.scheduleTask(in: idleTime) { self.expire(id, endpoint: connection.endpoint) }
    }

    /// Closes the kept connection `id` if it is still idle.
    private func expire(_ id: UInt64, endpoint: PeerEndpoint) {
        let expired = idle.withLock { idle -> PeerConnection? in
            guard var entries = idle[endpoint], let index = entries.firstIndex(where: { $0.id == id }) else {
                return nil
            }
            let connection = entries.remove(at: index).connection
            idle[endpoint] = entries.isEmpty ? nil : entries
            return connection
        }
        expired?.close()
    }
}
