import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct NotifierFormatTests {
    @Test func sortsKeysAndJoinsWithNewlines() throws {
        let text = try SystemdNotifier.format(["STATUS": "Serving", "READY": "1"])
        #expect(text == "READY=1\nSTATUS=Serving")
    }

    @Test func newlinesInValuesCannotForgeAssignments() throws {
        let text = try SystemdNotifier.format(["STATUS": "evil\nREADY=1"])
        #expect(text == "STATUS=evil READY=1")
    }

    @Test(arguments: ["", "ready", "A=B", "A\nB", "STATUS "])
    func rejectsInvalidKeys(key: String) {
        #expect(throws: SystemdError(function: "SystemdNotifier.format", errno: EINVAL)) {
            try SystemdNotifier.format([key: "1"])
        }
    }
}

extension ProcessEnvironment {
    @Suite struct NotifierTests {
        @Test func sendsEachStateToNotifySocket() async throws {
            let directory = try TemporaryDirectory()
            let listener = try DatagramListener(path: directory.path + "/notify")
            try await withEnvironment(["NOTIFY_SOCKET": listener.path]) { () async throws in
                let notifier = SystemdNotifier()
                #expect(notifier.isEnabled)

                #expect(try notifier.ready())
                #expect(listener.receive() == "READY=1")

                try notifier.ready(status: "Serving 3 files")
                #expect(listener.receive() == "READY=1\nSTATUS=Serving 3 files")

                try notifier.status("Registering with index")
                #expect(listener.receive() == "STATUS=Registering with index")

                try notifier.stopping()
                #expect(listener.receive() == "STOPPING=1")

                try notifier.watchdog()
                #expect(listener.receive() == "WATCHDOG=1")

                try notifier.extendTimeout(by: .seconds(5))
                #expect(listener.receive() == "EXTEND_TIMEOUT_USEC=5000000")

                try notifier.send(["ERRNO": "2", "STATUS": "failed"])
                #expect(listener.receive() == "ERRNO=2\nSTATUS=failed")

                try notifier.send("FDSTORE=0")
                #expect(listener.receive() == "FDSTORE=0")
            }
        }

        @Test func reloadingCarriesMonotonicTimestamp() async throws {
            let directory = try TemporaryDirectory()
            let listener = try DatagramListener(path: directory.path + "/notify")
            try await withEnvironment(["NOTIFY_SOCKET": listener.path]) { () async throws in
                let before = SystemdNotifier.monotonicMicroseconds()
                try SystemdNotifier().reloading(status: "Reloading configuration")
                let after = SystemdNotifier.monotonicMicroseconds()

                let message = try #require(listener.receive())
                let lines = message.split(separator: "\n").map(String.init)
                #expect(lines.count == 3)
                #expect(lines[0].hasPrefix("MONOTONIC_USEC="))
                #expect(lines[1] == "RELOADING=1")
                #expect(lines[2] == "STATUS=Reloading configuration")
                let stamp = try #require(UInt64(lines[0].dropFirst("MONOTONIC_USEC=".count)))
                #expect(stamp >= before && stamp <= after)
            }
        }

        @Test func isANoOpWithoutNotifySocket() async throws {
            try await withEnvironment(["NOTIFY_SOCKET": nil]) { () async throws in
                let notifier = SystemdNotifier()
                #expect(!notifier.isEnabled)
                #expect(try notifier.ready() == false)
                #expect(try notifier.status("nobody listens") == false)
                #expect(try notifier.watchdog() == false)
            }
        }

        @Test func reportsAnUnreachableNotifySocket() async throws {
            let directory = try TemporaryDirectory()
            try await withEnvironment(["NOTIFY_SOCKET": directory.path + "/nobody-here"]) {
                () async throws in
                #expect(throws: SystemdError.self) {
                    try SystemdNotifier().ready()
                }
            }
        }
    }
}
