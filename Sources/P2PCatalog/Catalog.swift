import Glibc
import P2PProtocol
import Synchronization

/// The peer's catalog: the files it serves from `shared/` and `replicated/`, with their sizes and
/// SHA-256 digests, kept current as the folders change.
///
/// ## Life cycle
///
/// 1. ``loadCached()`` reads the hash cache and lists the folders (one `fstatat` per file, no file
///    content read) and publishes every file whose cached hash is still valid. It is fast, so the
///    daemon can call it before it signals readiness to systemd.
/// 2. ``refresh(progress:)`` does the same and also hashes what the cache could not vouch for (new
///    and changed files), publishes the result and saves the cache. The daemon runs it after
///    readiness, on a thread of its own, and again whenever ``FolderWatcher`` reports changes and on
///    a periodic timer (the safety net for anything inotify missed).
///
/// Each returns a ``CatalogUpdate`` whose ``CatalogUpdate/diff`` is what to tell the index.
///
/// ## Concurrency: a `final class` that is `Sendable`, not an actor
///
/// Hashing is long, blocking file I/O. Inside an actor it would hold one of the cooperative pool's
/// threads (two on a two-core machine) for minutes, so the work is synchronous and the caller puts
/// it on a thread of its own. The class keeps two locks: one serializes loads and refreshes (they
/// own the hash cache) and is held for the whole refresh; the other guards only the published
/// ``CatalogSnapshot`` and is held for a copy or a swap. Readers (``snapshot``, ``open(_:)``)
/// therefore never wait for hashing, and a second refresh simply waits for the first.
///
/// ## Rules
///
/// - Names are validated as ``FileName``; invalid ones are skipped and reported; hidden files and
///   `*.part` downloads are skipped silently.
/// - Only regular files are served, never symbolic links, and not hard-linked files unless
///   configured (see ``SafeFileOpener``); anything else is skipped and reported.
/// - A name in both folders is served from `shared/`.
/// - A file that changes while it is hashed is left out until the next refresh.
/// - If a folder cannot be read (other than not existing), its previously published files are kept
///   rather than withdrawn: a transient I/O error must not empty the peer's entry in the index.
public final class Catalog: Sendable {
    /// Where the catalog's folders and cache are, and its policy.
    public struct Configuration: Sendable {
        /// Path of `shared/`.
        public var sharedPath: String
        /// Path of `replicated/`.
        public var replicatedPath: String
        /// Path of the hash cache file; `nil` keeps the cache in memory only.
        public var cachePath: String?
        /// Serve regular files with more than one hard link (see ``SafeFileOpener``).
        public var allowsHardLinks: Bool
        /// Read size for hashing.
        public var blockSize: Int

        public init(
            sharedPath: String, replicatedPath: String, cachePath: String?,
            allowsHardLinks: Bool = false, blockSize: Int = FileHasher.defaultBlockSize
        ) {
            self.sharedPath = sharedPath
            self.replicatedPath = replicatedPath
            self.cachePath = cachePath
            self.allowsHardLinks = allowsHardLinks
            self.blockSize = blockSize
        }

        /// The standard layout of a peer's state folder: `shared/`, `replicated/` and the cache file
        /// `catalog-hashes` beside them.
        public init(stateDirectory: String, allowsHardLinks: Bool = false) {
            self.init(
                sharedPath: stateDirectory + "/shared", replicatedPath: stateDirectory + "/replicated",
                cachePath: stateDirectory + "/catalog-hashes", allowsHardLinks: allowsHardLinks)
        }

        /// The path of `folder`.
        public func path(of folder: ServedFolder) -> String {
            switch folder {
            case .shared: return sharedPath
            case .replicated: return replicatedPath
            }
        }

        func opener(for folder: ServedFolder) -> SafeFileOpener {
            SafeFileOpener(directory: path(of: folder), allowsHardLinks: allowsHardLinks)
        }
    }

    /// State owned by whoever loads or refreshes; one at a time.
    private struct Work: Sendable {
        var cache = HashCache()
        /// The cache as the file on disk has it, to write the file only when something changed.
        var savedCache = HashCache()
        var cacheLoaded = false
        var skipped: Set<SkippedFile> = []
    }

