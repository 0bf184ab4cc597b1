import NIOCore
import Synchronization

/// Counts a server's open connections and refuses those over the limit, so a flood of clients
/// costs a closed socket each instead of the daemon's file descriptors and memory.
public final class ConnectionLimiter: Sendable {
    public let limit: Int
    private let open = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = limit
    }

    public var openConnections: Int { open.load(ordering: .relaxed) }

    /// Takes a slot for `channel` and gives it back when the channel closes; `false` when full.
    func admit(_ channel: Channel) -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        channel.closeFuture.whenComplete { _ in self.open.wrappingSubtract(1, ordering: .relaxed) }
        return true
    }
}
