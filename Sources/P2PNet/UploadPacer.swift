import NIOCore
import Synchronization

/// Shares one rate among all uploads to the same remote address (`[Transfer] PeerRateLimit=`).
///
/// A per-transfer limit alone lets a downloader that opens eight connections take eight times the
/// limit. The pacer keeps, per remote IP, the time at which its next byte may go; every sendfile
/// write reserves its share of that schedule before it starts (`due = max(now, next)`, then
/// `next = due + bytes / rate`) and waits until `due`. The writes of all connections from one
/// address then queue on one timeline, so their sum averages no more than the rate.
///
/// Taking `max(now, next)` means an idle address earns no credit: after a pause the schedule
/// restarts at the present instead of allowing a burst to catch up. An entry lives only while the
/// address has an upload in flight (``begin(address:)`` … ``end(address:)``), so many clients that
/// come and go leave nothing behind. Handlers on different event loops share one pacer, hence the
/// lock; it is held only for a dictionary update.
final class UploadPacer: Sendable {
    /// The shared rate, bytes per second; above zero.
    let bytesPerSecond: Int64
    private let now: @Sendable () -> NIODeadline
    private let schedule = Mutex<[String: Entry]>([:])

    private struct Entry {
        /// When the next reserved byte may go.
        var next: NIODeadline
        /// Uploads to this address between `begin` and `end`.
        var uploads: Int
    }

    /// - Parameters:
    ///   - bytesPerSecond: the rate all uploads to one address share; must be above zero.
    ///   - now: the clock; injected so tests can check the arithmetic without waiting.
    init(bytesPerSecond: Int64, now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        precondition(bytesPerSecond > 0, "an upload pacer needs a positive rate")
        self.bytesPerSecond = bytesPerSecond
        self.now = now
    }

    /// Registers an upload to `address`; pair every call with one ``end(address:)``.
    func begin(address: String) {
        let start = now()
        schedule.withLock { entries in
            entries[address, default: Entry(next: start, uploads: 0)].uploads += 1
        }
    }

    /// Reserves the next `bytes` for `address` and returns when they may be sent.
    ///
    /// Call it between ``begin(address:)`` and ``end(address:)``; outside them the address is not
    /// tracked (keeping it would leak an entry), so the bytes may go at once.
    func reserve(_ bytes: Int64, for address: String) -> NIODeadline {
        let current = now()
        let share = duration(of: bytes)
        return schedule.withLock { entries in
            guard var entry = entries[address] else { return current }
            let due = max(current, entry.next)
            entry.next = due + share
            entries[address] = entry
            return due
        }
    }

    /// Ends an upload to `address`; the address is forgotten when none is left.
    func end(address: String) {
        schedule.withLock { entries in
            guard var entry = entries[address] else { return }
            entry.uploads -= 1
            entries[address] = entry.uploads > 0 ? entry : nil
        }
    }

    /// Addresses with an upload in flight; lets tests see that finished clients are forgotten.
    var trackedAddresses: Int { schedule.withLock { $0.count } }

    /// How long `bytes` take at the rate, rounded down to the nanosecond (writes are at most
    /// 256 KiB, so the exact integer path is the one taken; the other only avoids a trap).
    func duration(of bytes: Int64) -> TimeAmount {
        let (product, overflow) = bytes.multipliedReportingOverflow(by: 1_000_000_000)
        if !overflow { return .nanoseconds(product / bytesPerSecond) }
        let nanoseconds = Double(bytes) / Double(bytesPerSecond) * 1e9
        return .nanoseconds(nanoseconds < 1e18 ? Int64(nanoseconds) : 1_000_000_000_000_000_000)
    }
}
