import Logging
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct JournalStreamParsingTests {
    @Test func matchesDeviceAndInode() {
        #expect(LogDestination.stderrIsJournal(journalStream: "25:4711", device: 25, inode: 4711))
    }

    @Test(arguments: ["25:4712", "26:4711", "", "25", "25:", ":4711", "25:4711:1", "x:y", "-25:4711"])
    func rejectsOtherValues(value: String) {
        #expect(!LogDestination.stderrIsJournal(journalStream: value, device: 25, inode: 4711))
    }

    @Test func rejectsAbsentVariable() {
        #expect(!LogDestination.stderrIsJournal(journalStream: nil, device: 25, inode: 4711))
    }

    @Test func makesTheHandlerForTheDestination() {
        let journal = SystemdLogging.makeHandler(
            label: "l", identifier: "i", destination: .journal, logLevel: .debug)
        #expect(journal is JournalLogHandler)
        #expect(journal.logLevel == .debug)
        #expect((journal as? JournalLogHandler)?.identifier == "i")
        let stderr = SystemdLogging.makeHandler(label: "l", identifier: "i", destination: .stderr)
        #expect(stderr is StderrLogHandler)
        #expect(stderr.logLevel == .info)
    }
}

extension ProcessEnvironment {
    @Suite struct LogDestinationDetectionTests {
        /// JOURNAL_STREAM as systemd would set it if our stderr were the journal stream.
        func ownStderrStream() -> String {
            var status = stat()
            fstat(STDERR_FILENO, &status)
            return "\(status.st_dev):\(status.st_ino)"
        }

        @Test func journalWhenJournalStreamIsOurStderr() async throws {
            let value = ownStderrStream()
            try await withEnvironment(["JOURNAL_STREAM": value]) { () async throws in
                #expect(LogDestination.detect() == .journal)
            }
        }

        @Test func stderrWhenJournalStreamIsInherited() async throws {
            try await withEnvironment(["JOURNAL_STREAM": "1:1"]) { () async throws in
                #expect(LogDestination.detect() == .stderr)
            }
        }

        @Test func stderrWithoutJournalStream() async throws {
            try await withEnvironment(["JOURNAL_STREAM": nil]) { () async throws in
                #expect(LogDestination.detect() == .stderr)
            }
        }
    }
}
