import Testing

@testable import P2PIndex

@Suite struct IDHashTableTests {
    /// Keys are ids; the test controls their hashes to force collisions.
    struct Model {
        var table = IDHashTable()
        var hashes: [UInt32: UInt32] = [:]

        mutating func insert(_ id: UInt32, hash: UInt32) {
            hashes[id] = hash
            table.insert(id, hash: hash) { hashes[$0]! }
        }

        mutating func remove(_ id: UInt32) {
            table.remove(id, hash: hashes[id]!) { hashes[$0]! }
            hashes[id] = nil
        }

        func contains(_ id: UInt32) -> Bool {
            table.find(hash: hashes[id] ?? 0) { $0 == id } != nil
        }
    }

    @Test func collidingKeysAreAllFoundAndSurviveRemovalInAnyOrder() {
        var model = Model()
        // Every id hashes to the same home slot, plus neighbours that wrap around the end.
        for id in UInt32(0)..<10 { model.insert(id, hash: 7) }
        for id in UInt32(10)..<14 { model.insert(id, hash: 15) }
        #expect(model.table.count == 14)
        for id in UInt32(0)..<14 { #expect(model.contains(id)) }
        for id in [UInt32(3), 0, 12, 9, 10] {
            model.remove(id)
            #expect(!model.contains(id))
            for other in model.hashes.keys { #expect(model.contains(other), "lost \(other) after removing \(id)") }
        }
        #expect(model.table.count == 9)
    }

    @Test func growsAndKeepsEveryKey() {
        var model = Model()
        let initial = model.table.capacity
        for id in UInt32(0)..<5000 { model.insert(id, hash: id &* 2_654_435_761) }
        #expect(model.table.capacity > initial)
        #expect(model.table.count * 4 <= model.table.capacity * 3)
        for id in UInt32(0)..<5000 { #expect(model.contains(id)) }
    }

    @Test func churnAgainstADictionaryModel() {
        var model = Model()
        var random = UInt64(42)
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 33
        }
        for _ in 0..<20_000 {
            let id = UInt32(next() % 500)
            if model.hashes[id] != nil {
                model.remove(id)
            } else {
                // Few distinct hashes: long clusters, many collisions.
                model.insert(id, hash: UInt32(next() % 64))
            }
        }
        #expect(model.table.count == model.hashes.count)
        for id in UInt32(0)..<500 { #expect(model.contains(id) == (model.hashes[id] != nil)) }
    }

    @Test func replaceKeepsTheSlot() {
        var model = Model()
        model.insert(1, hash: 3)
        model.insert(2, hash: 3)
        model.table.replace(1, with: 9, hash: 3)
        #expect(model.table.find(hash: 3) { $0 == 9 } == 9)
        #expect(model.table.find(hash: 3) { $0 == 1 } == nil)
        #expect(model.table.find(hash: 3) { $0 == 2 } == 2)
    }
}
