import P2PProtocol

extension PeerController {
    /// Runs one control request: the matching call, its result as a reply.
    ///
    /// A download's progress goes to `emit` while it runs; only the newest value is kept while
    /// `emit` is busy, so a slow client slows the events, never the download. When `emit` throws
    /// (the client is gone) the download is cancelled.
    func respond(
        to request: ControlRequest, emit: @escaping @Sendable (ControlEvent) async throws -> Void
    ) async throws -> ControlReply {
        switch request {
        case .search(let search): return .searchResults(try await self.search(search))
        case .download(let command): return .outcome(try await download(command, emit: emit))
        case .stats: return .stats(await stats())
        case .localFiles: return .localFiles(await localFiles())
        case .peers: return .peers(try await peers())
        case .replicate(let fileName): return .outcome(try await replicate(fileName: fileName))
        case .status: return .status(await status())
        }
    }

    private func download(
        _ command: DownloadCommand, emit: @escaping @Sendable (ControlEvent) async throws -> Void
    ) async throws -> DownloadOutcome {
        let (events, continuation) = AsyncStream.makeStream(
            of: TransferProgress.self, bufferingPolicy: .bufferingNewest(1))
        return try await withThrowingTaskGroup(of: DownloadOutcome?.self) { group in
            group.addTask {
                defer { continuation.finish() }
                return try await self.download(command) { continuation.yield($0) }
            }
            group.addTask {
                for await progress in events { try await emit(.progress(progress)) }
                return nil
            }
            var outcome: DownloadOutcome?
            for try await result in group where result != nil { outcome = result }
            guard let outcome else { throw CancellationError() }
            return outcome
        }
    }
}
