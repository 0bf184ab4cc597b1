import Testing

@testable import P2PConfig

@Suite("Value kinds")
struct ValueKindTests {
    @Test(
        "byte counts accept K, M, G (1024-based, either case)",
        arguments: [
            ("0", 0), ("1", 1), ("65536", 65536), ("64K", 65536), ("64k", 65536), ("1M", 1_048_576),
            ("16M", 16_777_216), ("1G", 1_073_741_824), ("2g", 2_147_483_648),
        ])
    func byteCounts(text: String, value: Int) {
        #expect(ValueKind.byteCount(in: 0...Int.max).parse(text) == value)
    }

    @Test(
        "byte counts refuse anything else",
        arguments: ["", "K", "1.5M", "1MB", "1 M", "-1", "+1", "1T", "99999999999G"])
    func badByteCounts(text: String) {
        #expect(ValueKind.byteCount(in: 0...Int.max).parse(text) == nil)
    }

    @Test("booleans take systemd's spellings, case-insensitively")
    func booleans() {
        for text in ["yes", "YES", "true", "True", "on", "1"] { #expect(ValueKind.boolean.parse(text) == true) }
        for text in ["no", "No", "false", "off", "OFF", "0"] { #expect(ValueKind.boolean.parse(text) == false) }
        for text in ["", "y", "2", "enabled"] { #expect(ValueKind.boolean.parse(text) == nil) }
    }

    @Test("file modes are octal up to 0777")
    func fileModes() {
        #expect(ValueKind.fileMode.parse("0660") == 0o660)
        #expect(ValueKind.fileMode.parse("660") == 0o660)
        #expect(ValueKind.fileMode.parse("0") == 0)
        #expect(ValueKind.fileMode.parse("0777") == 0o777)
        for text in ["", "0888", "1777", "00660", "rw", "0x1B6"] { #expect(ValueKind.fileMode.parse(text) == nil) }
    }

    @Test("listen addresses are numeric IPv4 or IPv6")
    func listenAddresses() {
        for text in ["0.0.0.0", "127.0.0.1", "::", "::1", "fe80::1"] {
            #expect(ValueKind.listenAddress.parse(text) == text)
        }
        for text in ["localhost", "256.0.0.1", "*", "0.0.0.0:7000"] {
            #expect(ValueKind.listenAddress.parse(text) == nil)
        }
    }

    @Test("ports are 1–65535")
    func ports() {
        #expect(ValueKind.port.parse("1") == 1)
        #expect(ValueKind.port.parse("65535") == 65535)
        for text in ["0", "65536", "", "7000 ", "http"] { #expect(ValueKind.port.parse(text) == nil) }
    }

    @Test("paths are absolute, lose trailing slashes and expand %i and %%")
    func paths() {
        let kind = ValueKind.absolutePath(instance: "peer1")
        #expect(kind.parse("/var/lib/p2p/%i/") == "/var/lib/p2p/peer1")
        #expect(kind.parse("/") == "/")
        #expect(kind.parse("/a%%b") == "/a%b")
        for text in ["relative", "/a%", "/a%n", "%i"] { #expect(kind.parse(text) == nil) }
        #expect(ValueKind.absolutePath(instance: nil).parse("/a/%i") == nil)
    }

    @Test("socket paths fit sockaddr_un")
    func socketPaths() {
        let kind = ValueKind.socketPath(instance: "p")
        let longest = "/" + String(repeating: "s", count: 106)
        #expect(kind.parse(longest) == longest)
        #expect(kind.parse(longest + "s") == nil)
    }

    @Test("hosts and group names")
    func hostsAndGroups() {
        for text in ["localhost", "index.example.org", "10.0.0.1", "::1", "fe80::1%eth0"] {
            #expect(ValueKind.host.parse(text) == text)
        }
        for text in ["a b", "http://x", "x/y", ""] { #expect(ValueKind.host.parse(text) == nil) }
        for text in ["p2p", "_p2p", "wheel", "1000"] { #expect(ValueKind.groupName.parse(text) == text) }
        for text in ["-g", "a:b", "two words", String(repeating: "g", count: 33)] {
            #expect(ValueKind.groupName.parse(text) == nil)
        }
    }
}
