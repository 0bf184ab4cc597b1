import NIOCore
import Synchronization

/// Counts a server's open connections, in all and per client address, and refuses those over
/// either limit, so a flood of clients costs a closed socket each instead of the daemon's file
/// descriptors and memory, and one greedy host cannot take every slot from the others.
public final class ConnectionLimiter: Sendable {
    /// What `admission(of:)` decided for one new connection.
    enum Admission: Equatable {
        case admitted
        /// The server holds `limit` connections.
        case full
        /// This connection's source address holds `perClientLimit` connections.
        case clientFull
    }

    public let limit: Int
    /// Open connections allowed from one source address (IP, any port). Connections without an
    /// IP (a Unix socket) count only against `limit`.
    public let perClientLimit: Int
    private let open = Atomic<Int>(0)
    private let perClient = Mutex<[String: Int]>([:])

    public init(limit: Int, perClientLimit: Int = .max) {
        self.limit = limit
        self.perClientLimit = perClientLimit
    }

    public var openConnections: Int { open.load(ordering: .relaxed) }

    /// Open connections from `address` (an IP as NIO prints it).
    public func openConnections(from address: String) -> Int {
        perClient.withLock { $0[address] ?? 0 }
    }

    /// Takes a slot for `channel` and gives it back when the channel closes; `false` when full.
    func admit(_ channel: Channel) -> Bool {
        admission(of: channel) == .admitted
    }

    /// Takes a slot for `channel` (in all and for its source address) and gives both back when it
    /// closes; takes nothing when either limit is reached.
    func admission(of channel: Channel) -> Admission {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return .full
        }
        let client = channel.remoteAddress?.ipAddress
        if let client {
            let taken = perClient.withLock { counts -> Bool in
                let held = counts[client] ?? 0
                guard held < perClientLimit else { return false }
                counts[client] = held + 1
                return true
            }
            guard taken else {
                open.wrappingSubtract(1, ordering: .relaxed)
                return .clientFull
            }
        }
        channel.closeFuture.whenComplete { _ in
            self.open.wrappingSubtract(1, ordering: .relaxed)
            if let client { self.release(client) }
        }
        return .admitted
    }

    private func release(_ client: String) {
        perClient.withLock { counts in
            let held = (counts[client] ?? 1) - 1
            counts[client] = held > 0 ? held : nil
        }
    }
}
