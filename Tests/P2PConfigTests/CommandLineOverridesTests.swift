import P2PConfig
import Testing

@Suite("Command-line overrides")
struct CommandLineOverridesTests {
    @Test("Section.Key=Value pairs, trimmed, later ones winning")
    func parse() throws {
        let overrides = try CommandLineOverrides.parse([
            "Peer.Port=7200", " Transfer.RateLimit = 1M ", "Peer.Port=7300", "Index.Host=", "Peer.X=a=b",
        ])
        #expect(
            overrides == ["Peer.Port": "7300", "Transfer.RateLimit": "1M", "Index.Host": "", "Peer.X": "a=b"])
    }

    @Test(
        "malformed assignments are errors naming the text",
        arguments: ["Peer.Port", "Port=1", "=1", ".Port=1", "Peer.=1"])
    func malformed(text: String) {
        let error = configurationError { try CommandLineOverrides.parse([text]) }
        #expect(error == .malformedOverride(text))
        #expect(error?.description == "command line: \"\(text)\": expected Section.Key=Value")
    }
}
