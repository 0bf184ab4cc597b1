#if canImport(Glibc)
    import Glibc
#endif

/// The process environment as a dictionary, read once at start-up for the configuration layers
/// (`P2P_…`). Read without Foundation, which the daemons do not link.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
