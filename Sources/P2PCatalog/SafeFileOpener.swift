import Glibc
import P2PProtocol

/// Opens a file by name inside a served folder so that what is opened is a regular file that lives
/// in that folder, whatever the name or the folder's contents try.
///
/// The name is a validated ``FileName`` (one component, no `/`, not `..`), and it is opened with
/// `openat` relative to a descriptor of the folder, so no path is ever built from it. What is left
/// are the two ways a directory entry can reach outside the folder:
///
/// - **Symbolic links are refused, all of them.** `O_NOFOLLOW` makes the final `openat` fail on a
///   link, and the scan lists no link. A link that points inside the folder would only be an alias
///   of a file that is served anyway, so refusing it loses nothing; following links safely would
///   need a check-then-open (racy: the link can be swapped between the `realpath` and the `open`)
///   or `openat2(RESOLVE_BENEATH)`, which glibc does not wrap and container seccomp profiles may
///   deny. One simple rule is also one an admin can predict: to share a file, copy or move it in.
/// - **Hard links are refused by default.** A regular file whose link count is above 1 has another
///   name somewhere on the same filesystem, and nothing tells where: a local user who may write
///   into `shared/` could link a file only the daemon can read (its own state, a secret) and have
///   it served. `fs.protected_hardlinks` blunts this on most distributions but is a sysctl, not a
///   guarantee. ``allowsHardLinks`` turns the check off for admins who hard-link on purpose (for
///   example to share a large file without copying it). The daemon itself never hard-links.
///
/// Other checks: hidden names (leading `.`) are not served; anything that is not a regular file
/// (directory, FIFO, socket, device) is refused. The entry is examined with `fstatat` before it is
/// opened, so a FIFO or a device is never opened at all (opening a FIFO blocks; opening a device can
/// have effects), and the open itself adds `O_NONBLOCK` in case the entry was swapped in between;
/// the opened descriptor is checked again with `fstat`, which is the check that counts.
public struct SafeFileOpener: Sendable {
    /// The served folder's path. The folder itself may be a symbolic link (that is the admin's
    /// configuration); only the entries inside it are checked.
    public var directory: String
    /// Serve regular files that have more than one hard link. Off by default; see the type's notes.
    public var allowsHardLinks: Bool

    public init(directory: String, allowsHardLinks: Bool = false) {
        self.directory = directory
        self.allowsHardLinks = allowsHardLinks
    }

    /// Opens `name` inside ``directory`` for reading. The caller owns the returned descriptor and
    /// must close it (``OpenedFile/close()``).
    public func open(_ name: FileName) throws(SafeOpenError) -> OpenedFile {
        let folder: Int32
        do { folder = try openDirectory() } catch { throw .system(error) }
        defer { Glibc.close(folder) }
        return try open(name, inFolder: folder)
    }

    /// Checks `name` as ``open(_:)`` would, without opening it.
    public func status(of name: FileName) throws(SafeOpenError) -> FileStatus {
        let folder: Int32
        do { folder = try openDirectory() } catch { throw .system(error) }
        defer { Glibc.close(folder) }
        let status: FileStatus
        do { status = try FileStatus.at(folder, name.bytes) } catch { throw SafeOpenError(error, name) }
        if let refusal = refusal(for: status, name: name) { throw refusal }
        return status
    }

    /// Opens ``directory`` as a descriptor for the `*at` calls.
    func openDirectory() throws(SystemError) -> Int32 {
        let folder = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder < 0 { throw SystemError.last("open folder", pathBytes: Array(directory.utf8)) }
        return folder
    }

    /// Why a directory entry with this status is not served; `nil` when it is servable.
    func refusal(for status: FileStatus, name: FileName) -> SafeOpenError? {
        if name.isHidden { return .hidden(name) }
        switch status.kind {
        case .regular: break
        case .symbolicLink: return .symbolicLink(name)
        default: return .notRegularFile(name, status.kind)
        }
        if status.linkCount > 1 && !allowsHardLinks {
            return .hardLinked(name, linkCount: status.linkCount)
        }
        return nil
    }

    /// Opens `name` relative to the open folder descriptor `folder`.
    func open(_ name: FileName, inFolder folder: Int32) throws(SafeOpenError) -> OpenedFile {
        if name.isHidden { throw .hidden(name) }
        let before: FileStatus
        do { before = try FileStatus.at(folder, name.bytes) } catch { throw SafeOpenError(error, name) }
        if let refusal = refusal(for: before, name: name) { throw refusal }

        let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
        let descriptor = name.string.withCString { openat(folder, $0, flags) }
        if descriptor < 0 {
            if errno == ELOOP { throw .symbolicLink(name) }
            throw SafeOpenError(SystemError.last("openat", pathBytes: name.bytes), name)
        }
        let after: FileStatus
        do {
            after = try FileStatus.of(descriptor)
        } catch {
            Glibc.close(descriptor)
            throw .system(error)
        }
        if let refusal = refusal(for: after, name: name) {
            Glibc.close(descriptor)
            throw refusal
        }
        // The descriptor is a regular file now; O_NONBLOCK was only a guard for the open itself.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return OpenedFile(descriptor: descriptor, status: after)
    }
}

/// A served file opened by ``SafeFileOpener``: the descriptor (owned by the caller) and what
/// `fstat` said about it at open time.
public struct OpenedFile: Sendable {
    /// The read-only descriptor. The caller closes it.
    public let descriptor: Int32
    /// The file's status when it was opened.
    public let status: FileStatus

    /// The file's size in bytes when it was opened.
    public var size: Int64 { status.size }

    /// Closes ``descriptor``.
    public func close() { _ = Glibc.close(descriptor) }
}

/// Why ``SafeFileOpener`` would not open a name.
public enum SafeOpenError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(FileName)
    case hidden(FileName)
    case symbolicLink(FileName)
    case notRegularFile(FileName, FileStatus.Kind)
    case hardLinked(FileName, linkCount: UInt64)
    /// The file on disk is not the version that was hashed and announced (``Catalog/open(_:)``
    /// only); a refresh will re-hash it.
    case changedSinceHashing(FileName)
    case system(SystemError)

    init(_ error: SystemError, _ name: FileName) {
        self = error.errno == ENOENT || error.errno == ENOTDIR ? .notFound(name) : .system(error)
    }

    /// A short reason, suitable for a log field or a scan report.
    public var reason: String {
        switch self {
        case .notFound: return "not found"
        case .hidden: return "hidden files are not served"
        case .symbolicLink: return "symbolic links are not served"
        case .notRegularFile(_, let kind): return "a \(kind.rawValue) is not served"
        case .hardLinked(_, let count):
            return "has \(count) hard links; files with other names elsewhere are not served"
        case .changedSinceHashing: return "changed since it was hashed; try again after the rescan"
        case .system(let error): return error.description
        }
    }

    public var description: String {
        switch self {
        case .notFound(let name), .hidden(let name), .symbolicLink(let name),
            .notRegularFile(let name, _), .hardLinked(let name, _), .changedSinceHashing(let name):
            return "\(EscapedBytes.quoted(name.bytes)): \(reason)"
        case .system(let error): return error.description
        }
    }
}
