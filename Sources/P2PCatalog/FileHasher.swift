import Glibc

/// Hashes whole files (or a leading part of one) with SHA-256, reading with `pread` in large
/// blocks into one buffer that it owns and reuses.
///
/// Large blocks (1 MiB by default) keep the syscall count low, so the rate is bound by SHA-256
/// itself (about 2 GB/s per core with SHA-NI) rather than by reads; reusing one buffer across all
/// the files of a scan avoids a megabyte allocation per file when a folder holds thousands of
/// small ones. `pread` with an explicit offset leaves the descriptor's file position alone, so a
/// caller may hash a descriptor that something else also reads.
///
/// Not `Sendable`: the buffer is scratch space for one caller at a time. Make one per thread.
/// Hashing blocks the calling thread; run it on a dedicated thread, not on the cooperative pool.
/// It checks `Task.isCancelled` between blocks and throws `CancellationError` when set.
public final class FileHasher {
    /// The default read size: 1 MiB.
    public static let defaultBlockSize = 1 << 20

    /// Bytes read per `pread`.
    public let blockSize: Int
    private let buffer: UnsafeMutableRawBufferPointer

    /// Files hashed by ``hash(descriptor:progress:)`` so far (a counter for statistics and tests).
    public private(set) var filesHashed = 0
    /// Bytes read and hashed so far, by every method.
    public private(set) var bytesHashed: Int64 = 0

    public init(blockSize: Int = FileHasher.defaultBlockSize) {
        precondition(blockSize > 0, "block size must be positive")
        self.blockSize = blockSize
        self.buffer = .allocate(byteCount: blockSize, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    /// Hashes the file open as `descriptor` from byte 0 to its end, whatever its size was when it
    /// was opened; returns the digest and the number of bytes hashed. A caller that needs the hash to
    /// match a known size compares `byteCount` to it (a file that grew or shrank while being hashed
    /// gives a digest of neither version).
    ///
    /// - Parameter progress: called after each block with the bytes hashed so far in this file.
    public func hash(
        descriptor: Int32, progress: (Int64) -> Void = { _ in }
    ) throws -> (digest: SHA256Digest, byteCount: Int64) {
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        var hasher = IncrementalHasher()
        let count = try update(
            &hasher, descriptor: descriptor, offset: 0, length: nil, progress: progress)
        filesHashed += 1
        return (hasher.finalize(), count)
    }

    /// Opens `path` read-only and hashes it; a convenience for tools and tests. Served files are
    /// opened with ``SafeFileOpener`` and hashed by descriptor instead.
    public func hash(path: String) throws -> (digest: SHA256Digest, byteCount: Int64) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw SystemError.last("open", pathBytes: Array(path.utf8)) }
        defer { close(descriptor) }
        return try hash(descriptor: descriptor)
    }

    /// Feeds `length` bytes of the file starting at `offset` into `hasher` (to end of file when
    /// `length` is nil); returns how many bytes were fed. The downloader uses this to resume a
    /// `.part` file: hash what is already on disk, then keep feeding the bytes that follow.
    /// A file shorter than `length` is not an error: it yields fewer bytes, as the count shows.
    @discardableResult
    public func update(
        _ hasher: inout IncrementalHasher, descriptor: Int32, offset: Int64 = 0, length: Int64?,
        progress: (Int64) -> Void = { _ in }
    ) throws -> Int64 {
        var done: Int64 = 0
        while length.map({ done < $0 }) ?? true {
            if Task.isCancelled { throw CancellationError() }
            let wanted = length.map { min(Int64(blockSize), $0 - done) } ?? Int64(blockSize)
            let got = pread(descriptor, buffer.baseAddress, Int(wanted), off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemError.last("pread")
            }
            if got == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            done += Int64(got)
            bytesHashed += Int64(got)
            progress(done)
        }
        return done
    }
}
