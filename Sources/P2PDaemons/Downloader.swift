import Logging
import NIOCore
import P2PCatalog
import P2PCluster
import P2PNet
import P2PProtocol
import P2PTransfer
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Fetches files from other peers by the spec's "nothing lost, nothing corrupt" rules.
///
/// Bytes go to `<name>.part`, hashed as they are written; a source that fails mid-file is
/// replaced by the next holder of the same SHA-256, resuming at the `.part`'s length; the file is
/// renamed into place only after its hash (or, without one, its size) checks out.
public final class Downloader: Sendable {
    /// Called with (bytes on disk, total size, source peer id) as bytes arrive.
    public typealias Progress = @Sendable (Int64, Int64, String) -> Void

    private let selfID: String
    private let fsync: Bool
    private let timeout: TimeAmount
    private let counters: TransferCounters
    private let logger: Logger
    private let inFlight = Mutex<Set<String>>([])
    /// Proven to every source when set (`[Peer] ClusterKeyFile`).
    private let clusterKey: ClusterKey?
    /// Connections to sources kept between downloads: many small files from one source then cost
    /// one connect, not one each.
    public let connections: PeerConnectionPool
    /// Bytes between two progress reports: each report wakes the control connection to write an
    /// event line, and once per received chunk that is a thousand lines a second on a fast link
    /// for nothing a user can see; every 4 MiB (and at the end) still updates often.
    static let progressStep: Int64 = 4 << 20
    /// Bodies up to this size are hashed by the receiving task itself (see `receiveHashingInline`).
    static let inlineHashLimit: Int64 = 256 << 10

    public init(
        selfID: String, fsync: Bool, timeout: TimeAmount, counters: TransferCounters, logger: Logger,
        clusterKey: ClusterKey? = nil, connections: PeerConnectionPool = PeerConnectionPool()
    ) {
        self.clusterKey = clusterKey
        self.connections = connections
        self.selfID = selfID
        self.fsync = fsync
        self.timeout = timeout
        self.counters = counters
        self.logger = logger
    }

    public func download(
        _ plan: DownloadPlan, into directory: String, progress: Progress = { _, _, _ in }
    ) async throws -> DownloadOutcome {
        let name: FileName
        do { name = try FileName(plan.fileName) } catch { throw DownloadError.invalidName(plan.fileName, "\(error)") }
        let key = directory + "/" + name.string
        guard inFlight.withLock({ $0.insert(key).inserted }) else { throw DownloadError.alreadyInProgress(name.string) }
        defer { _ = inFlight.withLock { $0.remove(key) } }
        counters.downloadsInFlight.add(1, ordering: .relaxed)
        defer { counters.downloadsInFlight.subtract(1, ordering: .relaxed) }
        do {
            let result: DownloadOutcome
            if let size = plan.size, size <= Self.inlineHashLimit {
                result = try await fetch(plan, name: name, directory: directory, progress: progress)
            } else {
                // Off the caller's event loop (see EventLoopTaskExecutor): for a big file the loop
                // keeps reading the socket while a pool thread writes and another hashes.
                result = try await withTaskExecutorPreference(globalConcurrentExecutor) {
                    try await fetch(plan, name: name, directory: directory, progress: progress)
                }
            }
            counters.downloadsCompleted.add(1, ordering: .relaxed)
            return result
        } catch {
            counters.downloadsFailed.add(1, ordering: .relaxed)
            throw error
        }
    }

