#if canImport(Glibc)
    import Glibc
#endif

/// `HOST:PORT` (or `[v6]:PORT`) from the command line, resolved once to a socket address so
/// per-request connections pay no name lookup.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(BenchError) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidArgument("expected [HOST]:PORT, got \(text)") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidArgument("expected HOST:PORT, got \(text)") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidArgument("expected a port 1-65535 in \(text)")
        }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The first TCP address `getaddrinfo` gives for this host and port.
    public func resolve() throws(BenchError) -> SocketAddress {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw .invalidArgument("cannot resolve \(host): \(reason)")
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        let length = Int(first.pointee.ai_addrlen)
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: length))
        }
        return SocketAddress(
            storage: storage, length: socklen_t(length), family: first.pointee.ai_family, text: description)
    }
}

/// A resolved TCP address, ready for `connect(2)`.
public struct SocketAddress: @unchecked Sendable {
    var storage: sockaddr_storage
    let length: socklen_t
    let family: Int32
    /// For messages.
    public let text: String
}
