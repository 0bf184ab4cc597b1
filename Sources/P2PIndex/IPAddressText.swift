#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Compares addresses as text without resolving anything: the index must never block on DNS.
enum IPAddressText {
    /// Whether `text` is a literal IPv4 or IPv6 address (not a host name).
    static func isLiteral(_ text: String) -> Bool { bytes(text) != nil }

    /// Whether two literals name the same address; an IPv4 address equals its IPv4-mapped IPv6 form.
    static func same(_ a: String, _ b: String) -> Bool {
        guard let x = bytes(a), let y = bytes(b) else { return a == b }
        return x == y
    }

    /// The address as 16 bytes (IPv4 mapped into IPv6), or `nil` for anything but a literal.
    private static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
