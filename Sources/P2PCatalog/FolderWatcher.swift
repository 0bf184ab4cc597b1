import Glibc
import P2PProtocol
import Synchronization

/// Watches served folders with inotify and reports, in coalesced batches, that files there were
/// completed, moved in, moved out or deleted, so the daemon refreshes the catalog without a restart.
///
/// Only events that mean "a file is complete or gone" are watched: `IN_CLOSE_WRITE` (a writer
/// closed it), `IN_MOVED_TO` (renamed in, complete by construction), `IN_MOVED_FROM` and
/// `IN_DELETE`. Creating or writing a file (`IN_CREATE`, `IN_MODIFY`) is not watched, so a file
/// that is still being copied in is never announced with the hash of half of it. Events for hidden
/// names (leading `.`, e.g. rsync's temporaries) and `*.part` downloads are dropped: the catalog
/// never serves those, so they need no refresh.
///
/// Events are coalesced: a batch is delivered once no event has arrived for `quietPeriod`
/// (200 ms by default), or `maximumDelay` after its first event when events keep coming, so copying
/// a thousand files gives a handful of refreshes, not a thousand.
///
/// One dedicated thread blocks in `poll(2)` on the inotify descriptor and a pipe; ``stop()`` writes
/// to the pipe, the thread closes its descriptors and ends ``changes``. There is no busy loop and no
/// timer while nothing happens. inotify is not recursive: sub-folders are not watched (they are not
/// served either). A periodic rescan should back this up: an overflowing event queue is reported
/// (``FolderChanges/overflowed``), but some filesystems (network ones) deliver no events at all.
public final class FolderWatcher: Sendable {
    /// One filesystem event.
    public struct Event: Hashable, Sendable, CustomStringConvertible {
        public enum Kind: String, Hashable, Sendable {
            /// A file opened for writing was closed (`IN_CLOSE_WRITE`).
            case closedAfterWrite = "closed after write"
            /// A file was renamed into the folder (`IN_MOVED_TO`).
            case movedIn = "moved in"
            /// A file was renamed out of the folder (`IN_MOVED_FROM`).
            case movedOut = "moved out"
            /// A file was deleted (`IN_DELETE`).
            case deleted = "deleted"
        }

        /// The watched folder, as passed to ``FolderWatcher/init(folders:quietPeriod:maximumDelay:)``.
        public var folder: String
        /// The entry's name as the kernel reported it (bytes; possibly not UTF-8).
        public var name: [UInt8]
        public var kind: Kind

        /// The name as a ``FileName``, if it is a valid one.
        public var fileName: FileName? { try? FileName(bytes: name) }

        public var description: String { "\(kind.rawValue): \(folder)/\(EscapedBytes.escaped(name))" }
    }

    /// What happened in the folders since the previous batch.
    public struct FolderChanges: Sendable {
        /// The events, in the order the kernel reported them.
        public var events: [Event]
        /// The kernel's event queue overflowed: events were lost; rescan everything.
        public var overflowed: Bool
        /// Watched folders that were deleted or moved away; they are no longer watched.
        public var lostFolders: [String]
    }

    /// The batches of changes. One consumer; ends after ``stop()``, when every watched folder is
    /// gone, or when the watcher itself is released (keep a reference while consuming).
    public let changes: AsyncStream<FolderChanges>
    private let control: Control

    /// The descriptors the watching thread uses, and whether it has been told to stop. Shared with
    /// the thread, which closes the descriptors itself when it ends, so that no descriptor is closed
    /// while `poll` still waits on it.
    private final class Control: Sendable {
        let inotify: Int32
        let wakeRead: Int32
        let wakeWrite: Int32
        let stopped = Mutex(false)

        init(inotify: Int32, wakeRead: Int32, wakeWrite: Int32) {
            self.inotify = inotify
            self.wakeRead = wakeRead
            self.wakeWrite = wakeWrite
        }

        func stop() {
            stopped.withLock { stopped in
                guard !stopped else { return }
                stopped = true
                var byte: UInt8 = 1
                _ = write(wakeWrite, &byte, 1)
            }
        }

        /// Called by the thread as it ends.
        func closeDescriptors() {
            stopped.withLock { stopped in
                stopped = true
                close(inotify)
                close(wakeRead)
                close(wakeWrite)
            }
        }
    }

