/// The files of one registration in a compact form: every name's bytes in one buffer and a
/// fixed-size record per file, so decoding a 5,000-file batch costs two growing arrays instead of
/// two heap strings per file.
///
/// Names are kept as they arrived (unescaped, not yet validated): the index decides which of them
/// it lists. A digest that is not 64 hex digits is dropped, as `FileMeta` does.
public struct RegistryEntries: Sendable, Equatable {
    struct Record: Sendable, Equatable {
        var nameStart: Int
        var nameLength: Int
        /// `-1` when the peer did not say.
        var size: Int64
        var digest: SHA256Value?
    }

    private var nameBytes: [UInt8] = []
    private var records: [Record] = []

    public init() {}

    /// The entries of a `RegistryRequest` built in code (tests, the peer's own requests).
    public init(_ files: [SharedFile]) {
        records.reserveCapacity(files.count)
        for file in files {
            append(name: file.name.utf8, size: file.meta.size, digest: file.meta.sha256.flatMap(SHA256Value.init(hex:)))
        }
    }

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }

    public mutating func reserveCapacity(files: Int, nameBytes: Int) {
        records.reserveCapacity(files)
        self.nameBytes.reserveCapacity(nameBytes)
    }

    public mutating func append(name: some Collection<UInt8>, size: Int64?, digest: SHA256Value?) {
        let start = nameBytes.count
        nameBytes.append(contentsOf: name)
        records.append(Record(nameStart: start, nameLength: nameBytes.count - start, size: size ?? -1, digest: digest))
    }

    /// Calls `body` with the name bytes of entry `index`; the pointer is valid only inside `body`.
    public func withName<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let record = records[index]
        return try nameBytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[record.nameStart..<record.nameStart + record.nameLength]))
        }
    }

    public func name(at index: Int) -> String {
        withName(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    public func size(at index: Int) -> Int64? {
        let size = records[index].size
        return size < 0 ? nil : size
    }

    public func digest(at index: Int) -> SHA256Value? { records[index].digest }

    /// The entries as `SharedFile` values (names decoded leniently), for callers that want strings.
    public var sharedFiles: [SharedFile] {
        (0..<count).map { index in
            SharedFile(name: name(at: index), meta: FileMeta(size: size(at: index), sha256: digest(at: index)?.hex))
        }
    }
}
