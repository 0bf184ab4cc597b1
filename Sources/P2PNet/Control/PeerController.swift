import P2PProtocol

/// What the control socket can ask of a peer daemon. The daemon implements it; `ControlServer`
/// turns each request line into one call and the result (or the thrown error) into the reply.
///
/// Errors are shown to the user as `String(describing: error)` on one line, so a thrown error's
/// description should say what went wrong in the user's terms ("no peer has song.ogg").
/// Calls may run concurrently (one per control connection). When the client goes away mid-call
/// the calling task is cancelled; a download should then stop and keep its `.part` for resuming.
public protocol PeerController: Sendable {
    /// Ask the index.
    func search(_ request: SearchRequest) async throws -> [SearchResult]

    /// Download into the daemon's `downloaded/` folder, reporting progress as it goes. `progress`
    /// may be called as often as convenient: the server sends the client only the latest value.
    func download(
        _ command: DownloadCommand, progress: @escaping @Sendable (TransferProgress) -> Void
    ) async throws -> DownloadOutcome

    func stats() async -> PeerStats

    /// Every file in `shared/`, `replicated/` and `downloaded/`.
    func localFiles() async -> [LocalFile]

    /// The peers the index knows.
    func peers() async throws -> [PeerSummary]

    /// Copy a file into `replicated/`, as a replication task from the index would.
    func replicate(fileName: String) async throws -> DownloadOutcome

    func status() async -> PeerStatus
}