    public let configuration: Configuration
    private let published = Mutex(CatalogSnapshot.empty)
    private let work: Mutex<Work>

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.work = Mutex(Work())
    }

    /// The catalog as last published.
    public var snapshot: CatalogSnapshot { published.withLock { $0 } }

    /// Reads the hash cache (first call only), lists the folders and publishes every file whose cached
    /// hash is still valid; hashes nothing. Files still to be hashed are counted in
    /// ``CatalogUpdate/pendingFiles``.
    public func loadCached() -> CatalogUpdate {
        work.withLock { work in
            // Without hashing, nothing can throw.
            (try? update(&work, hashing: false, progress: nil)) ?? CatalogUpdate(snapshot: snapshot)
        }
    }

    /// Lists the folders, hashes every file the cache cannot vouch for, publishes the result and
    /// saves the cache. Blocks for as long as hashing takes: call it from a thread of its own.
    ///
    /// If the calling task is cancelled, hashing stops between blocks; the hashes finished so far are
    /// kept in the cache (and saved), nothing new is published, and `CancellationError` is thrown.
    ///
    /// - Parameter progress: called on the calling thread after each block hashed.
    public func refresh(progress: ((RefreshProgress) -> Void)? = nil) throws -> CatalogUpdate {
        try work.withLock { work in try update(&work, hashing: true, progress: progress) }
    }

    /// Opens the file served under `name` for reading. Refuses names that are not in the catalog,
    /// and files that changed since they were hashed (their announced hash would be wrong). The
    /// caller owns the returned descriptor.
    public func open(_ name: FileName) throws(SafeOpenError) -> (
        file: OpenedFile, entry: CatalogEntry
    ) {
        guard let entry = snapshot[name] else { throw .notFound(name) }
        return try open(entry)
    }

    /// Opens a served file whose content has `digest` (the first by name if several have).
    public func open(sha256 digest: SHA256Digest) throws(SafeOpenError) -> (
        file: OpenedFile, entry: CatalogEntry
    )? {
        guard let entry = snapshot.entries(withSHA256: digest).first else { return nil }
        return try open(entry)
    }

    private func open(_ entry: CatalogEntry) throws(SafeOpenError) -> (
        file: OpenedFile, entry: CatalogEntry
    ) {
        let file = try configuration.opener(for: entry.folder).open(entry.name)
        guard entry.matches(file.status) else {
            file.close()
            throw .changedSinceHashing(entry.name)
        }
        return (file, entry)
    }

    // MARK: - Scanning

    /// What one folder's listing gave.
    private enum FolderScan {
        /// Candidate files by name, with the open folder descriptor for the `*at` calls.
        case listed(descriptor: Int32, files: [FileName: FileStatus])
        /// The folder does not exist: it serves nothing.
        case missing
        /// The folder could not be read: keep what it served before.
        case failed(SystemError)
    }

    private func scan(_ folder: ServedFolder, skipped: inout [SkippedFile]) -> FolderScan {
        let opener = configuration.opener(for: folder)
        let descriptor: Int32
        do {
            descriptor = try opener.openDirectory()
        } catch {
            return error.errno == ENOENT ? .missing : .failed(error)
        }
        let rawNames: [[UInt8]]
        do {
            rawNames = try listDirectory(descriptor)
        } catch {
            close(descriptor)
            return .failed(error)
        }
        var files: [FileName: FileStatus] = [:]
        for raw in rawNames {
            if raw.first == UInt8(ascii: ".") { continue }  // hidden: silently
            let name: FileName
            do {
                name = try FileName(bytes: raw)
            } catch {
                if case .partialDownload = error { continue }  // a download in progress: silently
                skipped.append(SkippedFile(folder: folder, rawName: raw, reason: .invalidName(error)))
                continue
            }
            let status: FileStatus
            do {
                status = try FileStatus.at(descriptor, raw)
            } catch {
                if error.errno != ENOENT {  // ENOENT: removed since the listing
                    skipped.append(SkippedFile(folder: folder, rawName: raw, reason: .unreadable(error)))
                }
                continue
            }
            if let refusal = opener.refusal(for: status, name: name) {
                skipped.append(SkippedFile(folder: folder, rawName: raw, reason: .refused(refusal)))
                continue
            }
            files[name] = status
        }
        return .listed(descriptor: descriptor, files: files)
    }

    /// Scans, takes hashes from the cache, optionally hashes the rest, publishes.
    private func update(
        _ work: inout Work, hashing: Bool, progress: ((RefreshProgress) -> Void)?
    ) throws -> CatalogUpdate {
        var warnings: [String] = []
        if !work.cacheLoaded, let path = configuration.cachePath {
            let (cache, warning) = HashCache.load(from: path)
            work.cache = cache
            work.savedCache = cache
            if let warning { warnings.append(warning) }
        }
        work.cacheLoaded = true

        var skipped: [SkippedFile] = []
        var scans: [ServedFolder: FolderScan] = [:]
        for folder in ServedFolder.allCases { scans[folder] = scan(folder, skipped: &skipped) }
        defer {
            for case .listed(let descriptor, _) in scans.values { close(descriptor) }
        }

        let previous = snapshot
        var entries: [FileName: CatalogEntry] = [:]
        var newCache = HashCache()
        var toHash: [(folder: ServedFolder, name: FileName, status: FileStatus)] = []
        var cacheHits = 0
        // Names already served (or about to be, once hashed) by a folder of higher precedence.
        var taken: Set<FileName> = []
        // `allCases` is in precedence order: a name taken by `shared` is not served from `replicated`.
        for folder in ServedFolder.allCases {
            switch scans[folder]! {
            case .missing:
                break
            case .failed(let error):
                warnings.append(
                    "cannot read \(EscapedBytes.quoted(Array(configuration.path(of: folder).utf8))): "
                        + "\(error); keeping its \(folder) files as they were")
                for (key, record) in work.cache.records where key.folder == folder {
                    newCache.records[key] = record
                }
                for entry in previous.entries.values where entry.folder == folder {
                    if taken.insert(entry.name).inserted { entries[entry.name] = entry }
                }
            case .listed(_, let files):
                for (name, status) in files {
                    let key = HashCache.Key(folder: folder, name: name)
                    let cached = work.cache.records[key].flatMap { $0.matches(status) ? $0 : nil }
                    if let cached { newCache.records[key] = cached }
                    guard taken.insert(name).inserted else { continue }  // shadowed
                    if let cached {
                        cacheHits += 1
                        entries[name] = CatalogEntry(
                            name: name, folder: folder, size: status.size, sha256: cached.sha256,
                            modificationTimeNanoseconds: status.modificationTimeNanoseconds, inode: status.inode)
                    } else {
                        toHash.append((folder, name, status))
                    }
                }
            }
        }
        if !hashing {
            work.cache = newCache
            let newlySkipped = skipped.filter { !work.skipped.contains($0) }
            work.skipped = Set(skipped)
            let result = publish(entries)
            return CatalogUpdate(
                diff: result.diff, snapshot: result.snapshot, cacheHits: cacheHits,
                pendingFiles: toHash.count, skipped: skipped, newlySkipped: newlySkipped,
                warnings: warnings)
        }

        // Small files first: most files become available soonest.
        toHash.sort { ($0.status.size, $0.name) < ($1.status.size, $1.name) }
        var state = RefreshProgress(
            filesDone: 0, filesTotal: toHash.count, bytesDone: 0,
            bytesTotal: toHash.reduce(0) { $0 + $1.status.size }, currentName: nil)
        progress?(state)
        let hasher = FileHasher(blockSize: configuration.blockSize)
        var hashedFiles = 0
        var hashedBytes: Int64 = 0
        for item in toHash {
            guard case .listed(let descriptor, _) = scans[item.folder]! else { continue }
            state.currentName = item.name
            let bytesBefore = state.bytesDone
            do {
                let result = try hash(
                    item.name, in: item.folder, folderDescriptor: descriptor, hasher: hasher
                ) { done in
                    state.bytesDone = bytesBefore + done
                    progress?(state)
                }
                switch result {
                case .hashed(let entry):
                    entries[item.name] = entry
                    newCache.records[HashCache.Key(folder: item.folder, name: item.name)] = HashCache.Record(
                        size: entry.size, modificationTimeNanoseconds: entry.modificationTimeNanoseconds,
                        inode: entry.inode, sha256: entry.sha256)
                    hashedFiles += 1
                    hashedBytes += entry.size
                case .skipped(let reason):
                    skipped.append(SkippedFile(folder: item.folder, rawName: item.name.bytes, reason: reason))
                }
            } catch {
                // Cancelled: keep what was hashed (the old records plus the new), publish nothing.
                for (key, record) in newCache.records { work.cache.records[key] = record }
                if let path = configuration.cachePath, (try? work.cache.save(to: path)) != nil {
                    work.savedCache = work.cache
                }
                throw error
            }
            state.filesDone += 1
            state.bytesDone = bytesBefore + item.status.size
            progress?(state)
        }

        if newCache != work.savedCache, let path = configuration.cachePath {
            do {
                try newCache.save(to: path)
                work.savedCache = newCache
            } catch {
                warnings.append("cannot save the hash cache: \(error)")
            }
        }
        work.cache = newCache
        let newlySkipped = skipped.filter { !work.skipped.contains($0) }
        work.skipped = Set(skipped)
        let result = publish(entries)
        return CatalogUpdate(
            diff: result.diff, snapshot: result.snapshot, cacheHits: cacheHits, hashedFiles: hashedFiles,
            hashedBytes: hashedBytes, skipped: skipped, newlySkipped: newlySkipped, warnings: warnings)
    }

    private enum HashResult {
        case hashed(CatalogEntry)
        case skipped(SkippedFile.Reason)
    }

    /// Opens and hashes one file; checks that it did not change meanwhile.
    private func hash(
        _ name: FileName, in folder: ServedFolder, folderDescriptor: Int32, hasher: FileHasher,
        progress: (Int64) -> Void
    ) throws -> HashResult {
        let file: OpenedFile
        do {
            file = try configuration.opener(for: folder).open(name, inFolder: folderDescriptor)
        } catch {
            switch error {
            case .notFound: return .skipped(.unreadable(SystemError("openat", errno: ENOENT)))
            case .system(let error): return .skipped(.unreadable(error))
            default: return .skipped(.refused(error))
            }
        }
        defer { file.close() }
        let (digest, count): (SHA256Digest, Int64)
        do {
            (digest, count) = try hasher.hash(descriptor: file.descriptor, progress: progress)
        } catch let error as SystemError {
            return .skipped(.unreadable(error))
        }
        guard count == file.size, let after = try? FileStatus.of(file.descriptor),
            after.sameVersion(as: file.status)
        else { return .skipped(.changedWhileHashing) }
        return .hashed(
            CatalogEntry(
                name: name, folder: folder, size: count, sha256: digest,
                modificationTimeNanoseconds: file.status.modificationTimeNanoseconds,
                inode: file.status.inode))
    }

    /// Replaces the published snapshot; returns it and the difference from the one it replaced.
    private func publish(_ entries: [FileName: CatalogEntry]) -> (
        diff: CatalogDiff, snapshot: CatalogSnapshot
    ) {
        published.withLock { current in
            let diff = CatalogDiff(from: current.entries, to: entries)
            if !diff.isEmpty || entries != current.entries {
                current = CatalogSnapshot(entries: entries, generation: current.generation + 1)
            }
            return (diff, current)
        }
    }
}

