import Testing

@testable import P2PBench

@Suite struct StrongScalingTests {
    @Test func concurrencyIsCappedAtTheWorkloadsFileCount() throws {
        let one = try StrongScaling(
            .init(controlSocket: "/x", workload: "gb", files: ["a"], concurrency: [1, 2, 4, 8]))
        #expect(one.levels == [1])
        let three = try StrongScaling(
            .init(controlSocket: "/x", workload: "mb", files: ["a", "b", "c"], concurrency: [1, 2, 4, 8]))
        #expect(three.levels == [1, 2, 3])
    }

    @Test func anEmptyWorkloadIsRefused() {
        #expect(throws: BenchError.self) {
            try StrongScaling(.init(controlSocket: "/x", workload: "kb", files: [], concurrency: [1]))
        }
    }
}
