import Testing

@testable import P2PBench

/// The anchors' own tools print their figures in their own formats; these are real outputs of
/// redis-benchmark 7.0 and iperf3 3.12 (trimmed), and the shapes older versions print.
@Suite struct AnchorParsingTests {
    @Test func redisBenchmarkCSVIsReadByColumnName() throws {
        let csv = """
            "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
            "GET","34686.09","0.367","0.024","0.159","0.239","4.327","73.919"
            """
        let point = try RedisAnchor.point(csv: csv, clients: 16, requests: 100_000)
        #expect(point.requestsPerSecond == 34686.09)
        #expect(point.p50Milliseconds == 0.159)
        #expect(point.p99Milliseconds == 4.327)
        #expect(point.clients == 16)
    }

    @Test func redisBenchmarkCSVWithoutHeaderGivesTheRateOnly() throws {
        let point = try RedisAnchor.point(csv: "\"GET\",\"81234.50\"\n", clients: 4, requests: 1000)
        #expect(point.requestsPerSecond == 81234.5)
        #expect(point.p99Milliseconds == nil)
    }

    @Test func redisBenchmarkOutputWithoutGETIsAnError() {
        #expect(throws: BenchError.self) {
            try RedisAnchor.point(csv: "\"SET\",\"100.0\"\n", clients: 1, requests: 1)
        }
        #expect(throws: BenchError.self) {
            try RedisAnchor.point(csv: "\"test\",\"rps\"\n\"GET\",\"n/a\"\n", clients: 1, requests: 1)
        }
    }

    @Test func iperfJSONGivesTheReceivedRate() throws {
        let json = """
            {"start": {"version": "iperf 3.12"}, "intervals": [],
             "end": {"sum_sent": {"bits_per_second": 3.4e10},
                     "sum_received": {"seconds": 3.0001, "bytes": 12600000000, "bits_per_second": 33600000000}}}
            """
        #expect(try IperfCeiling.megabytesPerSecond(iperfJSON: json) == 4200)
    }

    @Test func iperfErrorOutputIsAnError() {
        #expect(throws: BenchError.self) {
            // What iperf3 3.12 prints, with exit status 0, when the server is gone.
            try IperfCeiling.megabytesPerSecond(
                iperfJSON: #"{"start": {"connected": []}, "intervals": [], "end": {}, "error": "unable to connect"}"#)
        }
        #expect(throws: BenchError.self) { try IperfCeiling.megabytesPerSecond(iperfJSON: "iperf3: error") }
    }

    @Test func medianOfOddAndEvenCounts() {
        #expect(Median.of([3, 1, 2]) == 2)
        #expect(Median.of([4, 1, 3, 2]) == 2.5)
        #expect(Median.of([]) == nil)
    }
}
