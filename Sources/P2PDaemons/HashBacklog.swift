import Synchronization

/// Bytes received and written but not yet hashed: the download loop waits while this is above
/// `limit`, so a slow hasher (a busy machine) cannot make a download hold a whole file in memory.
/// 8 MiB is a few received chunks: enough to ride out a scheduling hiccup, small enough that the
/// chunks are still in the shared CPU cache when the hasher reads them.
final class HashBacklog: Sendable {
    static let limit = 8 << 20
    private let count = Atomic<Int>(0)

    func add(_ bytes: Int) { count.add(bytes, ordering: .relaxed) }
    var bytes: Int { count.load(ordering: .relaxed) }
}
