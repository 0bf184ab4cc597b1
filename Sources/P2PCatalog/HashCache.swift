import Glibc
import P2PProtocol

/// Remembers the SHA-256 of each served file together with the file's version (size, mtime to the
/// nanosecond, inode), so that a restarted peer re-hashes only files that changed. Hashing a
/// peer's 1 GiB file costs about half a second per core; a cache lookup costs one `fstatat`.
///
/// A record is trusted only while the file's size, mtime and inode are all unchanged. Writing a
/// file changes its mtime; replacing it by rename (how `cp --remove-destination`, rsync, editors
/// and our own downloader replace files) changes its inode.
///
/// ## File format
///
/// UTF-8 text, one record per line, each line ended by `\n`:
///
///     p2p-hash-cache 1
///     <folder> <size> <mtime-ns> <inode> <sha256> <name>
///     ...
///     end <record-count>
///
/// - `<folder>` is `shared` or `replicated`; `<size>`, `<inode>` are unsigned decimal;
///   `<mtime-ns>` is signed decimal nanoseconds since the epoch; `<sha256>` is 64 lower-case hex.
/// - `<name>` is the rest of the line after the sixth field's single space, taken verbatim (it may
///   hold spaces). It must be a valid ``FileName``, which can contain no control character, so no
///   name can hold the `\n` that ends a line: no escaping is needed and none is done.
/// - The trailer `end <count>` proves the file was written to the end.
///
/// The file is replaced atomically (written to `<path>.tmp`, fsynced, renamed over `<path>`, then
/// the folder is fsynced), so a crash leaves the old cache or the new one, never half of one. A file
/// that does not parse anyway (disk trouble, a hand edit) is ignored whole, with a warning: the cost
/// is one re-hash of everything, whereas trusting part of a damaged file could announce wrong
/// hashes.
public struct HashCache: Hashable, Sendable {
    /// The first line of every cache file; the number is the format version.
    public static let header = "p2p-hash-cache 1"

    /// What a record is about: a name in one of the served folders.
    public struct Key: Hashable, Sendable {
        public var folder: ServedFolder
        public var name: FileName

        public init(folder: ServedFolder, name: FileName) {
            self.folder = folder
            self.name = name
        }
    }

    /// A file's version and the digest of its content in that version.
    public struct Record: Hashable, Sendable {
        public var size: Int64
        public var modificationTimeNanoseconds: Int64
        public var inode: UInt64
        public var sha256: SHA256Digest

        public init(
            size: Int64, modificationTimeNanoseconds: Int64, inode: UInt64, sha256: SHA256Digest
        ) {
            self.size = size
            self.modificationTimeNanoseconds = modificationTimeNanoseconds
            self.inode = inode
            self.sha256 = sha256
        }

        public init(status: FileStatus, sha256: SHA256Digest) {
            self.init(
                size: status.size, modificationTimeNanoseconds: status.modificationTimeNanoseconds,
                inode: status.inode, sha256: sha256)
        }

        /// True when `status` shows the same version of the file this record was made from.
        public func matches(_ status: FileStatus) -> Bool {
            size == status.size && modificationTimeNanoseconds == status.modificationTimeNanoseconds
                && inode == status.inode
        }
    }

    /// Every record.
    public var records: [Key: Record]

    public init(records: [Key: Record] = [:]) {
        self.records = records
    }

    /// The cached digest of `name` in `folder`, if the cache has one for exactly this version.
    public func digest(folder: ServedFolder, name: FileName, status: FileStatus) -> SHA256Digest? {
        guard let record = records[Key(folder: folder, name: name)], record.matches(status) else {
            return nil
        }
        return record.sha256
    }

    // MARK: - Text form

    /// The file's content.
    public func serialized() -> [UInt8] {
        var text = Self.header + "\n"
        let sorted = records.sorted { ($0.key.folder, $0.key.name) < ($1.key.folder, $1.key.name) }
        for (key, record) in sorted {
            text += "\(key.folder.rawValue) \(record.size) \(record.modificationTimeNanoseconds) "
            text += "\(record.inode) \(record.sha256.hex) \(key.name.string)\n"
        }
        text += "end \(records.count)\n"
        return Array(text.utf8)
    }

