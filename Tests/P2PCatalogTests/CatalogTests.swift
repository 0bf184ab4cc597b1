import Glibc
import P2PProtocol
import Testing

@testable import P2PCatalog

@Suite struct CatalogTests {
    /// A peer state folder with empty `shared/` and `replicated/`.
    func withState(_ body: (String) throws -> Void) throws {
        try withTemporaryFolder { state in
            try makeFolder(state + "/shared")
            try makeFolder(state + "/replicated")
            try body(state)
        }
    }

    func digest(_ text: String) -> SHA256Digest { IncrementalHasher.digest(Array(text.utf8)) }

    @Test func scansBothFoldersAndHashes() throws {
        try withState { state in
            try writeFile(state + "/shared/a.txt", "alpha")
            try writeFile(state + "/shared/b.bin", "bravo")
            try writeFile(state + "/replicated/c.txt", "charlie")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let update = try catalog.refresh()
            #expect(update.hashedFiles == 3)
            #expect(update.hashedBytes == 17)
            #expect(update.cacheHits == 0)
            #expect(update.skipped.isEmpty)
            #expect(update.warnings.isEmpty)
            #expect(update.diff.added.map(\.name.string) == ["a.txt", "b.bin", "c.txt"])
            let snapshot = catalog.snapshot
            #expect(snapshot.count == 3)
            #expect(snapshot.totalBytes == 17)
            let a = try #require(snapshot[name("a.txt")])
            #expect(a.folder == .shared && a.size == 5 && a.sha256 == digest("alpha"))
            #expect(snapshot[name("c.txt")]?.folder == .replicated)
            #expect(snapshot.entries(withSHA256: digest("charlie")).map(\.name) == [name("c.txt")])
            #expect(snapshot.generation == 1)
        }
    }

    @Test func emptyAndMissingFoldersServeNothing() throws {
        try withTemporaryFolder { state in
            try makeFolder(state + "/shared")  // no replicated/
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let update = try catalog.refresh()
            #expect(update.snapshot.count == 0)
            #expect(update.diff.isEmpty)
            #expect(update.warnings.isEmpty)
        }
    }

