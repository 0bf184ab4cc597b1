import Testing

@testable import P2PBench

#if canImport(Glibc)
    import Glibc
#endif

/// The soak's verdict on growth: what it compares, and that it sees a real process's descriptors.
@Suite struct SoakToleranceTests {
    /// A series whose first 10 s hold `first` and last 10 s hold `last` (60 s run).
    func series(first: (Int64, Int), last: (Int64, Int)) -> SoakSeries {
        var series = SoakSeries(name: "index", pid: 1)
        for second in 0..<60 {
            let (resident, files) = second < 10 ? first : (second >= 50 ? last : first)
            series.samples.append(SoakSample(second: Double(second), residentKiB: resident, openFiles: files))
        }
        return series
    }

    @Test func steadyFiguresHold() {
        let tolerance = SoakTolerance()
        #expect(tolerance.problem(series(first: (30_000, 1000), last: (30_000, 1000)), window: 10, duration: 60) == nil)
    }

    @Test func growthWithinTheAllowanceHolds() {
        // 10 % + 4096 KiB of 30,000 KiB is 7,096 KiB; 5 % + 16 of 1,000 descriptors is 66.
        let tolerance = SoakTolerance()
        #expect(tolerance.problem(series(first: (30_000, 1000), last: (37_096, 1066)), window: 10, duration: 60) == nil)
    }

    @Test func memoryGrowthBeyondTheAllowanceIsNamed() throws {
        let problem = try #require(
            SoakTolerance().problem(series(first: (30_000, 1000), last: (37_200, 1000)), window: 10, duration: 60))
        #expect(problem.contains("index: resident memory grew from 30000 KiB to 37200 KiB"))
    }

    @Test func descriptorGrowthBeyondTheAllowanceIsNamed() throws {
        let problem = try #require(
            SoakTolerance().problem(series(first: (30_000, 1000), last: (30_000, 1067)), window: 10, duration: 60))
        #expect(problem.contains("open files grew from 1000 to 1067"))
    }

    @Test func aSeriesWithoutSamplesInAWindowIsAProblem() {
        var empty = SoakSeries(name: "peer1", pid: 1)
        empty.samples = [SoakSample(second: 30, residentKiB: 1, openFiles: 1)]
        #expect(SoakTolerance().problem(empty, window: 10, duration: 60) != nil)
    }

    @Test func aSampleOfThisProcessCountsTheDescriptorsItOpens() throws {
        // Other tests in this process open and close descriptors at the same time, so one pair of
        // samples can be off either way; five tries that all miss the five extra descriptors would
        // take a sampler that does not count them.
        var counted = false
        for _ in 0..<5 where !counted {
            let before = try #require(SoakSample.take(pid: getpid(), second: 0))
            let opened = (0..<5).map { _ in open("/dev/null", O_RDONLY) }
            let after = try #require(SoakSample.take(pid: getpid(), second: 1))
            for descriptor in opened { close(descriptor) }
            #expect(after.residentKiB > 0)
            counted = after.openFiles >= before.openFiles + 5
        }
        #expect(counted)
    }
}