    /// Starts watching `folders` (each must exist and be a folder).
    ///
    /// - Parameters:
    ///   - quietPeriod: a batch is delivered when no event has arrived for this long.
    ///   - maximumDelay: a batch is delivered at the latest this long after its first event.
    public init(
        folders: [String], quietPeriod: Duration = .milliseconds(200),
        maximumDelay: Duration = .seconds(2)
    ) throws(SystemError) {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if inotify < 0 { throw SystemError.last("inotify_init1") }
        var folderByWatch: [Int32: String] = [:]
        let mask =
            UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)
            | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)
        for folder in folders {
            let watch = inotify_add_watch(inotify, folder, mask)
            if watch < 0 {
                let error = SystemError.last("inotify_add_watch", pathBytes: Array(folder.utf8))
                close(inotify)
                throw error
            }
            folderByWatch[watch] = folder
        }
        // `pipe2` needs _GNU_SOURCE, which Glibc's module does not define: set the flags after.
        var pipeEnds: [Int32] = [0, 0]
        if pipe(&pipeEnds) != 0 {
            let error = SystemError.last("pipe")
            close(inotify)
            throw error
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        let control = Control(inotify: inotify, wakeRead: pipeEnds[0], wakeWrite: pipeEnds[1])
        let (stream, continuation) = AsyncStream.makeStream(
            of: FolderChanges.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { _ in control.stop() }
        self.changes = stream
        self.control = control

        let loop = WatchLoop(
            control: control, folderByWatch: folderByWatch, continuation: continuation,
            quietPeriod: quietPeriod, maximumDelay: maximumDelay)
        startThread {
            loop.run()
            control.closeDescriptors()
            continuation.finish()
        }
    }

    deinit { control.stop() }

    /// Stops watching: the thread ends and ``changes`` finishes. Safe to call more than once.
    public func stop() { control.stop() }

    /// The thread's work: wait, read, parse, coalesce, deliver.
    private struct WatchLoop: Sendable {
        let control: Control
        let folderByWatch: [Int32: String]
        let continuation: AsyncStream<FolderChanges>.Continuation
        let quietPeriod: Duration
        let maximumDelay: Duration

        func run() {
            let clock = ContinuousClock()
            var pending = FolderChanges(events: [], overflowed: false, lostFolders: [])
            var firstEvent: ContinuousClock.Instant?
            var lastEvent = clock.now
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var watches = folderByWatch
            while true {
                var timeout: Int32 = -1
                if let firstEvent {
                    let deadline = min(lastEvent + quietPeriod, firstEvent + maximumDelay)
                    let remaining = clock.now.duration(to: deadline)
                    timeout = remaining <= .zero ? 0 : Int32(clamping: Self.milliseconds(remaining) + 1)
                }
                var descriptors = [
                    pollfd(fd: control.inotify, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: control.wakeRead, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, timeout)
                if ready < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if descriptors[1].revents != 0 { return }  // stop() was called
                if descriptors[0].revents != 0 {
                    let count = buffer.withUnsafeMutableBytes {
                        read(control.inotify, $0.baseAddress, $0.count)
                    }
                    if count < 0 && errno != EAGAIN && errno != EINTR { return }
                    if count > 0 {
                        let before = (pending.events.count, pending.overflowed, pending.lostFolders.count)
                        parse(buffer[0..<count], watches: &watches, into: &pending)
                        if before != (pending.events.count, pending.overflowed, pending.lostFolders.count) {
                            lastEvent = clock.now
                            if firstEvent == nil { firstEvent = lastEvent }
                        }
                    }
                }
                if let first = firstEvent,
                    clock.now >= min(lastEvent + quietPeriod, first + maximumDelay)
                {
                    continuation.yield(pending)
                    pending = FolderChanges(events: [], overflowed: false, lostFolders: [])
                    firstEvent = nil
                }
                if watches.isEmpty && firstEvent == nil { return }  // every folder is gone
            }
        }

        /// Appends the events in `bytes` (a sequence of `struct inotify_event`) to `changes`.
        private func parse(
            _ bytes: ArraySlice<UInt8>, watches: inout [Int32: String], into changes: inout FolderChanges
        ) {
            let headerSize = 16  // int wd; uint32_t mask, cookie, len;
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset + headerSize <= raw.count {
                    let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + headerSize)..<min(raw.count, offset + headerSize + length)]
                    let name = Array(nameBytes.prefix { $0 != 0 })
                    offset += headerSize + length

                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { changes.overflowed = true }
                    guard let folder = watches[watch] else { continue }
                    if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED)) != 0 {
                        watches[watch] = nil
                        changes.lostFolders.append(folder)
                        if mask & UInt32(IN_MOVE_SELF) != 0 { _ = inotify_rm_watch(control.inotify, watch) }
                        continue
                    }
                    let kind: Event.Kind
                    if mask & UInt32(IN_CLOSE_WRITE) != 0 {
                        kind = .closedAfterWrite
                    } else if mask & UInt32(IN_MOVED_TO) != 0 {
                        kind = .movedIn
                    } else if mask & UInt32(IN_MOVED_FROM) != 0 {
                        kind = .movedOut
                    } else if mask & UInt32(IN_DELETE) != 0 {
                        kind = .deleted
                    } else {
                        continue
                    }
                    if name.first == UInt8(ascii: ".")
                        || name.reversed().starts(with: FileName.partialDownloadSuffix.utf8.reversed())
                    {
                        continue  // never served, so no refresh needed
                    }
                    changes.events.append(Event(folder: folder, name: name, kind: kind))
                }
            }
        }

        static func milliseconds(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return seconds * 1000 + attoseconds / 1_000_000_000_000_000
        }
    }
}

/// Runs `body` on a new detached POSIX thread: blocking work that must not occupy a thread of
/// Swift's cooperative pool.
private func startThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
        &thread, nil,
        { context in
            Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
    precondition(result == 0, "pthread_create failed: \(result)")
    pthread_detach(thread)
}