    private func fetch(
        _ plan: DownloadPlan, name: FileName, directory: String, progress: Progress
    ) async throws -> DownloadOutcome {
        let part = try PartFile(directory: directory, name: name)
        var hasher = IncrementalHasher()
        if let size = plan.size, part.length > size { try part.truncate(to: 0) }
        if part.length > 0 { try part.hashExisting(into: &hasher) }
        let resumedFrom = part.length
        if resumedFrom > 0 {
            logger.info("resuming", metadata: ["file_name": "\(name)", "bytes": "\(resumedFrom)"])
        }
        var expectedSize = plan.size
        var used: [String] = []
        var failures: [String] = []
        for source in plan.sources {
            if let size = expectedSize, part.length == size, size > 0 { break }
            do {
                try await fetch(
                    from: source, plan: plan, part: part, hasher: &hasher, expectedSize: &expectedSize,
                    progress: progress)
                used.append(source.peerID)
                break
            } catch is CancellationError {
                break
            } catch let error as SystemError where error.errno == ENOSPC || error.errno == EDQUOT {
                part.checkpoint()
                logger.error(
                    "disk full while downloading; the .part is kept for resuming",
                    metadata: ["file_name": "\(name)", "bytes": "\(part.length)"])
                throw DownloadError.diskFull(directory, partBytes: part.length)
            } catch {
                if part.length > resumedFrom { used.append(source.peerID) }
                failures.append("\(source.peerID): \(error)")
                logger.warning(
                    "source failed; trying the next",
                    metadata: ["source_peer": "\(source.peerID)", "file_name": "\(name)", "error": "\(error)"])
            }
        }
        if Task.isCancelled {
            // The daemon is stopping (or the client left): keep what arrived for the next attempt.
            part.checkpoint()
            logger.info(
                "download interrupted; the .part is kept",
                metadata: ["file_name": "\(name)", "bytes": "\(part.length)"])
            throw CancellationError()
        }
        guard let size = expectedSize, part.length == size else {
            part.checkpoint()
            throw DownloadError.allSourcesFailed(name.string, failures)
        }
        let digest = hasher.finalize().description
        if let wanted = plan.sha256, digest != wanted {
            part.discard()
            logger.error(
                "hash mismatch; the download is discarded", metadata: ["file_name": "\(name)", "sha256": "\(digest)"])
            throw DownloadError.hashMismatch(name.string, expected: wanted, got: digest)
        }
        let path = try part.commit(sync: fsync)
        logger.info(
            "downloaded",
            metadata: [
                "file_name": "\(name)", "bytes": "\(size)", "sha256": "\(digest)",
                "source_peers": "\(used.joined(separator: ","))",
            ])
        return DownloadOutcome(
            fileName: name.string, path: path, size: size, sha256: plan.sha256 ?? digest, verified: plan.sha256 != nil,
            resumedFrom: resumedFrom, sources: used, note: plan.note)
    }

    /// One attempt from one source, appending to `part` from its current length.
    private func fetch(
        from source: SearchResult, plan: DownloadPlan, part: PartFile, hasher: inout IncrementalHasher,
        expectedSize: inout Int64?, progress: Progress
    ) async throws {
        let request = ObtainRequest(
            fileName: source.fileName, sha256: plan.sha256, offset: part.length, keepAlive: true)
        let envelope = Envelope(type: .obtainRequest, peerID: selfID, payload: request.payload)
        try await PeerClient.obtain(
            envelope, from: source.endpoint, timeout: timeout, clusterKey: clusterKey, pool: connections
        ) { header, body in
            if let offset = header.offset {
                guard offset == part.length else {
                    throw DownloadError.protocolViolation("offset \(offset) was not asked for")
                }
            } else if part.length > 0 {
                // A seed peer ignores offsets and streams from byte 0: start over, never append.
                try part.truncate(to: 0)
                hasher = IncrementalHasher()
            }
            if let size = expectedSize, header.fileSize != size {
                throw DownloadError.protocolViolation("size \(header.fileSize), expected \(size)")
            }
            if let announced = header.sha256, let wanted = plan.sha256, announced != wanted {
                throw DownloadError.protocolViolation("it serves sha256 \(announced)")
            }
            expectedSize = header.fileSize
            if header.bodyLength <= Self.inlineHashLimit {
                // No progress report: the reply follows at once and says everything it would.
                try await Self.receiveHashingInline(&body, into: part, hasher: &hasher, counters: counters)
                if body.remaining > 0 { throw DownloadError.shortTransfer(missing: body.remaining) }
                return
            }
            try await Self.receiveHashingAside(
                &body, into: part, hasher: &hasher, counters: counters,
                progress: { progress($0, header.fileSize, source.peerID) })
            if body.remaining > 0 { throw DownloadError.shortTransfer(missing: body.remaining) }
        }
    }

