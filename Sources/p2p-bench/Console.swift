import ArgumentParser
import P2PBench
import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// stdout and stderr for the subcommands, and the one-line failure contract.
enum Console {
    /// One line on stdout, written at once (not through stdio's buffer, so it interleaves
    /// correctly with `ProgressLine`).
    static func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Prints `p2p-bench: reason` on stderr and returns the exit code to throw.
    static func failure(_ reason: String) -> ExitCode {
        let bytes = Array("p2p-bench: \(reason)\n".utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return .failure
    }

    /// Runs `body`, turning a `BenchError` into the failure line.
    static func run(_ body: () throws(BenchError) -> Void) throws {
        do {
            try body()
        } catch {
            throw failure(error.description)
        }
    }

    /// Parses an option value with a P2PBench parser, as a validation error.
    static func parse<T>(_ body: () throws(BenchError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Writes a result document when `--json PATH` was given.
    static func writeJSON(_ document: JSONValue, to path: String?) throws(BenchError) {
        guard let path else { return }
        try ResultDocument.write(document, to: path)
        line("results in \(path)")
    }
}
