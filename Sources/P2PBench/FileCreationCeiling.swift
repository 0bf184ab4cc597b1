import P2PProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the file system alone allows for the small-file goal: the same files copied, with no
/// network, no hashing and no daemon, by `concurrency` threads into a fresh folder beside the
/// downloading peer's `downloaded/` — each one created as `<name>.part`, written, closed and
/// renamed, the least a download must do to the file system.
///
/// Small-file rates depend on the file system more than on anything of ours: on an ext4 without
/// a journal (as on the machine of the published figures) a create walks past every inode freed
/// in the last minutes, and a folder next to many recent deletions can create only a few
/// thousand files a second whatever writes them. Measured in the same place and the same run, it
/// tells a reader whether a miss is ours or the disk's.
public struct FileCreationCeiling: Sendable {
    public struct Outcome: Sendable {
        public var files: Int
        public var concurrency: Int
        public var wallNanoseconds: UInt64
        public var failed: Int

        public var filesPerSecond: Double {
            Throughput.perSecond(Double(files - failed), wallNanoseconds: wallNanoseconds)
        }

        public var json: JSONValue {
            .object([
                ("files", .int(Int64(files))),
                ("concurrency", .int(Int64(concurrency))),
                ("wall_seconds", .rounded(Double(wallNanoseconds) / 1e9, digits: 6)),
                ("files_per_second", .rounded(filesPerSecond, digits: 2)),
                ("failed", .int(Int64(failed))),
            ])
        }
    }

    /// A folder on the same file system as the daemon's `downloaded/`, made fresh for each run.
    public let parent: String
    public let concurrency: Int
    /// Each source's name and bytes (nil when it could not be read), read once for every run.
    private let files: [(name: String, bytes: [UInt8]?)]

    /// - Parameter sources: paths of the files to copy (the source peer's shared files).
    public init(sources: [String], parent: String, concurrency: Int) {
        self.parent = parent
        self.concurrency = max(1, concurrency)
        files = sources.map { (String($0.split(separator: "/").last ?? ""), FileIO.readBytes($0)) }
    }

    private static let runs = Atomic<Int>(0)

    public func measure() throws(BenchError) -> Outcome {
        let folder = parent + "/file-creation-ceiling-\(Self.runs.wrappingAdd(1, ordering: .relaxed).oldValue)"
        try Directories.create(folder)
        let files = files
        let next = Atomic<Int>(0)
        let (failures, wall) = ThreadGang.run(concurrency) { _, gate in
            gate.wait()
            var failed = 0
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < files.count else { break }
                guard let bytes = files[index].bytes, Self.place(bytes, at: folder + "/" + files[index].name) else {
                    failed += 1
                    continue
                }
            }
            return failed
        }
        return Outcome(
            files: files.count, concurrency: concurrency, wallNanoseconds: wall, failed: failures.reduce(0, +))
    }

    /// Create `<path>.part`, write, close, rename to `path`: a download's file-system steps.
    private static func place(_ bytes: [UInt8], at path: String) -> Bool {
        let part = path + ".part"
        let descriptor = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        let written = bytes.withUnsafeBytes { raw in
            (try? FileIO.writeAll(descriptor, raw, path: part)) != nil
        }
        return close(descriptor) == 0 && written && rename(part, path) == 0
    }
}
