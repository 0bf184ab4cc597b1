import Testing

@testable import P2PIndex

@Suite struct NameTableTests {
    func insert(_ table: inout NameTable, _ name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { table.insert(UnsafeRawBufferPointer($0)) }
    }

    func find(_ table: NameTable, _ name: String) -> UInt32? {
        var name = name
        return name.withUTF8 { table.find(UnsafeRawBufferPointer($0)) }
    }

    @Test func internsByBytesNotByUnicodeEquivalence() {
        var table = NameTable()
        let composed = insert(&table, "caf\u{E9}")
        let decomposed = insert(&table, "cafe\u{301}")
        #expect(composed != decomposed)
        #expect(insert(&table, "caf\u{E9}") == composed)
        #expect(table.count == 2)
        #expect(table.string(of: decomposed) == "cafe\u{301}")
        #expect(find(table, "cafe") == nil)
    }

    @Test func removalFreesIdsForReuseAndCompactsTheArena() {
        var table = NameTable()
        var ids: [UInt32] = []
        for number in 0..<3000 { ids.append(insert(&table, "file-\(number).bin")) }
        for number in stride(from: 0, to: 3000, by: 2) { table.remove(ids[number]) }
        #expect(table.count == 1500)
        // Survivors keep their ids and bytes through the compaction the removals caused.
        for number in stride(from: 1, to: 3000, by: 2) {
            #expect(find(table, "file-\(number).bin") == ids[number])
            #expect(table.string(of: ids[number]) == "file-\(number).bin")
        }
        for number in stride(from: 0, to: 3000, by: 2) { #expect(find(table, "file-\(number).bin") == nil) }
        let reused = insert(&table, "new.bin")
        #expect(reused < 3000)
        #expect(table.idLimit == 3000)
        #expect(table.isLive(reused))
    }

    @Test func emptiedTableStartsOver() {
        var table = NameTable()
        let id = insert(&table, "a")
        table.remove(id)
        #expect(table.count == 0)
        #expect(table.idLimit == 0)
        #expect(insert(&table, "b") == 0)
    }
}
