/// An anchor's figure, or why there is none. A missing tool or a server that would not start
/// never stops the run: the anchor is reported as skipped, with what to do.
public enum AnchorResult<Value: Sendable>: Sendable {
    case measured(Value)
    case skipped(AnchorSkip)

    public var value: Value? {
        if case .measured(let value) = self { return value }
        return nil
    }

    public var skip: AnchorSkip? {
        if case .skipped(let skip) = self { return skip }
        return nil
    }

    /// `body`'s value, or its error as a skip of `anchor`.
    static func catching(anchor: String, _ body: () throws(BenchError) -> Value) -> AnchorResult {
        do {
            return .measured(try body())
        } catch {
            return .skipped(AnchorSkip(anchor: anchor, reason: "failed: \(error.description)"))
        }
    }
}
