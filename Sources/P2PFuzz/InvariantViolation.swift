/// A property a fuzz target checks did not hold for one input.
///
/// Targets throw it instead of trapping, so the replay test can report the corpus file and go on;
/// the libFuzzer entry point turns it into a crash, which is what makes libFuzzer save the input.
public struct InvariantViolation: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Throws `InvariantViolation(message())` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(InvariantViolation) {
    if !condition { throw InvariantViolation(message()) }
}
