import P2PNet
import Synchronization

/// Upload and download rates in bytes per second, sampled once a second from the transfer
/// counters, so `p2pctl stats` and `STATUS=` show the same recent figures.
final class TransferRates: Sendable {
    private let counters: TransferCounters
    private let state = Mutex(State())

    private struct State {
        var lastUp: Int64 = 0
        var lastDown: Int64 = 0
        var upRate: Int64 = 0
        var downRate: Int64 = 0
    }

    init(counters: TransferCounters) {
        self.counters = counters
    }

    var current: (up: Int64, down: Int64) { state.withLock { ($0.upRate, $0.downRate) } }

    /// Samples every second until cancelled.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let up = counters.bytesUploaded.load(ordering: .relaxed)
            let down = counters.bytesDownloaded.load(ordering: .relaxed)
            state.withLock { state in
                state.upRate = up - state.lastUp
                state.downRate = down - state.lastDown
                state.lastUp = up
                state.lastDown = down
            }
        }
    }
}