    @Test func skipsAndReportsWhatItDoesNotServe() throws {
        try withState { state in
            let shared = state + "/shared"
            try writeFile(shared + "/good.txt", "good")
            try writeFile(state + "/secret", "secret")
            #expect(mkfifo(shared + "/fifo", 0o644) == 0)
            try makeFolder(shared + "/folder")
            #expect(symlink(state + "/secret", shared + "/outside-link") == 0)
            #expect(symlink("good.txt", shared + "/inside-link") == 0)
            #expect(link(state + "/secret", shared + "/hard-link") == 0)
            try writeFile(pathBytes: Array((shared + "/bad").utf8) + [0xFF], Array("not UTF-8".utf8))
            try writeFile(shared + "/tab\there", "control character")
            // Skipped silently: hidden files and downloads in progress.
            try writeFile(shared + "/.hidden", "hidden")
            try writeFile(shared + "/movie.mkv.part", "in progress")

            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let update = try catalog.refresh()
            #expect(update.snapshot.entries.keys.map(\.string) == ["good.txt"])
            var reasons: [String: SkippedFile.Reason] = [:]
            for skipped in update.skipped {
                reasons[EscapedBytes.escaped(skipped.rawName)] = skipped.reason
            }
            #expect(reasons.count == 7)
            #expect(reasons["fifo"] == .refused(.notRegularFile(name("fifo"), .fifo)))
            #expect(reasons["folder"] == .refused(.notRegularFile(name("folder"), .directory)))
            #expect(reasons["outside-link"] == .refused(.symbolicLink(name("outside-link"))))
            #expect(reasons["inside-link"] == .refused(.symbolicLink(name("inside-link"))))
            #expect(reasons["hard-link"] == .refused(.hardLinked(name("hard-link"), linkCount: 2)))
            #expect(reasons["bad\\xFF"] == .invalidName(.invalidUTF8(Array("bad".utf8) + [0xFF])))
            #expect(
                reasons["tab\\there"]
                    == .invalidName(.controlCharacter(Array("tab\there".utf8), scalar: 9)))
            #expect(update.newlySkipped.count == 7)
            let shown = update.skipped.map(\.description)
            #expect(shown.contains("shared/bad\\xFF: is not valid UTF-8"))

            // The next scan reports the same entries as skipped, but none as new.
            let again = try catalog.refresh()
            #expect(again.skipped.count == 7)
            #expect(again.newlySkipped.isEmpty)
        }
    }

    @Test func hardLinksServedWhenAllowed() throws {
        try withState { state in
            try writeFile(state + "/original", "shared by hard link")
            #expect(link(state + "/original", state + "/shared/linked") == 0)
            let catalog = Catalog(configuration: .init(stateDirectory: state, allowsHardLinks: true))
            let update = try catalog.refresh()
            #expect(update.snapshot[name("linked")]?.sha256 == digest("shared by hard link"))
        }
    }

    @Test func restartUsesTheCacheInsteadOfRehashing() throws {
        try withState { state in
            for index in 0..<5 { try writeFile(state + "/shared/file\(index)", "content \(index)") }
            try writeFile(state + "/replicated/copy", "replica")
            let first = try Catalog(configuration: .init(stateDirectory: state)).refresh()
            #expect(first.hashedFiles == 6)
            #expect(access(state + "/catalog-hashes", F_OK) == 0)

            // A restart: a new catalog over the same state folder.
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let loaded = catalog.loadCached()
            #expect(loaded.pendingFiles == 0)
            #expect(loaded.cacheHits == 6)
            #expect(loaded.snapshot.entries == first.snapshot.entries)
            #expect(loaded.diff.added.count == 6)
            let refreshed = try catalog.refresh()
            #expect(refreshed.hashedFiles == 0)
            #expect(refreshed.cacheHits == 6)
            #expect(refreshed.diff.isEmpty)
        }
    }

    @Test func loadCachedPublishesWhatTheCacheVouchesForAndHashesNothing() throws {
        try withState { state in
            try writeFile(state + "/shared/old", "already hashed")
            _ = try Catalog(configuration: .init(stateDirectory: state)).refresh()
            try writeFile(state + "/shared/new", "added while the peer was down")

            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let loaded = catalog.loadCached()
            #expect(loaded.hashedFiles == 0)
            #expect(loaded.pendingFiles == 1)
            #expect(loaded.snapshot.entries.keys.map(\.string) == ["old"])
            let refreshed = try catalog.refresh()
            #expect(refreshed.hashedFiles == 1)
            #expect(refreshed.diff.added.map(\.name.string) == ["new"])
            #expect(refreshed.snapshot.count == 2)
        }
    }

    @Test func cacheIsInvalidatedBySizeMtimeOrInodeChange() throws {
        try withState { state in
            let path = state + "/shared/f"
            try writeFile(path, "version 1")
            try setModificationTime(path, seconds: 1_700_000_000)
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            #expect(try catalog.refresh().hashedFiles == 1)
            #expect(try catalog.refresh().hashedFiles == 0)

            // Same size, same mtime restored, different content: (size, mtime, inode) cannot tell.
            // That is the documented limit; the mtime change alone is what forces a rehash.
            try writeFile(path, "version 2")  // same size, new mtime
            var update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.diff.changed.map(\.sha256) == [digest("version 2")])

            try setModificationTime(path, seconds: 1_600_000_000, nanoseconds: 5)  // mtime only
            update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.diff.isEmpty)  // same content: no news for the index

            try writeFile(path, "version three")  // size (and mtime)
            update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.diff.changed.map(\.size) == [13])

            // Replaced by rename with the same size and mtime: only the inode differs.
            let status = try FileStatus.at(AT_FDCWD, Array(path.utf8))
            try writeFile(state + "/replacement", "version thre3")
            try setModificationTime(
                state + "/replacement", seconds: Int(status.modificationTimeNanoseconds / 1_000_000_000),
                nanoseconds: Int(status.modificationTimeNanoseconds % 1_000_000_000))
            #expect(rename(state + "/replacement", path) == 0)
            update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.diff.changed.map(\.sha256) == [digest("version thre3")])
        }
    }

    @Test func cacheFileForgetsDeletedFiles() throws {
        try withState { state in
            try writeFile(state + "/shared/kept", "kept")
            try writeFile(state + "/shared/deleted", "deleted")
            _ = try Catalog(configuration: .init(stateDirectory: state)).refresh()
            #expect(unlink(state + "/shared/deleted") == 0)
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            _ = catalog.loadCached()
            let update = try catalog.refresh()
            #expect(update.hashedFiles == 0)
            let saved = HashCache.load(from: state + "/catalog-hashes").cache
            #expect(saved.records.keys.map(\.name.string) == ["kept"])
        }
    }

    @Test func corruptCacheIsIgnoredAndRewritten() throws {
        try withState { state in
            try writeFile(state + "/shared/f", "content")
            _ = try Catalog(configuration: .init(stateDirectory: state)).refresh()
            try writeFile(state + "/catalog-hashes", "p2p-hash-cache 1\nshared 1 2 3\n")

            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.warnings.count == 1)
            #expect(update.warnings.first?.contains("ignoring corrupt hash cache") == true)
            #expect(update.snapshot[name("f")]?.sha256 == digest("content"))
            let rewritten = HashCache.load(from: state + "/catalog-hashes")
            #expect(rewritten.warning == nil)
            #expect(rewritten.cache.records.count == 1)
        }
    }

    @Test func diffReportsAddedRemovedAndChanged() throws {
        try withState { state in
            try writeFile(state + "/shared/keep", "same")
            try writeFile(state + "/shared/change", "before")
            try writeFile(state + "/shared/remove", "going")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let first = try catalog.refresh()
            #expect(first.diff.added.count == 3)
            #expect(first.diff.description == "3 added, 0 removed, 0 changed")

            try writeFile(state + "/shared/change", "after!")
            #expect(unlink(state + "/shared/remove") == 0)
            try writeFile(state + "/replicated/new", "arrived")
            let second = try catalog.refresh()
            #expect(second.diff.added.map(\.name.string) == ["new"])
            #expect(second.diff.removed.map(\.name.string) == ["remove"])
            #expect(second.diff.removed.first?.sha256 == digest("going"))
            #expect(second.diff.changed.map(\.name.string) == ["change"])
            #expect(second.diff.changed.first?.sha256 == digest("after!"))
            #expect(second.snapshot.generation == first.snapshot.generation + 1)

            let third = try catalog.refresh()
            #expect(third.diff.isEmpty)
            #expect(third.snapshot.generation == second.snapshot.generation)

            // Pure diff computation.
            let entry = try #require(third.snapshot[name("keep")])
            var touched = entry
            touched.modificationTimeNanoseconds += 1
            #expect(CatalogDiff(from: [entry.name: entry], to: [entry.name: touched]).isEmpty)
        }
    }

    @Test func sharedWinsOverReplicated() throws {
        try withState { state in
            try writeFile(state + "/shared/song.ogg", "owner's copy")
            try writeFile(state + "/replicated/song.ogg", "replica")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let update = try catalog.refresh()
            #expect(update.snapshot.count == 1)
            let entry = try #require(update.snapshot[name("song.ogg")])
            #expect(entry.folder == .shared && entry.sha256 == digest("owner's copy"))
            #expect(update.hashedFiles == 1)  // the shadowed replica is not hashed

            #expect(unlink(state + "/shared/song.ogg") == 0)
            let after = try catalog.refresh()
            #expect(after.snapshot[name("song.ogg")]?.folder == .replicated)
            #expect(after.diff.changed.map(\.sha256) == [digest("replica")])

            // The shared file comes back: before it is hashed, loadCached must not serve the replica
            // under its name as if nothing happened... it keeps the name claimed for `shared`.
            try writeFile(state + "/shared/song.ogg", "owner's copy, again")
            let restarted = Catalog(configuration: .init(stateDirectory: state))
            let loaded = restarted.loadCached()
            #expect(loaded.snapshot[name("song.ogg")] == nil)
            #expect(loaded.pendingFiles == 1)
            #expect(try restarted.refresh().snapshot[name("song.ogg")]?.folder == .shared)
        }
    }

    @Test func openServesOnlyTheHashedVersion() throws {
        try withState { state in
            try writeFile(state + "/shared/f", "hashed")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            #expect(throws: SafeOpenError.notFound(name("f"))) { try catalog.open(name("f")) }
            _ = try catalog.refresh()

            let (file, entry) = try catalog.open(name("f"))
            #expect(readAll(file.descriptor) == Array("hashed".utf8))
            #expect(entry.sha256 == digest("hashed"))
            file.close()
            let byHash = try #require(try catalog.open(sha256: digest("hashed")))
            byHash.file.close()
            #expect(try catalog.open(sha256: digest("nothing")) == nil)

            try writeFile(state + "/shared/f", "edited")
            #expect(throws: SafeOpenError.changedSinceHashing(name("f"))) { try catalog.open(name("f")) }
            _ = try catalog.refresh()
            let (reopened, _) = try catalog.open(name("f"))
            reopened.close()
        }
    }

    @Test func progressCoversEveryFileToHash() throws {
        try withState { state in
            try writeFile(state + "/shared/small", "s")
            try writeFile(state + "/shared/large", randomBytes(50_000))
            let catalog = Catalog(
                configuration: .init(
                    sharedPath: state + "/shared", replicatedPath: state + "/replicated", cachePath: nil,
                    blockSize: 4096))
            var seen: [RefreshProgress] = []
            _ = try catalog.refresh { seen.append($0) }
            #expect(seen.first?.filesDone == 0)
            #expect(seen.first?.bytesTotal == 50_001)
            #expect(seen.last?.filesDone == 2)
            #expect(seen.last?.bytesDone == 50_001)
            #expect(seen.count > 10)  // per block, not only per file
            // Small files first.
            #expect(seen.first { $0.currentName != nil }?.currentName == name("small"))
            #expect(access(state + "/catalog-hashes", F_OK) != 0)  // no cache path: nothing written
        }
    }

    @Test func fileChangingWhileHashedIsLeftForTheNextRefresh() throws {
        try withState { state in
            let path = state + "/shared/growing.log"
            try writeFile(path, randomBytes(64 * 1024))
            let catalog = Catalog(
                configuration: .init(
                    sharedPath: state + "/shared", replicatedPath: state + "/replicated",
                    cachePath: state + "/cache", blockSize: 4096))
            var appended = false
            let update = try catalog.refresh { progress in
                if !appended && progress.bytesDone > 0 {  // an appending writer, mid-hash
                    appended = true
                    let descriptor = open(path, O_WRONLY | O_APPEND)
                    try? writeAll(descriptor, Array("more".utf8))
                    close(descriptor)
                }
            }
            #expect(update.snapshot.count == 0)
            #expect(update.skipped.map(\.reason) == [.changedWhileHashing])
            let next = try catalog.refresh()
            let entry = try #require(next.snapshot[name("growing.log")])
            #expect(entry.size == 64 * 1024 + 4)
        }
    }

    @Test func cancellationKeepsFinishedHashes() async throws {
        try await withTemporaryFolderAsync { state in
            try makeFolder(state + "/shared")
            for index in 0..<3 { try writeFile(state + "/shared/f\(index)", "file \(index)") }
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            let task = Task {
                try catalog.refresh { progress in
                    if progress.filesDone == 2 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(catalog.snapshot.count == 0)  // nothing published
            #expect(HashCache.load(from: state + "/catalog-hashes").cache.records.count == 2)
            let update = try catalog.refresh()
            #expect(update.hashedFiles == 1)
            #expect(update.cacheHits == 2)
        }
    }

    @Test func unreadableFolderKeepsItsPreviousEntries() throws {
        // Root ignores directory permissions, so simulate the failure with a folder replaced by a file
        // (ENOTDIR), which no privilege can read as a folder.
        try withState { state in
            try writeFile(state + "/replicated/r", "replica")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            #expect(try catalog.refresh().snapshot.count == 1)
            #expect(rename(state + "/replicated", state + "/replicated.away") == 0)
            try writeFile(state + "/replicated", "not a folder")
            let update = try catalog.refresh()
            #expect(update.snapshot[name("r")] != nil)
            #expect(update.diff.isEmpty)
            #expect(update.warnings.count == 1)
            #expect(update.warnings.first?.contains("keeping its replicated files") == true)
            // Gone for real: the folder exists and is empty.
            #expect(unlink(state + "/replicated") == 0)
            try makeFolder(state + "/replicated")
            #expect(try catalog.refresh().diff.removed.map(\.name.string) == ["r"])
        }
    }

    @Test func snapshotsAreSafeToReadDuringARefresh() async throws {
        try await withTemporaryFolderAsync { state in
            try makeFolder(state + "/shared")
            for index in 0..<20 { try writeFile(state + "/shared/f\(index)", randomBytes(20_000)) }
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            async let refreshed = Task.detached { try catalog.refresh() }.value
            var generations: [UInt64] = []
            for _ in 0..<50 {
                generations.append(catalog.snapshot.generation)
                await Task.yield()
            }
            #expect(try await refreshed.snapshot.count == 20)
            #expect(generations.allSatisfy { $0 <= 1 })
        }
    }
}

@Suite struct CatalogBenchmarks {
    /// With P2P_BENCH_CATALOG set: the seed's per-peer layout scaled down (1000 × 1 KiB,
    /// 100 × 1 MiB), first refresh vs. a restart's loadCached and refresh. Skipped otherwise.
    @Test(.enabled(if: getenv("P2P_BENCH_CATALOG") != nil))
    func seedSizedFolder() throws {
        try withTemporaryFolder { state in
            try makeFolder(state + "/shared")
            for index in 0..<1000 {
                try writeFile(state + "/shared/p_kb_\(index).txt", randomBytes(1024))
            }
            let mebibyte = randomBytes(1 << 20)
            for index in 0..<100 { try writeFile(state + "/shared/p_mb_\(index).bin", mebibyte) }
            let clock = ContinuousClock()
            var first: CatalogUpdate?
            let firstTime = try clock.measure {
                first = try Catalog(configuration: .init(stateDirectory: state)).refresh()
            }
            let restarted = Catalog(configuration: .init(stateDirectory: state))
            var loaded: CatalogUpdate?
            let loadTime = clock.measure { loaded = restarted.loadCached() }
            let refreshTime = try clock.measure { _ = try restarted.refresh() }
            #expect(first?.hashedFiles == 1100)
            #expect(loaded?.snapshot.count == 1100)
            print(
                "1100 files, 101 MiB: first refresh \(firstTime), loadCached after restart \(loadTime), "
                    + "refresh with nothing new \(refreshTime)")
        }
    }
}
