import P2PProtocol

/// Rules for peer ids, the `<id>` in `p2p-peer@<id>.service`, `/etc/p2p/peers/<id>.conf` and
/// `/var/lib/p2p/<id>`.
///
/// The id becomes a file name and a path component, so it is restricted to `[A-Za-z0-9_.-]{1,64}`
/// and may not start with `.` (hidden files, `..`) or `-` (would read as an option).
public enum PeerID {
    /// Throws ``ConfigurationError/invalidPeerID(_:)`` unless `id` follows the rules above.
    public static func validate(_ id: String) throws(ConfigurationError) {
        guard isValid(id) else { throw .invalidPeerID(id) }
    }

    /// Whether `id` follows the rules above, which are the wire protocol's (`NameRules`).
    public static func isValid(_ id: String) -> Bool {
        NameRules.peerIDProblem(id) == nil
    }

    /// The decimal number at the end of `id` (`peer12` → 12), or nil when there is none or it
    /// does not fit an `Int`. It numbers the peer for the default port, BasePort + N − 1.
    public static func trailingNumber(of id: String) -> Int? {
        let digits = id.utf8.reversed().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !digits.isEmpty else { return nil }
        return Int(String(decoding: digits.reversed(), as: UTF8.self))
    }

    /// The default listening port of peer `id`: `basePort + N − 1` for the trailing number N
    /// (peer1 → 7100, peer2 → 7101 with the default base), as the seed system numbered peers.
    public static func derivedPort(id: String, basePort: Int) throws(ConfigurationError) -> Int {
        guard let number = trailingNumber(of: id) else {
            throw .portNotDerivable(
                peerID: id, reason: "the id has no trailing number to add to BasePort \(basePort)")
        }
        let (sum, overflow) = basePort.addingReportingOverflow(number - 1)
        guard !overflow, (1...65_535).contains(sum) else {
            throw .portNotDerivable(
                peerID: id, reason: "BasePort \(basePort) + \(number) − 1 is not a port 1–65535")
        }
        return sum
    }
}
