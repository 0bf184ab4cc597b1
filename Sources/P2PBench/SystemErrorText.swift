#if canImport(Glibc)
    import Glibc
#endif

/// `strerror` text for an errno, with the number, e.g. "Connection refused (errno 111)".
enum SystemErrorText {
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
