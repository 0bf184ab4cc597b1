import P2PIndex
import P2PProtocol
import Testing

/// `FileIndex` against a plain dictionary model under random registrations, removals and
/// departures: the compact layout's lists (holders of a name and of a digest, files of a peer)
/// must always answer what the model holds.
@Suite struct FileIndexModelTests {
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let names = (0..<24).map { "file-\($0).bin" } + ["", ".hidden", "a/b", "x.part", "caf\u{E9}"]
    static let digests: [String?] =
        [nil] + (0..<4).map { String(repeating: "0123456789abcdef".map(String.init)[$0], count: 64) }
    static let peers = ["p1", "p2", "p3", "p4", "p5"]

    static func listable(_ name: String) -> Bool {
        guard let fileName = try? FileName(name) else { return false }
        return !fileName.isHidden
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomOperationsAgreeWithTheModel(seed: UInt64) {
        var random = Random(state: seed)
        var index = FileIndex()
        var model: [String: [String: FileMeta]] = [:]
        var tasks = 0
        for step in 0..<400 {
            let peer = Self.peers[random.next(Self.peers.count)]
            let operation = random.next(10)
            if operation == 0 {
                index.unregister(peerID: peer)
                model[peer] = nil
            } else {
                let mode: RegistrationMode = operation < 4 ? .replace : operation < 8 ? .add : .remove
                var files: [SharedFile] = []
                for _ in 0..<random.next(12) {
                    let meta = FileMeta(
                        size: random.next(3) == 0 ? nil : Int64(random.next(3)),
                        sha256: Self.digests[random.next(Self.digests.count)])
                    files.append(SharedFile(name: Self.names[random.next(Self.names.count)], meta: meta))
                }
                let request = RegistryRequest(
                    endpoint: PeerEndpoint(host: "127.0.0.1", port: 7000), files: files, mode: mode,
                    heartbeatIntervalSeconds: 10)
                let response = index.register(peerID: peer, request: request, now: 0)
                if mode != .replace, model[peer] == nil {
                    #expect(response == nil)
                    continue
                }
                var catalog = mode == .replace ? [:] : model[peer]!
                for file in files {
                    switch mode {
                    case .replace, .add: if Self.listable(file.name) { catalog[file.name] = file.meta }
                    case .remove: catalog[file.name] = nil
                    }
                }
                model[peer] = catalog
                // Replication work (factor 2): files this peer lacks, held by one peer, the source.
                for task in response?.replicationTasks ?? [] {
                    tasks += 1
                    #expect(catalog[task.fileName] == nil, "step \(step)")
                    #expect(model[task.sourcePeerID]?[task.fileName] == task.meta, "step \(step)")
                    #expect(model.values.filter { $0[task.fileName] != nil }.count == 1, "step \(step)")
                }
            }
            check(index, model, step: step)
        }
        #expect(tasks > 0)
    }

    func check(_ index: FileIndex, _ model: [String: [String: FileMeta]], step: Int) {
        #expect(index.fileCount == model.values.reduce(0) { $0 + $1.count }, "step \(step)")
        #expect(index.peerCount == model.count, "step \(step)")
        #expect(index.nameCount == Set(model.values.flatMap(\.keys)).count, "step \(step)")
        for summary in index.peerSummaries(now: 0) {
            #expect(summary.fileCount == model[summary.peerID]?.count, "step \(step)")
        }
        struct Hit: Hashable {
            var peer: String
            var name: String
            var meta: FileMeta
        }
        for name in Self.names where Self.listable(name) {
            let found = Set(
                index.search(SearchRequest(query: name), now: 0).map {
                    Hit(peer: $0.peerID, name: $0.fileName, meta: $0.meta)
                })
            let expected = Set(
                model.compactMap { peer, files in files[name].map { Hit(peer: peer, name: name, meta: $0) } })
            #expect(found == expected, "step \(step), name \(name)")
        }
        for case let digest? in Self.digests {
            let found = Set(
                index.search(SearchRequest(query: digest, mode: .sha256), now: 0).map {
                    Hit(peer: $0.peerID, name: $0.fileName, meta: $0.meta)
                })
            var expected: Set<Hit> = []
            for (peer, files) in model {
                for (name, meta) in files where meta.sha256 == digest {
                    expected.insert(Hit(peer: peer, name: name, meta: meta))
                }
            }
            #expect(found == expected, "step \(step), digest \(digest.prefix(4))")
        }
    }
}
