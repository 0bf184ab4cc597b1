import P2PProtocol
import Testing

@testable import P2PBench

@Suite struct LatencySummaryTests {
    @Test func nearestRankPercentilesOfASmallSet() {
        let summary = LatencySummary(nanoseconds: [4, 1, 3, 2])
        #expect(summary.count == 4)
        #expect(summary.p50 == 2)
        #expect(summary.p99 == 4)
        #expect(summary.max == 4)
        #expect(summary.min == 1)
        #expect(summary.mean == 2.5)
    }

    @Test func percentilesOfOneToAHundred() {
        let summary = LatencySummary(nanoseconds: (1...100).reversed().map(UInt64.init))
        #expect(summary.p50 == 50)
        #expect(summary.p99 == 99)
        #expect(summary.max == 100)
        #expect(summary.mean == 50.5)
    }

    @Test func p99OfFewSamplesIsTheLargest() {
        #expect(LatencySummary.percentile(99, ofSorted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 10)
        #expect(LatencySummary.percentile(50, ofSorted: [7]) == 7)
        #expect(LatencySummary.percentile(100, ofSorted: [1, 2, 3]) == 3)
    }

    @Test func anEmptySetIsAllZero() {
        let summary = LatencySummary(nanoseconds: [])
        #expect(summary.count == 0)
        #expect(summary.mean == 0)
        #expect(summary.p99 == 0)
    }

    @Test func jsonIsInMilliseconds() {
        let json = LatencySummary(nanoseconds: [1_500_000, 2_500_000]).millisecondsJSON
        #expect(json["mean"] == .double(2))
        #expect(json["p50"] == .double(1.5))
        #expect(json["max"] == .double(2.5))
    }
}
