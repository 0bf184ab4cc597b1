import P2PProtocol
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `IndexRequestLine` against the generic path (`Envelope(line:)`, then `RegistryRequest`) on every
/// line of the fuzz corpus and on bounded mutations of each: same error, or the same envelope and,
/// for registrations, the same files.
@Suite struct IndexRequestLineDifferentialTests {
    static let corpusDirectory: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/FuzzCorpus"
    }()

    static func corpusLines() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for folder in ["envelope", "index", "json"] {
            let directory = corpusDirectory + "/" + folder
            guard let handle = opendir(directory) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard !name.hasPrefix("."), let file = fopen(directory + "/" + name, "rb") else { continue }
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = fread(&buffer, 1, buffer.count, file)
                    if count <= 0 { break }
                    bytes.append(contentsOf: buffer[0..<count])
                }
                fclose(file)
                lines.append(contentsOf: bytes.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init))
            }
        }
        return lines
    }

    enum Outcome: Equatable {
        case failure(ProtocolError)
        case success(type: String, peerID: String?, requestID: String?, files: [SharedFile]?)
    }

    static func generic(_ line: [UInt8]) -> Outcome {
        line.withUnsafeBytes { raw in
            do throws(ProtocolError) {
                let envelope = try Envelope(line: raw)
                let files =
                    envelope.messageType == .registryRequest
                    ? (try? RegistryRequest(payload: envelope.payload))?.files : nil
                return .success(
                    type: envelope.type, peerID: envelope.peerID, requestID: envelope.requestID, files: files)
            } catch {
                return .failure(error)
            }
        }
    }

    static func streaming(_ line: [UInt8]) -> Outcome {
        line.withUnsafeBytes { raw in
            do throws(ProtocolError) {
                let parsed = try IndexRequestLine(line: raw)
                let envelope = parsed.envelope
                var files: [SharedFile]?
                if envelope.messageType == .registryRequest,
                    let placeholder = try? RegistryRequest(payload: envelope.payload)
                {
                    files = parsed.registryEntries?.sharedFiles ?? placeholder.files
                }
                return .success(
                    type: envelope.type, peerID: envelope.peerID, requestID: envelope.requestID, files: files)
            } catch {
                return .failure(error)
            }
        }
    }

    @Test func corpusLinesAndTheirMutationsReadTheSame() {
        let lines = Self.corpusLines()
        #expect(lines.count > 50)
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            return Int(truncatingIfNeeded: random >> 1)
        }
        let interesting: [UInt8] = Array("{}[]\",:\\0u9-.eE tfn\u{7F}".utf8) + [0x00, 0x1F, 0xC3, 0xFF, 0xED, 0xA0]
        var checked = 0
        for line in lines {
            var variants = [line]
            // Bounded: 40 mutations per line (truncations, byte swaps, insertions).
            for _ in 0..<40 where !line.isEmpty {
                var mutated = line
                let position = next() % mutated.count
                switch next() % 3 {
                case 0: mutated.removeSubrange(position...)
                case 1: mutated[position] = interesting[next() % interesting.count]
                default: mutated.insert(interesting[next() % interesting.count], at: position)
                }
                variants.append(mutated)
            }
            for variant in variants {
                let expected = Self.generic(variant)
                let actual = Self.streaming(variant)
                #expect(actual == expected, "\(String(decoding: variant, as: UTF8.self))")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }
}
