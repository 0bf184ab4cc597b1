import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where a batch's verified downloads go so that the next batch can download the same names
/// again: a folder of their own beside the daemon's `downloaded/`, removed with the scratch
/// folder at the end of the run.
///
/// Why not delete them: ext4 will not hand out an inode freed in the last 30 seconds while
/// others are free (`recently_deleted` in its inode allocator), and it finds that out by reading
/// the inode table block of every such candidate. Deleting 1000 files and creating 1000 new ones
/// at once made each create scan past every file just deleted; profiles of the downloading peer
/// showed over a third of its time there. Users do not download into a folder they emptied a
/// moment ago, so the benchmark should not either. A rename frees nothing.
///
/// Big files are deleted all the same: they are few, so their inodes do not matter, and a kept
/// file's pages stay dirty (downloads run without fsync) until the kernel writes them back — a
/// gigabyte of them per 1 GiB download, written to disk while the next downloads are measured
/// and, past the dirty limit, throttling them. Deleting drops those pages unwritten.
enum SpentDownloads {
    /// Files larger than this are deleted rather than moved aside.
    static let largestKept: Int64 = 16 << 20

    private static let batches = Atomic<Int>(0)

    /// A fresh folder for one batch, next to the folder `path` is in (so on the same file
    /// system, and a rename suffices); `nil` when it cannot be made.
    static func folder(besideParentOf path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let parent = String(path[..<slash])
        guard let upper = parent.lastIndex(of: "/") else { return nil }
        let root = String(parent[..<upper]) + "/bench-spent"
        mkdir(root, 0o755)
        let batch = batches.wrappingAdd(1, ordering: .relaxed).oldValue
        let folder = root + "/\(getpid())-\(batch)"
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { return nil }
        return folder
    }

    /// Moves `path` (of `size` bytes) into `folder`, or deletes it when it is big, when there is
    /// no folder or when the move fails.
    static func put(_ path: String, size: Int64, into folder: String?) {
        if size <= largestKept, let folder, let slash = path.lastIndex(of: "/"),
            rename(path, folder + String(path[slash...])) == 0
        {
            return
        }
        unlink(path)
    }
}