    /// Writes and hashes a small body in the receiving task: for a few hundred KiB the hashing
    /// takes less time than starting a second task and handing it the chunks would.
    private static func receiveHashingInline(
        _ body: inout BodyReader, into part: PartFile, hasher: inout IncrementalHasher, counters: TransferCounters
    ) async throws {
        while let chunk = try await body.next() {
            try chunk.withUnsafeReadableBytes { bytes in
                try part.append(bytes)
                hasher.update(bytes)
            }
            counters.bytesDownloaded.add(Int64(chunk.readableBytes), ordering: .relaxed)
        }
    }

    /// Writes a big body to `part` while a child task hashes each chunk once it is on disk, so
    /// the digest always covers exactly the `.part`. Reports progress every `progressStep` bytes
    /// and at the end.
    private static func receiveHashingAside(
        _ body: inout BodyReader, into part: PartFile, hasher: inout IncrementalHasher, counters: TransferCounters,
        progress: (Int64) -> Void
    ) async throws {
        let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
        let backlog = HashBacklog()
        async let hashed = Self.hash(chunks, from: hasher, backlog: backlog)
        var reported = part.length
        let end = part.length + body.remaining
        do {
            while let chunk = try await body.next() {
                try chunk.withUnsafeReadableBytes { try part.append($0) }
                backlog.add(chunk.readableBytes)
                feed.yield(chunk)
                counters.bytesDownloaded.add(Int64(chunk.readableBytes), ordering: .relaxed)
                if part.length - reported >= Self.progressStep || part.length == end {
                    reported = part.length
                    progress(part.length)
                }
                // Bound the memory held for hashing if hashing ever falls behind.
                while backlog.bytes > HashBacklog.limit { try await Task.sleep(for: .milliseconds(1)) }
            }
        } catch {
            feed.finish()
            hasher = await hashed
            throw error
        }
        feed.finish()
        hasher = await hashed
    }

    /// Feeds `chunks` into a copy of `start` and returns it once the stream ends.
    private static func hash(
        _ chunks: AsyncStream<ByteBuffer>, from start: IncrementalHasher, backlog: HashBacklog
    ) async -> IncrementalHasher {
        var hasher = start
        for await chunk in chunks {
            chunk.withUnsafeReadableBytes { hasher.update($0) }
            backlog.add(-chunk.readableBytes)
        }
        return hasher
    }
}

/// Why a download did not produce a file. Each leaves no file under the final name.
public enum DownloadError: Error, CustomStringConvertible, Equatable {
    case invalidName(String, String)
    case alreadyInProgress(String)
    case diskFull(String, partBytes: Int64)
    case allSourcesFailed(String, [String])
    case hashMismatch(String, expected: String, got: String)
    case shortTransfer(missing: Int64)
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .invalidName(let name, let why): "refusing to save \(name.debugDescription): \(why)"
        case .alreadyInProgress(let name): "\(name) is already being downloaded"
        case .diskFull(let folder, let bytes):
            "no space left in \(folder); \(bytes) bytes kept in the .part, resumable once space is freed"
        case .allSourcesFailed(let name, let failures):
            failures.isEmpty
                ? "no source for \(name)" : "every source of \(name) failed (\(failures.joined(separator: "; ")))"
        case .hashMismatch(let name, let expected, let got):
            "\(name) arrived with sha256 \(got), expected \(expected); discarded"
        case .shortTransfer(let missing): "connection ended \(missing) bytes early"
        case .protocolViolation(let what): "the source broke the protocol: \(what)"
        }
    }
}