/// How far a refresh's hashing has got; totals cover only the files that need hashing.
public struct RefreshProgress: Hashable, Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    /// The file being hashed.
    public var currentName: FileName?
}

/// The outcome of ``Catalog/loadCached()`` or ``Catalog/refresh(progress:)``.
public struct CatalogUpdate: Sendable {
    /// What changed in the published catalog: what to tell the index.
    public var diff: CatalogDiff
    /// The catalog as now published.
    public var snapshot: CatalogSnapshot
    /// Files whose hash came from the cache.
    public var cacheHits: Int
    /// Files hashed by this call.
    public var hashedFiles: Int
    /// Bytes hashed by this call.
    public var hashedBytes: Int64
    /// Files seen but not hashed yet (``Catalog/loadCached()`` only): the work a refresh will do.
    public var pendingFiles: Int
    /// Every entry skipped in this scan.
    public var skipped: [SkippedFile]
    /// The skipped entries that were not skipped (for the same reason) in the previous scan: what to
    /// log, so a periodic rescan does not repeat the same warnings.
    public var newlySkipped: [SkippedFile]
    /// Problems worth a log line that did not stop the scan (cache ignored or not saved, a folder
    /// that could not be read).
    public var warnings: [String]

    init(
        diff: CatalogDiff = CatalogDiff(), snapshot: CatalogSnapshot, cacheHits: Int = 0,
        hashedFiles: Int = 0, hashedBytes: Int64 = 0, pendingFiles: Int = 0,
        skipped: [SkippedFile] = [], newlySkipped: [SkippedFile] = [], warnings: [String] = []
    ) {
        self.diff = diff
        self.snapshot = snapshot
        self.cacheHits = cacheHits
        self.hashedFiles = hashedFiles
        self.hashedBytes = hashedBytes
        self.pendingFiles = pendingFiles
        self.skipped = skipped
        self.newlySkipped = newlySkipped
        self.warnings = warnings
    }
}
