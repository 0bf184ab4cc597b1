import P2PConfig
import Testing

/// Pins the exact wording of every message, since admins read them in the journal and scripts may
/// match them.
@Suite("Error and warning messages")
struct ConfigurationErrorTests {
    @Test("every error case renders one line naming place, key, value and expectation")
    func errorMessages() {
        let port = SettingKey(section: "Index", name: "Port")
        let cases: [(ConfigurationError, String)] = [
            (.syntax(path: "/etc/p2p/peer.conf", line: 4, reason: "why"), "/etc/p2p/peer.conf:4: why"),
            (
                .unreadable(path: "/etc/p2p/peer.conf", reason: "Permission denied"),
                "/etc/p2p/peer.conf: cannot read: Permission denied"
            ),
            (
                .invalidValue(
                    source: .file(path: "/etc/p2p/index.conf", line: 3), key: port, value: "abc",
                    expected: "an integer 1–65535"),
                "/etc/p2p/index.conf:3: [Index] Port=abc: expected an integer 1–65535"
            ),
            (
                .invalidValue(
                    source: .environment(variable: "P2P_INDEX_PORT"), key: port, value: "abc",
                    expected: "an integer 1–65535"),
                "environment variable P2P_INDEX_PORT: [Index] Port=abc: expected an integer 1–65535"
            ),
            (
                .invalidValue(source: .commandLine, key: port, value: "abc", expected: "an integer 1–65535"),
                "command line: [Index] Port=abc: expected an integer 1–65535"
            ),
            (
                .invalidPeerID("-x"),
                "invalid peer id \"-x\": expected 1–64 characters from A–Z a–z 0–9 _ . -, not starting with . or -"
            ),
            (
                .portNotDerivable(peerID: "alpha", reason: "the id has no trailing number to add to BasePort 7100"),
                "peer alpha: no [Peer] Port configured and the id has no trailing number to add to BasePort 7100; set [Peer] Port"
            ),
            (.malformedOverride("Port"), "command line: \"Port\": expected Section.Key=Value"),
            (
                .unknownOverride(SettingKey(section: "Peer", name: "Prot"), suggestion: nil),
                "command line: unknown setting Peer.Prot"
            ),
            (
                .unknownOverride(
                    SettingKey(section: "peer", name: "port"), suggestion: SettingKey(section: "Peer", name: "Port")),
                "command line: unknown setting peer.port (did you mean Peer.Port?)"
            ),
        ]
        for (error, message) in cases {
            #expect(error.description == message)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("warnings render one line each")
    func warningMessages() {
        #expect(
            ConfigWarning.unknownKey(
                path: "/etc/p2p/peer.conf", line: 9, key: SettingKey(section: "Peer", name: "Prot"), suggestion: nil
            ).description == "/etc/p2p/peer.conf:9: unknown key Prot in [Peer], ignored")
        #expect(
            ConfigWarning.unknownKey(
                path: "/etc/p2p/peer.conf", line: 9, key: SettingKey(section: "Peer", name: "port"),
                suggestion: SettingKey(section: "Peer", name: "Port")
            ).description == "/etc/p2p/peer.conf:9: unknown key port in [Peer], ignored (did you mean Port?)")
        #expect(
            ConfigWarning.unknownSection(path: "/etc/p2p/index.conf", line: 1, section: "Web").description
                == "/etc/p2p/index.conf:1: unknown section [Web], ignored")
    }
}
