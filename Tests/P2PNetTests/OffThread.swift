import Foundation

/// Runs blocking client code on its own thread. The control server's connection tasks run on
/// Swift's cooperative pool (two threads on these machines); a blocking read there could starve
/// the very server it waits for.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
