import Glibc

/// The facts about a file that the catalog relies on, taken from one `stat`.
///
/// `(size, modificationTimeNanoseconds, inode)` is the file's *version* as far as the hash cache is
/// concerned: writing a file changes its mtime (kept to the nanosecond, so two writes in the same
/// second still differ), and replacing it by rename gives it a new inode.
public struct FileStatus: Hashable, Sendable {
    /// What kind of directory entry this is; only regular files are ever served.
    public enum Kind: String, Hashable, Sendable {
        case regular = "regular file"
        case directory = "directory"
        case symbolicLink = "symbolic link"
        case fifo = "FIFO"
        case socket = "socket"
        case characterDevice = "character device"
        case blockDevice = "block device"
        case unknown = "unknown file type"
    }

    public var kind: Kind
    public var size: Int64
    public var modificationTimeNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64
    public var linkCount: UInt64

    public init(
        kind: Kind, size: Int64, modificationTimeNanoseconds: Int64, inode: UInt64, device: UInt64 = 0,
        linkCount: UInt64 = 1
    ) {
        self.kind = kind
        self.size = size
        self.modificationTimeNanoseconds = modificationTimeNanoseconds
        self.inode = inode
        self.device = device
        self.linkCount = linkCount
    }

    init(_ info: stat) {
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        self.init(
            kind: kind,
            size: Int64(info.st_size),
            modificationTimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000
                + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino),
            device: UInt64(info.st_dev),
            linkCount: UInt64(info.st_nlink)
        )
    }

    /// `fstatat` without following a final symbolic link.
    static func at(_ directory: Int32, _ name: [UInt8]) throws(SystemError) -> FileStatus {
        var info = stat()
        let result = (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                fstatat(directory, $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW)
            }
        }
        if result != 0 { throw SystemError.last("fstatat", pathBytes: name) }
        return FileStatus(info)
    }

    /// `fstat` of an open descriptor.
    static func of(_ descriptor: Int32) throws(SystemError) -> FileStatus {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw SystemError.last("fstat") }
        return FileStatus(info)
    }

    /// True when `other` is the same file in the same version: same inode, size and mtime.
    func sameVersion(as other: FileStatus) -> Bool {
        inode == other.inode && device == other.device && size == other.size
            && modificationTimeNanoseconds == other.modificationTimeNanoseconds
    }
}
