import P2PConfig
import Testing

/// The ``ConfigurationError`` `body` throws, or nil when it succeeds; for comparing whole
/// messages. Any other error is recorded as a test failure.
func configurationError<T>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) -> ConfigurationError? {
    do {
        _ = try body()
        return nil
    } catch let error as ConfigurationError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
