import Glibc
import Synchronization
import Testing

@testable import P2PCatalog

/// Collects what a watcher delivers, from a task of its own.
final class ChangeCollector: Sendable {
    private let batches = Mutex<[FolderWatcher.FolderChanges]>([])
    private let finished = Mutex(false)

    init(_ watcher: FolderWatcher) {
        Task { [self] in
            for await changes in watcher.changes { batches.withLock { $0.append(changes) } }
            finished.withLock { $0 = true }
        }
    }

    var all: [FolderWatcher.FolderChanges] { batches.withLock { $0 } }
    var events: [FolderWatcher.Event] { all.flatMap(\.events) }
    var hasFinished: Bool { finished.withLock { $0 } }

    func contains(_ kind: FolderWatcher.Event.Kind, _ name: String) -> Bool {
        events.contains { $0.kind == kind && $0.name == Array(name.utf8) }
    }
}

@Suite(.serialized) struct FolderWatcherTests {
    let quiet = Duration.milliseconds(50)

    @Test func reportsAFileWrittenAndClosed() async throws {
        try await withTemporaryFolderAsync { folder in
            let watcher = try FolderWatcher(folders: [folder], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            try writeFile(folder + "/song.ogg", "complete")
            #expect(await eventually { collector.contains(.closedAfterWrite, "song.ogg") })
            let event = try #require(collector.events.first)
            #expect(event.folder == folder)
            #expect(event.fileName == name("song.ogg"))
        }
    }

    @Test func doesNotReportAFileStillOpenForWriting() async throws {
        try await withTemporaryFolderAsync { folder in
            let watcher = try FolderWatcher(folders: [folder], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            let descriptor = open(folder + "/big.iso", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(descriptor >= 0)
            try writeAll(descriptor, randomBytes(100_000))  // half-copied
            try await Task.sleep(for: .milliseconds(500))
            #expect(collector.all.isEmpty)
            try writeAll(descriptor, randomBytes(100_000))
            close(descriptor)
            #expect(await eventually { collector.contains(.closedAfterWrite, "big.iso") })
        }
    }

    @Test func reportsAFileMovedInAndOut() async throws {
        try await withTemporaryFolderAsync { root in
            try makeFolder(root + "/shared")
            let watcher = try FolderWatcher(folders: [root + "/shared"], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            try writeFile(root + "/staged.txt", "ready")  // outside the watched folder: no event
            #expect(rename(root + "/staged.txt", root + "/shared/arrived.txt") == 0)
            #expect(await eventually { collector.contains(.movedIn, "arrived.txt") })
            #expect(rename(root + "/shared/arrived.txt", root + "/left.txt") == 0)
            #expect(await eventually { collector.contains(.movedOut, "arrived.txt") })
            #expect(collector.events.map(\.kind) == [.movedIn, .movedOut])
        }
    }

    @Test func reportsAFileDeleted() async throws {
        try await withTemporaryFolderAsync { folder in
            try writeFile(folder + "/old.txt", "bye")
            let watcher = try FolderWatcher(folders: [folder], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            #expect(unlink(folder + "/old.txt") == 0)
            #expect(await eventually { collector.contains(.deleted, "old.txt") })
        }
    }

    @Test func ignoresHiddenAndPartialFilesButSeesTheirRenameIntoPlace() async throws {
        try await withTemporaryFolderAsync { folder in
            let watcher = try FolderWatcher(folders: [folder], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            try writeFile(folder + "/movie.mkv.part", "downloading")
            try writeFile(folder + "/.movie.mkv.rsync-tmp", "rsync's way")
            #expect(rename(folder + "/movie.mkv.part", folder + "/movie.mkv") == 0)
            #expect(await eventually { collector.contains(.movedIn, "movie.mkv") })
            try await Task.sleep(for: .milliseconds(200))
            #expect(collector.events.map(\.description) == ["moved in: \(folder)/movie.mkv"])
        }
    }

    @Test func coalescesABurstIntoFewBatches() async throws {
        try await withTemporaryFolderAsync { folder in
            let watcher = try FolderWatcher(
                folders: [folder], quietPeriod: .milliseconds(200), maximumDelay: .seconds(5))
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            for index in 0..<50 { try writeFile(folder + "/file\(index)", "x") }
            #expect(await eventually { collector.events.count == 50 })
            #expect(collector.all.count <= 2)  // one, unless the machine stalled mid-burst
        }
    }

    @Test func watchesSeveralFolders() async throws {
        try await withTemporaryFolderAsync { root in
            try makeFolder(root + "/shared")
            try makeFolder(root + "/replicated")
            let watcher = try FolderWatcher(
                folders: [root + "/shared", root + "/replicated"], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            try writeFile(root + "/replicated/r", "r")
            try writeFile(root + "/shared/s", "s")
            #expect(await eventually { collector.events.count == 2 })
            #expect(Set(collector.events.map(\.folder)) == [root + "/shared", root + "/replicated"])
        }
    }

    @Test func reportsALostFolder() async throws {
        try await withTemporaryFolderAsync { root in
            try makeFolder(root + "/shared")
            let watcher = try FolderWatcher(folders: [root + "/shared"], quietPeriod: quiet)
            defer { watcher.stop() }
            let collector = ChangeCollector(watcher)
            #expect(rmdir(root + "/shared") == 0)
            #expect(await eventually { collector.all.contains { $0.lostFolders == [root + "/shared"] } })
            // With no folder left to watch, the stream ends by itself.
            #expect(await eventually { collector.hasFinished })
        }
    }

    @Test func stopEndsTheStream() async throws {
        try await withTemporaryFolderAsync { folder in
            let watcher = try FolderWatcher(folders: [folder], quietPeriod: quiet)
            let collector = ChangeCollector(watcher)
            watcher.stop()
            watcher.stop()  // harmless twice
            #expect(await eventually { collector.hasFinished })
            try writeFile(folder + "/late", "after stop")
            try await Task.sleep(for: .milliseconds(200))
            #expect(collector.events.isEmpty)
        }
    }

    @Test func missingFolderThrows() {
        #expect(throws: SystemError.self) { try FolderWatcher(folders: ["/nonexistent/p2p/shared"]) }
    }

    @Test func drivesCatalogRefreshes() async throws {
        try await withTemporaryFolderAsync { state in
            try makeFolder(state + "/shared")
            try makeFolder(state + "/replicated")
            let catalog = Catalog(configuration: .init(stateDirectory: state))
            _ = catalog.loadCached()
            let watcher = try FolderWatcher(
                folders: [state + "/shared", state + "/replicated"], quietPeriod: quiet)
            let refreshes = Task.detached {
                var diffs: [CatalogDiff] = []
                for await _ in watcher.changes {
                    let update = try catalog.refresh()
                    diffs.append(update.diff)
                    if update.snapshot.count == 2 { break }
                }
                return diffs
            }
            try writeFile(state + "/shared/a", "a")
            try writeFile(state + "/replicated/b", "b")
            let diffs = try await refreshes.value
            watcher.stop()
            #expect(diffs.flatMap(\.added).map(\.name.string).sorted() == ["a", "b"])
        }
    }
}
