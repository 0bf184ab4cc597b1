import P2PIndex
import P2PProtocol
import Testing

@Suite struct FileIndexTests {
    let digestA = String(repeating: "a", count: 64)
    let digestB = String(repeating: "b", count: 64)

    func registration(
        _ port: Int, _ files: [(String, String?)], mode: RegistrationMode = .replace, heartbeat: Int? = 10
    ) -> RegistryRequest {
        RegistryRequest(
            endpoint: PeerEndpoint(host: "127.0.0.1", port: port),
            files: files.map { SharedFile(name: $0.0, meta: FileMeta(size: 1, sha256: $0.1)) }, mode: mode,
            heartbeatIntervalSeconds: heartbeat)
    }

    @Test func exactSearchFindsEveryHolder() {
        var index = FileIndex()
        _ = index.register(peerID: "peer1", request: registration(7100, [("song.ogg", digestA)]), now: 0)
        _ = index.register(peerID: "peer2", request: registration(7101, [("song.ogg", digestA), ("x", nil)]), now: 0)
        let results = index.search(SearchRequest(query: "song.ogg"), now: 1)
        #expect(Set(results.map(\.peerID)) == ["peer1", "peer2"])
        #expect(index.search(SearchRequest(query: "SONG.ogg"), now: 1).isEmpty)
        #expect(index.fileCount == 3)
        #expect(index.nameCount == 2)
    }

