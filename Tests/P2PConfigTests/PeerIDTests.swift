import P2PConfig
import Testing

@Suite("Peer ids")
struct PeerIDTests {
    @Test(
        "valid ids",
        arguments: ["peer1", "a", "A.b-c_d", "node_007", "9", String(repeating: "x", count: 64)])
    func valid(id: String) throws {
        #expect(PeerID.isValid(id))
        try PeerID.validate(id)
    }

    @Test(
        "invalid ids",
        arguments: ["", ".hidden", "..", "-peer", "a/b", "peer 1", "peér", "a\0b", String(repeating: "x", count: 65)])
    func invalid(id: String) {
        #expect(!PeerID.isValid(id))
        #expect(configurationError { try PeerID.validate(id) } == .invalidPeerID(id))
    }

    @Test("trailing numbers")
    func trailingNumbers() {
        #expect(PeerID.trailingNumber(of: "peer1") == 1)
        #expect(PeerID.trailingNumber(of: "peer012") == 12)
        #expect(PeerID.trailingNumber(of: "7") == 7)
        #expect(PeerID.trailingNumber(of: "peer") == nil)
        #expect(PeerID.trailingNumber(of: "peer1a") == nil)
        #expect(PeerID.trailingNumber(of: "p" + String(repeating: "9", count: 30)) == nil)
    }

    @Test("derived ports")
    func derivedPorts() throws {
        #expect(try PeerID.derivedPort(id: "peer1", basePort: 7100) == 7100)
        #expect(try PeerID.derivedPort(id: "peer2", basePort: 7100) == 7101)
        #expect(try PeerID.derivedPort(id: "peer0", basePort: 7100) == 7099)
        #expect(configurationError { try PeerID.derivedPort(id: "peer0", basePort: 1) } != nil)
        #expect(
            configurationError { try PeerID.derivedPort(id: "p" + String(repeating: "9", count: 30), basePort: 1) }
                != nil)
    }
}
