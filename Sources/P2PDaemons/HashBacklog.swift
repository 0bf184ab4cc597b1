import Synchronization

/// Bytes received and written but not yet hashed: the download loop waits while this is above
/// `limit`, so a slow hasher (a busy machine) cannot make a download hold a whole file in memory.
final class HashBacklog: Sendable {
    static let limit = 32 << 20
    private let count = Atomic<Int>(0)

    func add(_ bytes: Int) { count.add(bytes, ordering: .relaxed) }
    var bytes: Int { count.load(ordering: .relaxed) }
}
