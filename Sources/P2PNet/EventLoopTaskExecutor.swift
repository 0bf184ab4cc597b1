import NIOCore

/// A task executor that runs a task's jobs on one NIO event loop.
///
/// A control command that downloads a file awaits its control channel, the index and the source
/// peer, each a NIO channel on some event loop. On Swift's global executor every such await
/// resumes on a pool thread, woken from the loop that completed it, and the next channel
/// operation wakes the loop again: a dozen thread hand-offs for a 1 KiB file. A task that prefers
/// its channel's loop resumes right there, and the channels it opens itself are put on the same
/// loop (`EventLoopGroup.any()`), so a small download runs on one thread from request to reply.
/// Work that should use another core (hashing a big file while it arrives) opts out with
/// `withTaskExecutorPreference(globalConcurrentExecutor)`.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
