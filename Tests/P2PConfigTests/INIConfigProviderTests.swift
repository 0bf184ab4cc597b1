import Configuration
import P2PConfig
import Testing

@Suite("INI provider")
struct INIConfigProviderTests {
    let document = INIDocument(
        path: "/etc/p2p/peer.conf",
        entries: [
            .init(section: "Peer", key: "Port", value: "7100", line: 2),
            .init(section: "Peer", key: "Port", value: "7200", line: 5),
            .init(section: "Transfer", key: "Fsync", value: "yes", line: 8),
            .init(section: "Transfer", key: "RateLimit", value: "1M", line: 9),
        ])

    @Test("serves the last assignment of each key through a ConfigReader, as string, int and bool")
    func throughReader() {
        let reader = ConfigReader(provider: INIConfigProvider(document: document))
        #expect(reader.string(forKey: ["Peer", "Port"]) == "7200")
        #expect(reader.int(forKey: ["Peer", "Port"]) == 7200)
        #expect(reader.bool(forKey: ["Transfer", "Fsync"]) == true)
        #expect(reader.string(forKey: ["Peer", "Missing"]) == nil)
        #expect(reader.string(forKey: ["peer", "port"]) == nil, "keys are case-sensitive")
    }

    @Test("a value that is not the requested type throws")
    func conversion() {
        let provider = INIConfigProvider(document: document)
        #expect(throws: (any Error).self) {
            try provider.value(forKey: AbsoluteConfigKey(["Transfer", "RateLimit"]), type: .int)
        }
        #expect(throws: (any Error).self) {
            try provider.value(forKey: AbsoluteConfigKey(["Transfer", "RateLimit"]), type: .bytes)
        }
    }

    @Test("knows the line each value came from, or says command line")
    func sources() {
        let provider = INIConfigProvider(document: document)
        #expect(
            provider.source(of: SettingKey(section: "Peer", name: "Port")) == .file(path: "/etc/p2p/peer.conf", line: 5)
        )
        #expect(provider.source(of: SettingKey(section: "Peer", name: "Nope")) == nil)
        let flags = INIConfigProvider(document: document, origin: .commandLine)
        #expect(flags.source(of: SettingKey(section: "Peer", name: "Port")) == .commandLine)
        #expect(provider.providerName == "INIConfigProvider[/etc/p2p/peer.conf]")
    }

    @Test("an earlier provider in the reader wins, which is what layering rests on")
    func precedence() {
        let low = INIConfigProvider(document: document)
        let high = INIConfigProvider(
            document: INIDocument(
                path: "drop-in", entries: [.init(section: "Peer", key: "Port", value: "7300", line: 1)]))
        let reader = ConfigReader(providers: [high, low])
        #expect(reader.int(forKey: ["Peer", "Port"]) == 7300)
        #expect(reader.string(forKey: ["Transfer", "RateLimit"]) == "1M")
    }
}
