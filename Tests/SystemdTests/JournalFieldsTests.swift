import Logging
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct JournalFieldNameTests {
    @Test(
        arguments: [
            ("peerID", "PEER_ID"),
            ("peer_id", "PEER_ID"),
            ("peer-id", "PEER_ID"),
            ("peerId", "PEER_ID"),
            ("PEER_ID", "PEER_ID"),
            ("fileName", "FILE_NAME"),
            ("file_name", "FILE_NAME"),
            ("HTTPStatus", "HTTP_STATUS"),
            ("sha256", "SHA256"),
            ("SHA256", "SHA256"),
            ("sha256Sum", "SHA256_SUM"),
            ("bytes", "BYTES"),
            ("remote", "REMOTE"),
            ("remoteAddress", "REMOTE_ADDRESS"),
            ("error.message", "ERROR_MESSAGE"),
            ("peer id", "PEER_ID"),
            ("a--b", "A_B"),
            ("_private", "PRIVATE"),
            ("trailing_", "TRAILING"),
            ("x1", "X1"),
        ]
    )
    func mapsKeys(key: String, field: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == field)
    }

    @Test(arguments: [
        "", "_", "-.-", "2fast", "größe", "a=b", "a\nb", "naïve", String(repeating: "a", count: 65),
    ])
    func dropsInvalidKeys(key: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == nil)
    }

    @Test func acceptsTheLongestValidName() {
        let key = String(repeating: "a", count: 64)
        #expect(JournalFields.fieldName(forMetadataKey: key) == String(repeating: "A", count: 64))
    }
}

@Suite struct SyslogPriorityTests {
    @Test(
        arguments: [
            (Logger.Level.trace, 7),
            (.debug, 7),
            (.info, 6),
            (.notice, 5),
            (.warning, 4),
            (.error, 3),
            (.critical, 2),
        ]
    )
    func mapsLevels(level: Logger.Level, priority: Int) {
        #expect(SyslogPriority(level).rawValue == priority)
    }
}

@Suite struct JournalEntryTests {
    @Test func buildsFieldsInOrder() {
        let fields = JournalFields.fields(
            level: .warning,
            message: "download failed",
            metadata: ["peerID": "peer2", "fileName": "song.ogg", "bytes": .stringConvertible(1024)],
            identifier: "p2p-peerd",
            label: "p2p.transfer",
            file: "P2PTransfer/Download.swift",
            function: "run()",
            line: 42
        )
        #expect(
            fields == [
                "MESSAGE=download failed",
                "PRIORITY=4",
                "SYSLOG_IDENTIFIER=p2p-peerd",
                "CODE_FILE=P2PTransfer/Download.swift",
                "CODE_LINE=42",
                "CODE_FUNC=run()",
                "LOGGER=p2p.transfer",
                "BYTES=1024",
                "FILE_NAME=song.ogg",
                "PEER_ID=peer2",
            ]
        )
    }

    @Test func metadataCannotOverrideReservedFieldsAndInvalidKeysAreDropped() {
        let fields = JournalFields.fields(
            level: .info,
            message: "real message",
            metadata: ["message": "forged", "priority": "0", "größe": "1", "size": "2"],
            identifier: "p2p-indexd",
            label: "l",
            file: "f",
            function: "g",
            line: 1
        )
        #expect(fields.filter { $0.hasPrefix("MESSAGE=") } == ["MESSAGE=real message"])
        #expect(fields.filter { $0.hasPrefix("PRIORITY=") } == ["PRIORITY=6"])
        #expect(fields.last == "SIZE=2")
        #expect(fields.count == 8)
    }

    @Test func keepsBothValuesWhenKeysCollide() {
        let fields = JournalFields.fields(
            level: .info,
            message: "m",
            metadata: ["peerID": "a", "peer_id": "b"],
            identifier: "i",
            label: "l",
            file: "f",
            function: "g",
            line: 1
        )
        #expect(fields.suffix(2) == ["PEER_ID=a", "PEER_ID=b"])
    }

    @Test func handlerMergesHandlerProviderCallMetadataAndError() {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "disk on fire" }
        }
        var handler = JournalLogHandler(
            label: "p2p.peer",
            identifier: "p2p-peerd",
            metadataProvider: Logger.MetadataProvider { ["requestID": "r1", "peerID": "from-provider"] }
        )
        handler[metadataKey: "peerID"] = "from-handler"
        handler[metadataKey: "remote"] = "10.0.0.1:7100"
        let event = LogEvent(
            level: .error,
            message: "write failed",
            error: Broken(),
            metadata: ["fileName": "a.bin"],
            source: nil,
            file: "File.swift",
            function: "f()",
            line: 7
        )
        let fields = handler.fields(for: event)
        #expect(fields.contains("PRIORITY=3"))
        #expect(fields.contains("PEER_ID=from-provider"))
        #expect(fields.contains("REQUEST_ID=r1"))
        #expect(fields.contains("REMOTE=10.0.0.1:7100"))
        #expect(fields.contains("FILE_NAME=a.bin"))
        #expect(fields.contains("ERROR_MESSAGE=disk on fire"))
        #expect(fields.contains { $0.hasPrefix("ERROR_TYPE=") && $0.hasSuffix("Broken") })
    }

    @Test func iovecsCoverEachFieldExactly() {
        let fields = ["MESSAGE=two\nlines", "PRIORITY=6", "EMPTY="]
        let rebuilt = JournalFields.withIOVectors(fields) { vectors in
            vectors.map { vector in
                String(
                    decoding: UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len),
                    as: UTF8.self
                )
            }
        }
        #expect(rebuilt == fields)
    }

    @Test func sendRejectsAnEmptyEntry() {
        #expect(JournalFields.send([]) == -EINVAL)
    }
}
