import P2PProtocol

/// One served file as the catalog announces it: what the index is told (name, size, SHA-256) and
/// where the file is (folder), plus the version it was hashed in (mtime, inode), so a server can
/// tell whether the file on disk is still the one that was announced.
public struct CatalogEntry: Hashable, Sendable {
    public var name: FileName
    public var folder: ServedFolder
    public var size: Int64
    public var sha256: SHA256Digest
    public var modificationTimeNanoseconds: Int64
    public var inode: UInt64

    public init(
        name: FileName, folder: ServedFolder, size: Int64, sha256: SHA256Digest,
        modificationTimeNanoseconds: Int64, inode: UInt64
    ) {
        self.name = name
        self.folder = folder
        self.size = size
        self.sha256 = sha256
        self.modificationTimeNanoseconds = modificationTimeNanoseconds
        self.inode = inode
    }

    /// True when `status` is the version of the file that was hashed for this entry.
    public func matches(_ status: FileStatus) -> Bool {
        size == status.size && modificationTimeNanoseconds == status.modificationTimeNanoseconds
            && inode == status.inode
    }
}
