import Logging
import Testing

@testable import Systemd

@Suite struct StderrFormatTests {
    @Test func prefixesPriorityForMachines() {
        let text = StderrLogHandler.format(
            level: .warning,
            message: "disk almost full",
            metadata: ["peerID": "peer1", "fileName": "a b.txt"],
            label: "p2p.peer",
            style: .priorityPrefix
        )
        #expect(text == "<4>disk almost full fileName=\"a b.txt\" peerID=peer1\n")
    }

    @Test func prefixesEveryLineOfAMultiLineMessage() {
        let text = StderrLogHandler.format(
            level: .info,
            message: "first\nsecond",
            metadata: ["k": "v"],
            label: "x",
            style: .priorityPrefix
        )
        #expect(text == "<6>first\n<6>second k=v\n")
    }

    @Test func readableForPeople() {
        let text = StderrLogHandler.format(
            level: .notice,
            message: "listening",
            metadata: ["port": .stringConvertible(7000)],
            label: "p2p.index",
            style: .readable,
            timestamp: "12:34:56.789"
        )
        #expect(text == "12:34:56.789 notice p2p.index: listening port=7000\n")
    }

    @Test func readableWithoutMetadata() {
        let text = StderrLogHandler.format(
            level: .critical,
            message: "cannot bind",
            metadata: [:],
            label: "",
            style: .readable,
            timestamp: "00:00:00.000"
        )
        #expect(text == "00:00:00.000 critical cannot bind\n")
    }

    @Test(
        arguments: [
            ("plain", "plain"),
            ("", "\"\""),
            ("two words", "\"two words\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a=b", "\"a=b\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("bell\u{7}", "\"bell\\x07\""),
            ("müde", "müde"),
        ]
    )
    func quotesValuesOnlyWhenNeeded(value: String, expected: String) {
        #expect(StderrLogHandler.quoted(value) == expected)
    }

    @Test func timestampLooksLikeTimeOfDay() {
        let stamp = StderrLogHandler.timestamp()
        #expect(stamp.count == 12)
        #expect(stamp.split(separator: ":").count == 3)
        #expect(stamp.split(separator: ".").last?.count == 3)
    }
}