    @Test func substringGlobAndHashModes() {
        var index = FileIndex()
        _ = index.register(
            peerID: "peer1",
            request: registration(7100, [("Holiday-2024.JPG", digestA), ("notes.txt", digestB), ("song.ogg", nil)]),
            now: 0)
        #expect(
            index.search(SearchRequest(query: "holiday", mode: .substring), now: 0).map(\.fileName) == [
                "Holiday-2024.JPG"
            ])
        #expect(index.search(SearchRequest(query: "*.txt", mode: .glob), now: 0).map(\.fileName) == ["notes.txt"])
        #expect(index.search(SearchRequest(query: "s?ng.[a-o]gg", mode: .glob), now: 0).map(\.fileName) == ["song.ogg"])
        #expect(index.search(SearchRequest(query: digestB, mode: .sha256), now: 0).map(\.fileName) == ["notes.txt"])
        #expect(index.search(SearchRequest(query: "o", mode: .substring, limit: 2), now: 0).count == 2)
    }

    @Test func replaceAddAndRemoveModes() {
        var index = FileIndex()
        _ = index.register(peerID: "p", request: registration(1, [("a", nil), ("b", nil)]), now: 0)
        _ = index.register(peerID: "p", request: registration(1, [("c", nil)], mode: .add), now: 0)
        #expect(index.fileCount == 3)
        _ = index.register(peerID: "p", request: registration(1, [("a", nil)], mode: .remove), now: 0)
        #expect(index.search(SearchRequest(query: "a"), now: 0).isEmpty)
        _ = index.register(peerID: "p", request: registration(1, [("z", nil)]), now: 0)
        #expect(index.fileCount == 1)
        #expect(index.nameCount == 1)
    }

    @Test func addOrRemoveFromAnUnknownPeerIsRefused() {
        var index = FileIndex()
        #expect(index.register(peerID: "p", request: registration(1, [("a", nil)], mode: .add), now: 0) == nil)
        #expect(index.register(peerID: "p", request: registration(1, [("a", nil)], mode: .remove), now: 0) == nil)
        #expect(index.peerCount == 0)
    }

    @Test func namesAreComparedByBytesNotByUnicodeEquivalence() {
        var index = FileIndex()
        let composed = "caf\u{E9}.txt"
        let decomposed = "cafe\u{301}.txt"
        _ = index.register(peerID: "p", request: registration(1, [(composed, nil), (decomposed, nil)]), now: 0)
        #expect(index.nameCount == 2)
        #expect(index.search(SearchRequest(query: decomposed), now: 0).map(\.fileName) == [decomposed])
    }

    @Test func anEscapedGlobIsAnExactLookupOfTheUnescapedName() {
        var index = FileIndex()
        _ = index.register(peerID: "p", request: registration(1, [("song*.ogg", nil), ("songs.ogg", nil)]), now: 0)
        #expect(index.search(SearchRequest(query: "song\\*.ogg", mode: .glob), now: 0).map(\.fileName) == ["song*.ogg"])
    }

    @Test func laterBatchesKeepTheHeartbeatIntervalAndSlowHeartbeatsGetThreeIntervals() {
        var configuration = IndexConfiguration()
        configuration.heartbeatTTLMilliseconds = 30_000
        var index = FileIndex(configuration: configuration)
        _ = index.register(peerID: "p", request: registration(1, [("a", nil)], heartbeat: 60), now: 0)
        _ = index.register(peerID: "p", request: registration(1, [("b", nil)], mode: .add, heartbeat: nil), now: 0)
        #expect(index.peerSummaries(now: 0).first?.heartbeats == true)
        #expect(index.expire(now: 179_000).isEmpty)
        #expect(index.expire(now: 181_000) == ["p"])
    }

    @Test func invalidNamesAreNotListed() {
        var index = FileIndex()
        let response = index.register(
            peerID: "p",
            request: registration(1, [("../etc/passwd", nil), (".hidden", nil), ("x.part", nil), ("ok", nil)]), now: 0)
        #expect(response?.registeredFiles == 1)
        #expect(index.search(SearchRequest(query: "../etc/passwd"), now: 0).isEmpty)
    }

    @Test func heartbeatingPeersExpireAfterTheTTLAndSeedPeersAfterTheirLifetime() {
        var configuration = IndexConfiguration()
        configuration.heartbeatTTLMilliseconds = 5000
        configuration.seedPeerLifetimeMilliseconds = 50_000
        var index = FileIndex(configuration: configuration)
        _ = index.register(peerID: "ours", request: registration(1, [("f", nil)], heartbeat: 1), now: 0)
        _ = index.register(peerID: "seed", request: registration(2, [("f", nil)], heartbeat: nil), now: 0)
        let alive = index.heartbeat(peerID: "ours", now: 4500)
        #expect(alive)
        #expect(index.search(SearchRequest(query: "f"), now: 9000).count == 2)
        // A silent peer is out of search results at once, and out of the index at the next sweep.
        #expect(index.search(SearchRequest(query: "f"), now: 10_000).map(\.peerID) == ["seed"])
        #expect(index.expire(now: 10_000) == ["ours"])
        let stillKnown = index.heartbeat(peerID: "ours", now: 10_000)
        #expect(!stillKnown)
        #expect(index.expire(now: 50_001) == ["seed"])
        #expect(index.peerCount == 0)
        #expect(index.fileCount == 0)
    }

    @Test func replicationTasksPointAtHoldersOfUnderReplicatedFiles() {
        var index = FileIndex()
        let first = index.register(peerID: "peer1", request: registration(7100, [("a", digestA), ("b", nil)]), now: 0)
        #expect(first?.replicationTasks.isEmpty == true)
        let second = index.register(peerID: "peer2", request: registration(7101, [("b", nil)]), now: 0)
        #expect(second!.replicationTasks.map(\.fileName) == ["a"])
        #expect(second!.replicationTasks.first?.sourcePeerID == "peer1")
        #expect(second!.replicationTasks.first?.source.port == 7100)
        #expect(second!.replicationTasks.first?.meta.sha256 == digestA)
        _ = index.register(peerID: "peer2", request: registration(7101, [("a", digestA)], mode: .add), now: 0)
        #expect(index.assignReplicationTasks(to: "peer2", now: 0).isEmpty)
        #expect(index.assignReplicationTasks(to: "peer1", now: 0).isEmpty)
    }

    @Test func aCopyHandedOutIsNotHandedOutAgainUntilItLapses() {
        var index = FileIndex()
        _ = index.register(peerID: "peer1", request: registration(1, [("a", nil)]), now: 0)
        let second = index.register(peerID: "peer2", request: registration(2, []), now: 0)
        let third = index.register(peerID: "peer3", request: registration(3, []), now: 1000)
        #expect(second?.replicationTasks.map(\.fileName) == ["a"])
        #expect(third?.replicationTasks.isEmpty == true)
        // peer2 never delivered: after the reservation lapses, someone else is asked.
        _ = index.heartbeat(peerID: "peer1", now: 100_000)
        #expect(index.assignReplicationTasks(to: "peer3", now: 121_000).map(\.fileName) == ["a"])
    }

    /// Found by fuzzing (`glob` target): a pattern whose only special character is escaped took
    /// the exact-lookup shortcut with its own text, backslash included, so `a\*b` missed `a*b`
    /// and found a file literally named `a\*b`.
    @Test func escapedGlobLooksUpTheNameItMatches() {
        var index = FileIndex()
        _ = index.register(peerID: "peer1", request: registration(7100, [("a*b", nil), (#"a\*b"#, nil)]), now: 0)
        #expect(index.search(SearchRequest(query: #"a\*b"#, mode: .glob), now: 0).map(\.fileName) == ["a*b"])
        #expect(index.search(SearchRequest(query: #"a\\\*b"#, mode: .glob), now: 0).map(\.fileName) == [#"a\*b"#])
    }

    /// Found by fuzzing (`glob` target): the shortcut's dictionary lookup matched a canonically
    /// equivalent name (NFD for an NFC pattern), which a scan never does, and reported it under
    /// the pattern's spelling instead of the registered one.
    @Test func literalGlobKeepsToTheRegisteredScalars() {
        var index = FileIndex()
        _ = index.register(peerID: "peer1", request: registration(7100, [("cafe\u{301}", nil)]), now: 0)
        #expect(index.search(SearchRequest(query: "caf\u{E9}", mode: .glob), now: 0).isEmpty)
        #expect(
            index.search(SearchRequest(query: "cafe\u{301}", mode: .glob), now: 0).map(\.fileName) == ["cafe\u{301}"])
    }

    @Test func atMostFiveTasks() {
        var index = FileIndex()
        _ = index.register(peerID: "peer1", request: registration(1, (0..<20).map { ("f\($0)", nil) }), now: 0)
        #expect(index.register(peerID: "peer2", request: registration(2, []), now: 0)?.replicationTasks.count == 5)
    }
}

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("*", "anything", true), ("*.txt", "a.txt", true), ("*.txt", "a.txt.bak", false), ("a?c", "abc", true),
        ("a?c", "ac", false), ("[!a]*", "bcd", true), ("[!a]*", "abc", false), ("x[0-9][0-9]", "x42", true),
        ("*a*a*a*a*a*b", String(repeating: "a", count: 200), false), ("é*", "éclair", true), ("[", "[", true),
    ])
    func matches(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test func literalResolvesEscapes() {
        #expect(GlobPattern(#"a\*b"#).literal == "a*b")
        #expect(GlobPattern("[").literal == "[")
        #expect(GlobPattern("a*").literal == nil)
        #expect(GlobPattern("[ab]").literal == nil)
    }
}
