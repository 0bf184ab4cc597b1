/// The `status` / `error` pair every reply payload carries.
public enum ReplyStatus {
    /// `{"status": "error", "error": code}` plus any extra members the reply type keeps even on
    /// failure (the seed's search error still has `results: []`).
    public static func error(_ code: String, extra: [(String, JSONValue)] = []) -> JSONValue {
        .object([("status", "error"), ("error", .string(code))] + extra)
    }

    /// The error code of a reply, or `nil` when its status is "ok".
    ///
    /// The other side chose the text, and it ends up in our errors, logs and p2pctl's output, so
    /// it comes flattened to one line without control characters and cut to a sane length
    /// (`ControlResponseLine.oneLine`); "unknown error" when there is none.
    public static func errorCode(of payload: JSONValue) -> String? {
        if payload["status"]?.stringValue == "ok" { return nil }
        return ControlResponseLine.oneLine(payload["error"]?.stringValue ?? "")
    }
}
