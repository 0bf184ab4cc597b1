import P2PCatalog
import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// A download in progress: `<name>.part` in the destination folder, renamed to `<name>` only
/// once every byte is there and verified.
///
/// The name is a validated `FileName`, opened relative to the folder's descriptor with
/// `O_NOFOLLOW`, so neither a hostile name nor a symlink planted as `x.part` can make a download
/// write outside its folder. A killed download leaves the `.part` behind; its length is where the
/// next attempt resumes.
public final class PartFile {
    public let name: FileName
    public let directory: String
    private let directoryDescriptor: CInt
    private let descriptor: CInt
    /// Bytes on disk: where the next write goes.
    public private(set) var length: Int64

    public var partName: String { name.string + FileName.partialDownloadSuffix }

    /// Opens (or creates) `<directory>/<name>.part`; an existing one is kept for resuming.
    public init(directory: String, name: FileName) throws(SystemError) {
        self.name = name
        self.directory = directory
        directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw SystemError("open", path: directory, errno: errno) }
        let part = name.string + FileName.partialDownloadSuffix
        descriptor = openat(directoryDescriptor, part, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            let error = SystemError("open", path: part, errno: errno)
            close(directoryDescriptor)
            throw error
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            close(directoryDescriptor)
            throw SystemError("open", path: part, errno: EINVAL)
        }
        length = Int64(status.st_size)
    }

    deinit {
        close(descriptor)
        close(directoryDescriptor)
    }

    /// Appends `bytes` at `length`. A full disk is an error (ENOSPC) and what was written stays,
    /// so the download can resume once space is freed.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(length))
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError("write", path: partName, errno: errno)
            }
            done += written
            length += Int64(written)
        }
    }

    /// Drops everything from `offset` on: a source that restarts from byte 0, or bytes that
    /// failed verification.
    public func truncate(to offset: Int64) throws(SystemError) {
        guard ftruncate(descriptor, off_t(offset)) == 0 else {
            throw SystemError("truncate", path: partName, errno: errno)
        }
        length = offset
    }

    /// Feeds the bytes already on disk into `hasher`, so a resumed download still verifies the
    /// whole file.
    public func hashExisting(into hasher: inout IncrementalHasher) throws {
        let fed = try FileHasher().update(&hasher, descriptor: descriptor, offset: 0, length: length)
        if fed != length { try truncate(to: fed) }
    }

    /// Flushes what arrived to disk, so an interrupted download (a stop, a failed source) resumes
    /// from its `.part` even after a crash or power loss. Best effort: a failure only costs bytes.
    public func checkpoint() {
        _ = fsync(descriptor)
    }

    /// Makes the download final: optionally fsync the data, rename `<name>.part` to `<name>`
    /// atomically (replacing an older file of that name), and fsync the folder so the rename
    /// survives a crash. Returns the final path.
    public func commit(sync: Bool) throws(SystemError) -> String {
        if sync, fsync(descriptor) != 0 { throw SystemError("fsync", path: partName, errno: errno) }
        guard renameat(directoryDescriptor, partName, directoryDescriptor, name.string) == 0 else {
            throw SystemError("rename", path: partName, errno: errno)
        }
        if sync { _ = fsync(directoryDescriptor) }
        return directory.hasSuffix("/") ? directory + name.string : directory + "/" + name.string
    }

    /// Removes the `.part` (after a verification failure nothing of it can be trusted).
    public func discard() {
        _ = unlinkat(directoryDescriptor, partName, 0)
        length = 0
    }
}
