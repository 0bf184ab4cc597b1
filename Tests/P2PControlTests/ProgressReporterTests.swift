import P2PControl
import P2PProtocol
import Testing

@Suite struct ProgressReporterTests {
    /// A reporter on a clock the test moves, writing into an array.
    final class Harness {
        var time: Duration = .zero
        var output: [String] = []
        lazy var reporter = ProgressReporter(
            style: style, write: { [unowned self] in self.output.append($0) }, now: { [unowned self] in self.time })
        let style: ProgressReporter.Style
        init(_ style: ProgressReporter.Style) { self.style = style }

        func update(_ bytes: Int64, at seconds: Double) {
            time = .milliseconds(Int64(seconds * 1000))
            reporter.update(TransferProgress(bytes: bytes, total: 1000, source: "peer1"))
        }
    }

    @Test func plainLinesComeEveryFewSecondsAtMost() {
        let harness = Harness(.lines)
        for tick in 0..<100 { harness.update(Int64(tick * 10), at: Double(tick) * 0.1) }
        #expect(harness.output.count == 3)
        #expect(harness.output[0] == "downloaded 300 bytes of 1000 (30%, 100 B/s, from peer1)\n")
        #expect(harness.output.allSatisfy { !$0.contains("\r") })
        harness.reporter.finish()
        #expect(harness.output.count == 3)
    }

    @Test func theBarRedrawsInPlaceAndIsClearedAtTheEnd() {
        let harness = Harness(.bar)
        harness.update(0, at: 0)
        harness.update(10, at: 0.01)
        harness.update(500, at: 1)
        harness.update(1000, at: 1.001)
        #expect(harness.output.count == 3)
        #expect(harness.output[0].hasPrefix("\r[------------------------] 0%  0 B of 1000 B"))
        #expect(harness.output[1].contains("] 50%  500 B of 1000 B  500 B/s  from peer1"))
        #expect(harness.output[2].hasPrefix("\r[########################] 100%"))
        harness.reporter.finish()
        #expect(harness.output.last == "\r\u{1B}[K")
    }
}
