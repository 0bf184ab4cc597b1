import Logging
import ServiceLifecycle
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct WatchdogIntervalTests {
    @Test func pingsAtHalfTheTimeout() {
        #expect(Watchdog(timeout: .seconds(30)).interval == .seconds(15))
        #expect(Watchdog(timeout: .milliseconds(3)).interval == .microseconds(1500))
    }
}

extension ProcessEnvironment {
    @Suite struct WatchdogEnvironmentTests {
        let ownPID = String(getpid())

        @Test func enabledForThisProcess() async throws {
            try await withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": ownPID]) {
                () async throws in
                let watchdog = try #require(try Watchdog.fromEnvironment())
                #expect(watchdog.timeout == .seconds(30))
                #expect(watchdog.interval == .seconds(15))
                // Left in place unless asked otherwise.
                #expect(getenv("WATCHDOG_USEC") != nil)
            }
        }

        @Test func enabledWithoutWatchdogPID() async throws {
            try await withEnvironment(["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": nil]) {
                () async throws in
                let watchdog = try #require(try Watchdog.fromEnvironment())
                #expect(watchdog.interval == .seconds(10))
            }
        }

        @Test func disabledForAnotherProcess() async throws {
            try await withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]) {
                () async throws in
                #expect(try Watchdog.fromEnvironment() == nil)
            }
        }

        @Test func disabledWithoutWatchdogUSEC() async throws {
            try await withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) { () async throws in
                #expect(try Watchdog.fromEnvironment() == nil)
            }
        }

        @Test func malformedValueIsAnError() async throws {
            try await withEnvironment(["WATCHDOG_USEC": "soon", "WATCHDOG_PID": ownPID]) {
                () async throws in
                #expect(throws: SystemdError.self) {
                    try Watchdog.fromEnvironment()
                }
            }
        }

        @Test func canUnsetTheVariables() async throws {
            try await withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": ownPID]) {
                () async throws in
                #expect(try Watchdog.fromEnvironment(unsetEnvironment: true) != nil)
                #expect(getenv("WATCHDOG_USEC") == nil)
                #expect(getenv("WATCHDOG_PID") == nil)
            }
        }

        @Test func runPingsUntilCancelled() async throws {
            let directory = try TemporaryDirectory()
            let listener = try DatagramListener(path: directory.path + "/notify")
            try await withEnvironment(["NOTIFY_SOCKET": listener.path]) { () async throws in
                let watchdog = Watchdog(timeout: .milliseconds(100))
                let clock = ContinuousClock()
                let start = clock.now
                let task = Task { await watchdog.run() }

                // The first ping goes out at once, then one per 50 ms.
                for _ in 0..<4 {
                    #expect(await listener.next(timeoutMilliseconds: 1000) == "WATCHDOG=1")
                }
                let elapsed = clock.now - start
                #expect(elapsed >= .milliseconds(150))
                #expect(elapsed < .seconds(2))

                task.cancel()
                await task.value
                // Drain a ping that may have raced the cancellation, then expect silence.
                _ = listener.receive(timeoutMilliseconds: 20)
                #expect(listener.receive(timeoutMilliseconds: 200) == nil)
            }
        }

        @Test func runEndsOnGracefulShutdown() async throws {
            let directory = try TemporaryDirectory()
            let listener = try DatagramListener(path: directory.path + "/notify")
            try await withEnvironment(["NOTIFY_SOCKET": listener.path]) { () async throws in
                let group = ServiceGroup(
                    services: [Watchdog(timeout: .seconds(60))],
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
                )
                let run = Task { try await group.run() }
                #expect(await listener.next() == "WATCHDOG=1")
                await group.triggerGracefulShutdown()
                // The next ping would be 30 s away: returning now proves the sleep was cut short.
                // A guard cancels the group after 5 s so that a regression fails instead of hanging.
                let guardTask = Task {
                    try await Task.sleep(for: .seconds(5))
                    run.cancel()
                }
                defer { guardTask.cancel() }
                let clock = ContinuousClock()
                let start = clock.now
                _ = await run.result
                #expect(clock.now - start < .seconds(5))
            }
        }
    }
}
