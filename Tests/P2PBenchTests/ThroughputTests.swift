import Testing

@testable import P2PBench

@Suite struct ThroughputTests {
    @Test func rateIsAmountOverWallClock() {
        #expect(Throughput.perSecond(1000, wallNanoseconds: 2_000_000_000) == 500)
        #expect(Throughput.megabytesPerSecond(bytes: 3_000_000, wallNanoseconds: 1_500_000_000) == 2)
    }

    @Test func noElapsedTimeIsNoRate() {
        #expect(Throughput.perSecond(10, wallNanoseconds: 0) == 0)
    }

    /// Four 1 MB downloads that each took 1 s but ran side by side in 1 s of wall clock: 4 MB/s,
    /// not the 1 MB/s that dividing by the sum of their times (the seed's way) would give.
    @Test func aConcurrentBatchIsMeasuredByItsWallClock() {
        let point = StrongScaling.Point(
            workload: "mb", concurrency: 4, files: 4, bytes: 4_000_000, wallNanoseconds: 1_000_000_000, failed: 0,
            short: 0, corrupt: 0, unverified: 0,
            latency: LatencySummary(nanoseconds: Array(repeating: 1_000_000_000, count: 4)))
        #expect(point.megabytesPerSecond == 4)
        #expect(point.filesPerSecond == 4)
        #expect(point.isClean)
    }

    @Test func searchRateCountsOnlySuccessfulSearches() {
        let point = WeakScaling.Point(
            mode: .persistent, clients: 2, searchesPerClient: 10, succeeded: 18, failed: 2, firstError: "x",
            wallNanoseconds: 500_000_000, latency: LatencySummary(nanoseconds: []))
        #expect(point.searchesPerSecond == 36)
    }

    @Test func filesThatFailedTheCheckAreNotCountedAsDone() {
        let point = StrongScaling.Point(
            workload: "kb", concurrency: 1, files: 10, bytes: 7 * 1024, wallNanoseconds: 1_000_000_000, failed: 1,
            short: 1, corrupt: 1, unverified: 0, latency: LatencySummary(nanoseconds: []))
        #expect(point.filesPerSecond == 7)
        #expect(!point.isClean)
    }
}
