import P2PCatalog
import Synchronization

/// How far the catalog's current hashing pass has come, for `STATUS=`: a first start over a
/// large folder hashes for minutes, and the admin should see that rather than a silent daemon.
final class HashingProgress: Sendable {
    private let current = Mutex<RefreshProgress?>(nil)

    func update(_ progress: RefreshProgress) { current.withLock { $0 = progress } }
    func finish() { current.withLock { $0 = nil } }

    /// "Hashing 12/100 files (34%)", or `nil` when nothing is being hashed.
    var summary: String? {
        guard let progress = current.withLock({ $0 }), progress.filesTotal > 0 else { return nil }
        let percent = progress.bytesTotal > 0 ? Int(progress.bytesDone * 100 / progress.bytesTotal) : 0
        return "Hashing \(progress.filesDone)/\(progress.filesTotal) files (\(percent)%)"
    }
}
