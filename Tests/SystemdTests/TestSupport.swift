import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Every test that reads or writes process environment variables lives in a suite nested in this
/// one: `.serialized` applies to nested suites, and the environment is process-wide state that
/// parallel tests would otherwise race on.
@Suite(.serialized) struct ProcessEnvironment {}

/// Sets (or, for `nil`, unsets) variables for the duration of `body`, then restores them.
@discardableResult
func withEnvironment<Result>(
    _ variables: [String: String?],
    _ body: () async throws -> Result
) async rethrows -> Result {
    var saved: [String: String?] = [:]
    for (name, value) in variables {
        saved[name] = getenv(name).map { String(cString: $0) }
        if let value {
            setenv(name, value, 1)
        } else {
            unsetenv(name)
        }
    }
    defer {
        for (name, value) in saved {
            if let value {
                setenv(name, value, 1)
            } else {
                unsetenv(name)
            }
        }
    }
    return try await body()
}

/// A fresh private folder under /tmp (short, so socket paths stay under sun_path's 108 bytes).
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        var template = Array("/tmp/p2p-systemd-test.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw POSIXFailure(call: "mkdtemp", errno: errno) }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." {
                    unlink(path + "/" + name)
                }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

struct POSIXFailure: Error, CustomStringConvertible {
    var call: String
    var errno: CInt
    var description: String { "\(call) failed: \(String(cString: strerror(errno)))" }
}

/// Fills a sockaddr_un for `path` and calls `body` with it.
func withUnixAddress<Result>(
    _ path: String,
    _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
) -> Result {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
    withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
        sunPath.copyBytes(from: bytes)
        sunPath[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
}

/// An AF_UNIX datagram socket bound to a path: stands in for systemd's notification socket.
final class DatagramListener {
    let path: String
    private let fd: CInt

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXFailure(call: "socket", errno: errno) }
        let result = withUnixAddress(path) { bind(fd, $0, $1) }
        guard result == 0 else {
            let failure = POSIXFailure(call: "bind", errno: errno)
            close(fd)
            throw failure
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram as text, or `nil` if none arrives within `milliseconds`.
    func receive(timeoutMilliseconds milliseconds: CInt = 2000) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// As `receive`, but waits by sleeping the task rather than blocking a thread of the small
    /// cooperative pool, which the code under test (a watchdog task) needs to run meanwhile.
    func next(timeoutMilliseconds milliseconds: Int = 2000) async -> String? {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        while ContinuousClock.now < deadline {
            if let message = receive(timeoutMilliseconds: 0) { return message }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}