    /// Parses a cache file's content; any deviation from the format throws.
    public init(parsing bytes: [UInt8]) throws(HashCacheFormatError) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else { throw .init(line: lines.count, "last line not ended") }
        lines.removeLast()
        guard let first = lines.first, first.elementsEqual(Self.header.utf8) else {
            throw .init(line: 1, "not a hash cache (expected \"\(Self.header)\")")
        }
        guard lines.count >= 2, let last = lines.last, last.starts(with: "end ".utf8),
            let count = Int(decimal: last.dropFirst(4)), count == lines.count - 2
        else {
            throw .init(line: lines.count, "missing or wrong \"end <count>\" trailer (file cut short?)")
        }
        var records: [Key: Record] = [:]
        for (index, line) in lines.dropFirst().dropLast().enumerated() {
            let lineNumber = index + 2
            let fields = line.split(
                separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6 else { throw .init(line: lineNumber, "expected 6 fields") }
            guard let folder = ServedFolder(rawValue: String(decoding: fields[0], as: UTF8.self)) else {
                throw .init(line: lineNumber, "unknown folder")
            }
            guard let size = Int64(decimal: fields[1]), size >= 0,
                let mtime = Int64(decimal: fields[2]),
                let inode = UInt64(decimal: fields[3])
            else { throw .init(line: lineNumber, "bad number") }
            guard fields[4].count == 64,
                let digest = SHA256Digest(hex: String(decoding: fields[4], as: UTF8.self))
            else { throw .init(line: lineNumber, "bad sha256") }
            let name: FileName
            do { name = try FileName(bytes: fields[5]) } catch {
                throw .init(line: lineNumber, error.description)
            }
            let key = Key(folder: folder, name: name)
            guard records[key] == nil else { throw .init(line: lineNumber, "duplicate record") }
            records[key] = Record(
                size: size, modificationTimeNanoseconds: mtime, inode: inode, sha256: digest)
        }
        self.init(records: records)
    }

    // MARK: - Files

    /// Reads the cache at `path`. A missing file gives an empty cache and no warning (first start);
    /// an unreadable or corrupt one gives an empty cache and a warning for the log. Never fails: the
    /// cache only saves time, so losing it must never stop the peer.
    public static func load(from path: String) -> (cache: HashCache, warning: String?) {
        let bytes: [UInt8]
        do {
            guard let read = try readWholeFile(path) else { return (HashCache(), nil) }
            bytes = read
        } catch {
            return (HashCache(), "ignoring hash cache: \(error); every file will be hashed again")
        }
        do {
            return (try HashCache(parsing: bytes), nil)
        } catch {
            let shown = EscapedBytes.quoted(Array(path.utf8))
            return (
                HashCache(),
                "ignoring corrupt hash cache \(shown): \(error); every file will be hashed again"
            )
        }
    }

    /// Writes the cache to `path` atomically: `<path>.tmp`, `fsync`, `rename`, `fsync` of the folder.
    public func save(to path: String) throws(SystemError) {
        let temporary = path + ".tmp"
        let shownTemporary = Array(temporary.utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o640)
        if descriptor < 0 { throw SystemError.last("open", pathBytes: shownTemporary) }
        var closed = false
        defer { if !closed { close(descriptor) } }
        let content = serialized()
        var written = 0
        while written < content.count {
            let result = content.withUnsafeBytes {
                write(descriptor, $0.baseAddress! + written, $0.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SystemError.last("write", pathBytes: shownTemporary)
            }
            written += result
        }
        if fsync(descriptor) != 0 { throw SystemError.last("fsync", pathBytes: shownTemporary) }
        closed = true
        if close(descriptor) != 0 { throw SystemError.last("close", pathBytes: shownTemporary) }
        if rename(temporary, path) != 0 { throw SystemError.last("rename", pathBytes: shownTemporary) }
        let parent = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[..<$0]) } ?? "."
        let folder = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// The whole content of `path`, or `nil` when it does not exist.
    static func readWholeFile(_ path: String) throws(SystemError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw SystemError.last("open", pathBytes: Array(path.utf8))
        }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemError.last("read", pathBytes: Array(path.utf8))
            }
            if got == 0 { return result }
            result += chunk[0..<got]
        }
    }
}

/// Why a hash cache file did not parse: the line number (1-based) and what was wrong there.
public struct HashCacheFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var problem: String

    init(line: Int, _ problem: String) {
        self.line = line
        self.problem = problem
    }

    public var description: String { "line \(line): \(problem)" }
}

extension FixedWidthInteger {
    /// Strict decimal: ASCII digits only (a leading `-` for signed types), no `+`, no spaces, no
    /// overflow. `Int(String)` would also do, but this avoids building a `String` per field.
    init?(decimal bytes: some Collection<UInt8>) {
        var digits = bytes[...]
        var negative = false
        if Self.isSigned, digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var value: Self = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Self(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        self = value
    }
}
