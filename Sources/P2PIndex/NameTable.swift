/// Every distinct file name the index lists, interned: one byte arena for all names and a small
/// integer id per name, so the per-file tables refer to a name with 4 bytes.
///
/// Ids of removed names are reused; the arena is compacted when more than half of it is dead, so
/// memory follows the live names after peers leave. Hashing is Swift's seeded `Hasher`, so names
/// chosen by a hostile peer cannot be made to collide on purpose.
struct NameTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [UInt32] = []
    /// 0 for a free id (names are never empty).
    private var lengths: [UInt8] = []
    private var hashes: [UInt32] = []
    private var table = IDHashTable()
    private var freeIDs: [UInt32] = []
    private var deadBytes = 0

    var count: Int { table.count }
    /// Ids are below this.
    var idLimit: Int { starts.count }

    func isLive(_ id: UInt32) -> Bool { lengths[Int(id)] != 0 }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }

    func find(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        find(bytes, hash: Self.hash(bytes))
    }

    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt32) -> UInt32? {
        arena.withUnsafeBytes { arena in
            table.find(hash: hash) { id in
                let index = Int(id)
                guard hashes[index] == hash, Int(lengths[index]) == bytes.count else { return false }
                let start = Int(starts[index])
                return memoryEqual(arena.baseAddress! + start, bytes.baseAddress!, bytes.count)
            }
        }
    }

    /// The id of `bytes` (1–255 bytes), adding the name if it is new.
    mutating func insert(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        precondition((1...255).contains(bytes.count), "NameTable: a name is 1-255 bytes")
        let hash = Self.hash(bytes)
        if let id = find(bytes, hash: hash) { return id }
        let start = UInt32(arena.count)
        arena.append(contentsOf: bytes)
        let id: UInt32
        if let reused = freeIDs.popLast() {
            id = reused
            starts[Int(id)] = start
            lengths[Int(id)] = UInt8(bytes.count)
            hashes[Int(id)] = hash
        } else {
            id = UInt32(starts.count)
            starts.append(start)
            lengths.append(UInt8(bytes.count))
            hashes.append(hash)
        }
        table.insert(id, hash: hash) { hashes[Int($0)] }
        return id
    }

    mutating func remove(_ id: UInt32) {
        let index = Int(id)
        precondition(lengths[index] != 0, "NameTable.remove: free id")
        table.remove(id, hash: hashes[index]) { hashes[Int($0)] }
        deadBytes += Int(lengths[index])
        lengths[index] = 0
        freeIDs.append(id)
        if deadBytes > 4096, deadBytes * 2 > arena.count { compact() }
        if table.count == 0 {
            arena = []
            starts = []
            lengths = []
            hashes = []
            freeIDs = []
            deadBytes = 0
        }
    }

    func withBytes<Result>(of id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let start = Int(starts[Int(id)])
        let length = Int(lengths[Int(id)])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<start + length])) }
    }

    func string(of id: UInt32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Rewrites the arena with live names only; ids stay the same.
    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(arena.count - deadBytes)
        for index in starts.indices where lengths[index] != 0 {
            let start = Int(starts[index])
            starts[index] = UInt32(packed.count)
            packed.append(contentsOf: arena[start..<start + Int(lengths[index])])
        }
        arena = packed
        deadBytes = 0
    }
}

private func memoryEqual(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
    for offset in 0..<count
    where lhs.load(fromByteOffset: offset, as: UInt8.self)
        != rhs.load(
            fromByteOffset: offset, as: UInt8.self)
    {
        return false
    }
    return true
}
