import NIOCore
import Synchronization

/// Caps how often a server logs refused connections, so someone hammering a keyed port with bad
/// proofs cannot flood the journal: at most `burst` lines per `window`, then one line saying how
/// many were left out once the window is over.
final class RefusalLogThrottle: Sendable {
    private struct State {
        var windowStart = NIODeadline.distantPast
        var logged = 0
        var suppressed = 0
    }

    private let burst: Int
    private let window: TimeAmount
    private let state = Mutex(State())

    init(burst: Int = 10, window: TimeAmount = .seconds(60)) {
        self.burst = burst
        self.window = window
    }

    /// Whether to log this refusal, and how many earlier ones went unlogged (to mention in it).
    func admit(now: NIODeadline = .now()) -> (log: Bool, suppressedBefore: Int) {
        state.withLock { state in
            if now - state.windowStart >= window {
                let suppressed = state.suppressed
                state = State(windowStart: now, logged: 1, suppressed: 0)
                return (true, suppressed)
            }
            guard state.logged < burst else {
                state.suppressed += 1
                return (false, 0)
            }
            state.logged += 1
            return (true, 0)
        }
    }
}
