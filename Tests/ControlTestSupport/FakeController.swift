import P2PNet
import P2PProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A `PeerController` with canned answers, for testing the control server and p2pctl without a
/// peer daemon. It records what it was asked, and fails on cue:
/// - a download or replication of `boom` throws a two-line error (the reply must be one line);
/// - a download of `slow` reports progress until it is cancelled (the client went away);
/// - `peers()` throws while `failPeers` is set.
public final class FakeController: PeerController {
    public static let digest = String(repeating: "5e", count: 32)
    public static let otherDigest = String(repeating: "0f", count: 32)

    /// Where `download` says it put files; holds real files so `--to DIR` can copy them.
    public let stateDirectory: String
    private let state = Mutex(State())

    struct State {
        var requests: [String] = []
        var failPeers = false
        var cancelledDownloads = 0
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter stateDirectory: gets `downloaded/` and `replicated/` with the canned files.
    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
        for folder in ["downloaded", "replicated"] { mkdir(stateDirectory + "/" + folder, 0o755) }
        Self.writeFile(stateDirectory + "/downloaded/song.ogg", Self.songBytes)
        Self.writeFile(stateDirectory + "/downloaded/old.txt", Array("seed file\n".utf8))
        Self.writeFile(stateDirectory + "/replicated/x.bin", [1, 2, 3])
    }

    /// The canned file's contents: 3000 bytes.
    public static let songBytes: [UInt8] = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    /// Requests in the order they arrived, as short strings ("download song.ogg").
    public var requests: [String] { state.withLock { $0.requests } }
    public var cancelledDownloads: Int { state.withLock { $0.cancelledDownloads } }
    public func setFailPeers(_ fail: Bool) { state.withLock { $0.failPeers = fail } }

    private func record(_ request: String) { state.withLock { $0.requests.append(request) } }

    public static let results: [SearchResult] = [
        SearchResult(
            peerID: "peer1", endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100), fileName: "song.ogg",
            meta: FileMeta(size: 3000, sha256: digest)),
        SearchResult(
            peerID: "peer3", endpoint: PeerEndpoint(host: "10.1.2.3", port: 7102), fileName: "song.ogg",
            meta: FileMeta(size: 3000, sha256: digest)),
        SearchResult(
            peerID: "seed", endpoint: PeerEndpoint(host: "10.1.2.4", port: 7100), fileName: "old.txt",
            meta: FileMeta(size: 10)),
    ]

    public func search(_ request: SearchRequest) async throws -> [SearchResult] {
        record("search \(request.mode.rawValue) \(request.query)")
        let matches = Self.results.filter { result in
            switch request.mode {
            case .exact: result.fileName == request.query
            case .substring: result.fileName.contains(request.query)
            case .glob: true
            case .sha256: result.meta.sha256 == request.query
            }
        }
        return Array(matches.prefix(request.limit ?? .max))
    }

    public func download(
        _ command: DownloadCommand, progress: @escaping @Sendable (TransferProgress) -> Void
    ) async throws -> DownloadOutcome {
        record("download \(command.fileName ?? "-") \(command.sha256 ?? "-")")
        switch command.fileName {
        case "boom":
            throw Failure(description: "no peer could serve boom:\nall 2 sources failed")
        case "slow":
            // Stalls at 1 byte, still reporting: the way a client's departure is noticed.
            do {
                while true {
                    progress(TransferProgress(bytes: 1, total: 3000, source: "peer1"))
                    try await Task.sleep(for: .milliseconds(50))
                }
            } catch {
                state.withLock { $0.cancelledDownloads += 1 }
                throw error
            }
        case "old.txt":
            return DownloadOutcome(
                fileName: "old.txt", path: stateDirectory + "/downloaded/old.txt", size: 10, sha256: nil,
                verified: false, sources: ["seed"])
        default:
            break
        }
        for bytes in stride(from: 1000, through: 3000, by: 1000) {
            progress(TransferProgress(bytes: Int64(bytes), total: 3000, source: bytes < 3000 ? "peer1" : "peer3"))
            try await Task.sleep(for: .milliseconds(30))
        }
        let note =
            command.sha256 == nil
            ? "2 different files are named song.ogg; chose sha256 5e5e5e5e5e5e held by 2 peers" : nil
        return DownloadOutcome(
            fileName: "song.ogg", path: stateDirectory + "/downloaded/song.ogg", size: 3000, sha256: Self.digest,
            verified: true, resumedFrom: 0, sources: ["peer1", "peer3"], note: note)
    }

    public static let stats = PeerStats(
        peerID: "peer2", filesShared: 3, filesReplicated: 1, bytesUploaded: 1_048_576, bytesDownloaded: 3000,
        uploadRate: 2048, downloadRate: 0, uploadsInFlight: 1, downloadsInFlight: 0, downloadsCompleted: 4,
        downloadsFailed: 1, indexReachable: true)

    public func stats() async -> PeerStats {
        record("stats")
        return Self.stats
    }

    public func localFiles() async -> [LocalFile] {
        record("ls")
        return [
            LocalFile(name: "mine.txt", folder: .shared, size: 12, sha256: Self.otherDigest),
            LocalFile(name: "x.bin", folder: .replicated, size: 3, sha256: nil),
            LocalFile(name: "song.ogg", folder: .downloaded, size: 3000, sha256: Self.digest),
        ]
    }

    public static let peers = [
        PeerSummary(
            peerID: "peer1", endpoint: PeerEndpoint(host: "127.0.0.1", port: 7100), fileCount: 3,
            idleMilliseconds: 1500, heartbeats: true),
        PeerSummary(
            peerID: "seed", endpoint: PeerEndpoint(host: "10.1.2.4", port: 7100), fileCount: 1101,
            idleMilliseconds: 60_000, heartbeats: false),
    ]

    public func peers() async throws -> [PeerSummary] {
        record("peers")
        if state.withLock({ $0.failPeers }) { throw Failure(description: "index 127.0.0.1:7000 unreachable") }
        return Self.peers
    }

    public func replicate(fileName: String) async throws -> DownloadOutcome {
        record("replicate \(fileName)")
        if fileName == "boom" { throw Failure(description: "no peer has boom") }
        return DownloadOutcome(
            fileName: fileName, path: stateDirectory + "/replicated/" + fileName, size: 3, sha256: Self.otherDigest,
            verified: true, sources: ["peer1"])
    }

    public static let status = PeerStatus(
        peerID: "peer2", version: P2PVersion.current, listen: "0.0.0.0:7101", index: "127.0.0.1:7000",
        indexReachable: true, registeredFiles: 3, uptimeSeconds: 3725, state: "Uploading 2 KB/s, Downloading 0 KB/s")

    public func status() async -> PeerStatus {
        record("status")
        return Self.status
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
