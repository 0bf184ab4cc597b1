import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one body on N OS threads that start their measured work together.
///
/// Each thread does its own set-up (e.g. connecting), then waits at the `StartGate`; the clock
/// starts when every thread has arrived, and stops when the last one has finished. That wall time
/// is the denominator of every rate the bench reports.
///
/// Plain pthreads rather than Swift tasks: a client blocked in `recv` holds a thread of its own
/// and nothing else, so the cooperative pool (two threads on a two-core machine) cannot serialise
/// the clients, and no event loop between the socket and the clock adds its own latency.
public enum ThreadGang {
    /// Runs `body(index, gate)` on `count` threads and returns their results in index order and
    /// the wall nanoseconds from the gate's opening until the last thread returned.
    ///
    /// `body` must call `gate.wait()` once, after its set-up; if it returns without doing so (a
    /// set-up failure), the gang waits for it, so the others are not held forever. `opened` runs on
    /// the calling thread as the gate opens, `finished` once the last thread is done (e.g. to
    /// read CPU counters over the same interval as the clock).
    public static func run<Result: Sendable>(
        _ count: Int, opened: () -> Void = {}, finished: () -> Void = {},
        body: @escaping @Sendable (Int, StartGate) -> Result
    ) -> (results: [Result], wallNanoseconds: UInt64) {
        precondition(count > 0)
        let barrier = Barrier(parties: count + 1)
        let slots = Slots<Result>(count)
        var threads: [pthread_t] = []
        for index in 0..<count {
            let job = Job {
                let gate = StartGate(barrier: barrier)
                let result = body(index, gate)
                if !gate.passed { gate.wait() }
                slots.values.withLock { $0[index] = result }
            }
            threads.append(job.start())
        }
        barrier.wait()
        let start = MonotonicTime.now()
        opened()
        for thread in threads { pthread_join(thread, nil) }
        let wall = MonotonicTime.now() - start
        finished()
        return (slots.values.withLock { $0.map { $0! } }, wall)
    }
}

/// Where a gang thread waits for the others before its measured work.
public final class StartGate: @unchecked Sendable {
    private let barrier: Barrier
    /// Touched only by the thread that owns this gate.
    private(set) var passed = false

    fileprivate init(barrier: Barrier) { self.barrier = barrier }

    public func wait() {
        guard !passed else { return }
        passed = true
        barrier.wait()
    }
}

/// The gang's results, one slot per thread.
private final class Slots<Value: Sendable>: Sendable {
    let values: Mutex<[Value?]>
    init(_ count: Int) { values = Mutex(Array(repeating: nil, count: count)) }
}

/// A pthread barrier on the heap, so its address never moves.
private final class Barrier: @unchecked Sendable {
    private let storage = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)

    init(parties: Int) { pthread_barrier_init(storage, nil, UInt32(parties)) }

    deinit {
        pthread_barrier_destroy(storage)
        storage.deallocate()
    }

    func wait() { pthread_barrier_wait(storage) }
}

/// A closure handed to a new pthread.
private final class Job: @unchecked Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() -> pthread_t {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(
            &thread, nil,
            { context in
                let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                job.body()
                return nil
            }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        return thread
    }
}
