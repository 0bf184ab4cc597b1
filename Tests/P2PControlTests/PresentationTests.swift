import P2PControl
import P2PProtocol
import Testing

@Suite struct PresentationTests {
    @Test func byteCounts() {
        #expect(ByteCount.human(0) == "0 B")
        #expect(ByteCount.human(1023) == "1023 B")
        #expect(ByteCount.human(1024) == "1.0 KiB")
        #expect(ByteCount.human(1536) == "1.5 KiB")
        #expect(ByteCount.human(1_048_576) == "1.0 MiB")
        #expect(ByteCount.human(1 << 30) == "1.0 GiB")
        #expect(ByteCount.human(5 << 40) == "5.0 TiB")
        #expect(ByteCount.rate(2048) == "2.0 KiB/s")
        #expect(ByteCount.percent(1, of: 3) == 33)
        #expect(ByteCount.percent(0, of: 0) == 100)
    }

    @Test func tablesAlignWithoutTrailingBlanks() {
        var table = TextTable(header: ["NAME", "SIZE"])
        table.append(["a-long-name", "1 B"])
        table.append(["b", "10 B"])
        #expect(table.lines == ["NAME         SIZE", "a-long-name  1 B", "b            10 B"])
        var list = KeyValueList()
        list.append("peer", "peer2")
        list.append("files shared", "3")
        #expect(list.lines == ["peer          peer2", "files shared  3"])
    }

    @Test func outcomesSayWhetherTheyWereVerified() {
        let verified = DownloadOutcome(
            fileName: "song.ogg", path: "/d/song.ogg", size: 5, sha256: String(repeating: "a", count: 64),
            verified: true, resumedFrom: 2, sources: ["peer1", "peer3"])
        #expect(
            ReplyText.outcome(verified) == "song.ogg: 5 bytes, sha256 verified, from peer1, peer3, resumed at byte 2")
        let unverified = DownloadOutcome(
            fileName: "x", path: "/d/x", size: 1, sha256: nil, verified: false, sources: ["peer1"])
        #expect(ReplyText.outcome(unverified) == "x: 1 bytes, unverified (the index had no SHA-256), from peer1")
    }

    @Test func durations() {
        #expect(ReplyText.duration(0) == "0s")
        #expect(ReplyText.duration(59) == "59s")
        #expect(ReplyText.duration(3725) == "1h 2m 5s")
        #expect(ReplyText.duration(90_061) == "1d 1h 1m 1s")
        #expect(ReplyText.duration(86_400) == "1d 0h 0m 0s")
    }
}
