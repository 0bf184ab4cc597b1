/// An open-addressing hash table of 32-bit ids: the keys live elsewhere (a name arena, a file
/// table) and the caller supplies their hashes and equality.
///
/// One `UInt32` per slot, linear probing, at most 3/4 full, and backward-shift deletion, so there
/// are no tombstones and a table that churns (peers leaving and coming back) never degrades. With
/// `Dictionary<String, …>` each key would cost a heap string and a 16-byte-plus slot; here a key
/// costs 4–8 bytes.
struct IDHashTable: Sendable {
    static let empty = UInt32.max

    private(set) var slots: [UInt32]
    private(set) var count = 0
    private var mask: Int

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity * 3 < minimumCapacity * 4 { capacity *= 2 }
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
    }

    var capacity: Int { slots.count }

    /// The stored id for which `matches` is true, probing from `hash`.
    func find(hash: UInt32, where matches: (UInt32) -> Bool) -> UInt32? {
        var slot = Int(hash) & mask
        while true {
            let id = slots[slot]
            if id == Self.empty { return nil }
            if matches(id) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `id`, which the caller knows is absent; `hashOf` rehashes stored ids when the table grows.
    mutating func insert(_ id: UInt32, hash: UInt32, hashOf: (UInt32) -> UInt32) {
        if (count + 1) * 4 > slots.count * 3 { grow(hashOf: hashOf) }
        var slot = Int(hash) & mask
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = id
        count += 1
    }

    /// Puts `new` in the slot of `old` (same key, e.g. a chain whose head changed).
    mutating func replace(_ old: UInt32, with new: UInt32, hash: UInt32) {
        var slot = Int(hash) & mask
        while slots[slot] != old {
            precondition(slots[slot] != Self.empty, "IDHashTable.replace: id not stored")
            slot = (slot + 1) & mask
        }
        slots[slot] = new
    }

    /// Removes `id` (stored under `hash`) and shifts later members of its cluster back.
    mutating func remove(_ id: UInt32, hash: UInt32, hashOf: (UInt32) -> UInt32) {
        var hole = Int(hash) & mask
        while slots[hole] != id {
            precondition(slots[hole] != Self.empty, "IDHashTable.remove: id not stored")
            hole = (hole + 1) & mask
        }
        slots[hole] = Self.empty
        count -= 1
        var probe = hole
        while true {
            probe = (probe + 1) & mask
            let moving = slots[probe]
            if moving == Self.empty { return }
            let home = Int(hashOf(moving)) & mask
            // `moving` may fill the hole unless its home lies cyclically in (hole, probe].
            let homeAfterHole = (home - hole - 1) & mask
            let probeAfterHole = (probe - hole - 1) & mask
            if homeAfterHole > probeAfterHole {
                slots[hole] = moving
                slots[probe] = Self.empty
                hole = probe
            }
        }
    }

    private mutating func grow(hashOf: (UInt32) -> UInt32) {
        let old = slots
        slots = Array(repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for id in old where id != Self.empty {
            var slot = Int(hashOf(id)) & mask
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = id
        }
    }
}
