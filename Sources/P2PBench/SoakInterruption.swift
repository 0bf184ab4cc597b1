#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C, SIGTERM or SIGHUP in the middle of a soak must not leave its daemons running with a
/// thousand sockets open, nor its scratch folder behind: the process would die before any
/// `defer` ran. So the soak takes those signals on a thread of its own and cleans up there.
enum SoakInterruption {
    /// Blocks the signals in the calling thread, and so in every thread it starts afterwards (call
    /// it after the daemons are spawned: children inherit the mask), and starts a thread that
    /// waits for one. On it: SIGTERM to each of `pids`, SIGKILL to those alive 3 s later, the
    /// scratch folder removed unless `scratch` is `nil`, one line on stderr, exit 128 + signal.
    static func install(stopping pids: [pid_t], scratch: String?) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let watcher = Watcher(set: set, pids: pids, scratch: scratch)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(watcher).toOpaque()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Watcher>.fromOpaque(context!).takeRetainedValue().wait()
            }, context)
        if started == 0 { pthread_detach(thread) }
    }

    /// What the signal thread needs, on the heap for the thread's one pointer.
    private final class Watcher: @unchecked Sendable {
        var set: sigset_t
        let pids: [pid_t]
        let scratch: String?

        init(set: sigset_t, pids: [pid_t], scratch: String?) {
            self.set = set
            self.pids = pids
            self.scratch = scratch
        }

        func wait() -> Never {
            var signal: Int32 = 0
            while sigwait(&set, &signal) != 0 {}
            for pid in pids { kill(pid, SIGTERM) }
            let start = MonotonicTime.now()
            var alive = pids
            while !alive.isEmpty && MonotonicTime.seconds(since: start) < 3 {
                alive = alive.filter { waitpid($0, nil, WNOHANG) == 0 }
                if !alive.isEmpty { Sleep.milliseconds(50) }
            }
            for pid in alive { kill(pid, SIGKILL) }
            if let scratch { Directories.removeTree(scratch) }
            let line = Array("p2p-bench: interrupted (signal \(signal)); the soak's daemons are stopped\n".utf8)
            line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(128 + signal)
        }
    }
}
