/// A fresh random challenge: 32 bytes from the system's cryptographic generator (getrandom(2) on
/// Linux). One per connection and per side, so a proof recorded on one connection is worthless on
/// any other.
public enum ClusterNonce {
    public static let byteCount = 32

    public static func fresh() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The nonce in a hex field, or nil unless it is exactly ``byteCount`` bytes.
    static func parse(_ text: String?) -> [UInt8]? {
        guard let text, let bytes = HexBytes.decode(text.utf8), bytes.count == byteCount else { return nil }
        return bytes
    }
}
