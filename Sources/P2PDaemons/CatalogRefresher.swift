import Logging
import NIOPosix
import P2PCatalog

/// Runs catalog refreshes (which hash, and so block) on the thread pool instead of the
/// cooperative threads, logs what was skipped, and tells the index link when anything changed.
struct CatalogRefresher: Sendable {
    let catalog: Catalog
    let link: IndexLink
    let hashing: HashingProgress
    let logger: Logger

    /// Loads the cached catalog: no hashing, so it is quick enough to finish before `READY=1`.
    func loadCached() {
        let update = catalog.loadCached()
        logger.info(
            "catalog loaded from cache",
            metadata: ["files": "\(update.snapshot.count)", "pending": "\(update.pendingFiles)"])
    }

    func refresh() async {
        do {
            defer { hashing.finish() }
            let update = try await NIOThreadPool.singleton.runIfActive { [catalog, hashing] in
                try catalog.refresh { hashing.update($0) }
            }
            for skipped in update.newlySkipped {
                logger.warning("not sharing \(skipped)", metadata: ["file_name": "\(skipped.displayName)"])
            }
            for warning in update.warnings { logger.warning("\(warning)") }
            if update.hashedFiles > 0 {
                logger.info(
                    "hashed new files", metadata: ["files": "\(update.hashedFiles)", "bytes": "\(update.hashedBytes)"])
            }
            if !update.diff.isEmpty {
                logger.info("catalog changed: \(update.diff)")
                link.catalogChanged()
            }
        } catch is CancellationError {
        } catch {
            logger.error("catalog refresh failed", metadata: ["error": "\(error)"])
        }
    }

    /// Refreshes on every batch of folder events, and every `rescanInterval` as a safety net for
    /// filesystems that send no events.
    func watch(folders: [String], rescanInterval: Duration) async {
        await refresh()
        let watcher: FolderWatcher
        do {
            watcher = try FolderWatcher(folders: folders)
        } catch {
            logger.warning("cannot watch the shared folders; rescanning periodically", metadata: ["error": "\(error)"])
            while !Task.isCancelled {
                try? await Task.sleep(for: rescanInterval)
                await refresh()
            }
            return
        }
        defer { watcher.stop() }
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in watcher.changes { await refresh() }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: rescanInterval)
                    if !Task.isCancelled { await refresh() }
                }
                watcher.stop()
            }
        }
    }
}
