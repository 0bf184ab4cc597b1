import Testing

@testable import P2PConfig

/// The files in `etc/p2p/` are documentation as much as config: every key commented out with its
/// default. These tests keep them and the code from drifting apart.
@Suite("Shipped config files")
struct ShippedConfigTests {
    /// `etc/p2p` of this checkout, found from this source file's path.
    static let shippedDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/etc/p2p"
    }()

    /// A documented key: a `#Key=Value` line (no space after `#`) under a `[Section]` header.
    struct DocumentedKey: Equatable {
        var key: SettingKey
        var value: String
    }

    /// Reads `relativePath`, checks it parses with no active assignment, and returns the
    /// commented-out `#Key=Value` lines with their sections.
    static func documentedKeys(_ relativePath: String) throws -> [DocumentedKey] {
        let path = shippedDirectory + "/" + relativePath
        let text = try #require(try ConfigFileStack.readText(path), "\(path) is missing")
        let document = try INIParser.parse(text, path: path)
        #expect(document.entries.isEmpty, "\(relativePath) should only have commented-out assignments")
        var section: String?
        var keys: [DocumentedKey] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()) }
            guard line.hasPrefix("#"), let first = line.dropFirst().first, first.isLetter,
                let equals = line.firstIndex(of: "=")
            else { continue }
            let name = String(line[line.index(after: line.startIndex)..<equals])
            guard name.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            let currentSection = try #require(section, "\(relativePath): #\(name)= before any section")
            keys.append(
                DocumentedKey(
                    key: SettingKey(section: currentSection, name: name),
                    value: String(line[line.index(after: equals)...])))
        }
        return keys
    }

    @Test("index.conf documents every index key exactly once, and nothing else")
    func indexKeys() throws {
        let documented = try Self.documentedKeys("index.conf").map(\.key)
        #expect(documented == IndexSettings.Keys.all)
    }

    @Test("peer.conf documents every peer key exactly once, and nothing else")
    func peerKeys() throws {
        let documented = try Self.documentedKeys("peer.conf").map(\.key)
        #expect(documented == PeerSettings.Keys.all)
    }

    @Test("the per-peer example documents only peer keys, with the same defaults as peer.conf")
    func exampleKeys() throws {
        let example = try Self.documentedKeys("peers/peer1.conf.example")
        let peer = try Self.documentedKeys("peer.conf")
        #expect(!example.isEmpty)
        for entry in example {
            #expect(PeerSettings.Keys.all.contains(entry.key), "\(entry.key) is not a peer key")
            #expect(peer.contains(entry), "\(entry.key)=\(entry.value) differs from peer.conf")
        }
    }

    @Test("uncommenting every line of index.conf gives the built-in defaults, with no warnings")
    func indexDefaults() throws {
        let lines = try Self.documentedKeys("index.conf")
        try withScratchDirectory { dir in
            try dir.write("index.conf", Self.uncommented(lines))
            let loaded = try IndexSettings.load(locations: dir.locations, environment: [:])
            #expect(loaded.settings == IndexSettings())
            #expect(loaded.warnings.isEmpty)
        }
    }

    @Test("uncommenting every line of peer.conf and the example gives the built-in defaults")
    func peerDefaults() throws {
        let peer = try Self.documentedKeys("peer.conf")
        let example = try Self.documentedKeys("peers/peer1.conf.example")
        try withScratchDirectory { dir in
            try dir.write("peer.conf", Self.uncommented(peer))
            try dir.write("peers/peer2.conf", Self.uncommented(example))
            let loaded = try PeerSettings.load(id: "peer2", locations: dir.locations, environment: [:])
            #expect(loaded.settings == PeerSettings(id: "peer2", port: 7101))
            #expect(loaded.warnings.isEmpty)
        }
    }

    /// The documented lines as an active INI file.
    static func uncommented(_ keys: [DocumentedKey]) -> String {
        var text = ""
        var section = ""
        for entry in keys {
            if entry.key.section != section {
                section = entry.key.section
                text += "[\(section)]\n"
            }
            text += "\(entry.key.name)=\(entry.value)\n"
        }
        return text
    }
}
