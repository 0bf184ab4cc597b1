import NIOCore
import Synchronization
import Testing

@testable import P2PNet

/// The pacer's schedule, checked against a clock the test moves by hand.
@Suite struct UploadPacerTests {
    /// A clock that stands still until the test advances it.
    final class ManualClock: Sendable {
        private let time = Mutex(NIODeadline.uptimeNanoseconds(1_000_000_000))
        var now: NIODeadline { time.withLock { $0 } }
        func advance(_ amount: TimeAmount) { time.withLock { $0 = $0 + amount } }
    }

    let clock = ManualClock()
    let start: NIODeadline

    init() { start = clock.now }

    func pacer(_ rate: Int64) -> UploadPacer {
        UploadPacer(bytesPerSecond: rate, now: { [clock] in clock.now })
    }

    @Test func aShareIsTheBytesOverTheRate() {
        let pacer = pacer(1 << 20)
        #expect(pacer.duration(of: 64 << 10) == .milliseconds(62) + .microseconds(500))
        #expect(pacer.duration(of: 1 << 20) == .seconds(1))
        #expect(pacer.duration(of: 0) == .zero)
        #expect(UploadPacer(bytesPerSecond: 3).duration(of: 1) == .nanoseconds(333_333_333))
        // Far beyond any write size: no trap, still about bytes / rate.
        #expect(UploadPacer(bytesPerSecond: 1 << 30).duration(of: 1 << 40) == .seconds(1024))
    }

    @Test func connectionsFromOneAddressQueueOnOneTimeline() {
        let pacer = pacer(1 << 20)
        pacer.begin(address: "10.0.0.1")
        pacer.begin(address: "10.0.0.1")
        let chunk: Int64 = 256 << 10  // a quarter of a second at 1 MiB/s
        #expect(pacer.reserve(chunk, for: "10.0.0.1") == start)
        #expect(pacer.reserve(chunk, for: "10.0.0.1") == start + .milliseconds(250))
        #expect(pacer.reserve(chunk, for: "10.0.0.1") == start + .milliseconds(500))
        // Time passes less than reserved: the next slot is still the end of the schedule.
        clock.advance(.milliseconds(100))
        #expect(pacer.reserve(chunk, for: "10.0.0.1") == start + .milliseconds(750))
    }

    @Test func addressesDoNotWaitForEachOther() {
        let pacer = pacer(1 << 20)
        pacer.begin(address: "10.0.0.1")
        pacer.begin(address: "10.0.0.2")
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start)
        #expect(pacer.reserve(1 << 20, for: "10.0.0.2") == start)
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start + .seconds(1))
        #expect(pacer.reserve(1 << 20, for: "10.0.0.2") == start + .seconds(1))
    }

    @Test func anIdleAddressEarnsNoBurst() {
        let pacer = pacer(1 << 20)
        pacer.begin(address: "10.0.0.1")
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start)
        clock.advance(.seconds(10))
        // Nine idle seconds are not credit: the schedule restarts now, then paces again.
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start + .seconds(10))
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start + .seconds(11))
    }

    @Test func anAddressIsForgottenWhenItsLastUploadEnds() {
        let pacer = pacer(1 << 20)
        for client in 0..<1000 {
            pacer.begin(address: "10.0.\(client / 256).\(client % 256)")
        }
        #expect(pacer.trackedAddresses == 1000)
        pacer.begin(address: "10.0.0.0")
        for client in 0..<1000 {
            pacer.end(address: "10.0.\(client / 256).\(client % 256)")
        }
        #expect(pacer.trackedAddresses == 1)
        #expect(pacer.reserve(1 << 20, for: "10.0.0.0") == start)
        pacer.end(address: "10.0.0.0")
        #expect(pacer.trackedAddresses == 0)
        // An extra end, or a reservation outside begin/end, leaves nothing behind.
        pacer.end(address: "10.0.0.0")
        #expect(pacer.reserve(1 << 20, for: "10.0.0.0") == start)
        #expect(pacer.trackedAddresses == 0)
    }

    @Test func aReturningAddressStartsAFreshSchedule() {
        let pacer = pacer(1 << 20)
        pacer.begin(address: "10.0.0.1")
        _ = pacer.reserve(4 << 20, for: "10.0.0.1")
        pacer.end(address: "10.0.0.1")
        pacer.begin(address: "10.0.0.1")
        #expect(pacer.reserve(1 << 20, for: "10.0.0.1") == start)
    }

    @Test func sharesFromManyThreadsAddUpExactly() async {
        let pacer = pacer(1 << 20)
        pacer.begin(address: "10.0.0.1")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<100 { _ = pacer.reserve(16 << 10, for: "10.0.0.1") }
                }
            }
        }
        // 800 × 16 KiB = 12.5 MiB reserved: the next slot is 12.5 s after the start.
        #expect(pacer.reserve(1, for: "10.0.0.1") == start + .milliseconds(12_500))
    }
}
