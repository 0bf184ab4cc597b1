/// The rules every file name and peer id on the wire must follow.
///
/// They live in the protocol module because both sides apply them: the index refuses to list a
/// name a peer could never serve, and a peer refuses to serve or save one that could escape its
/// folder (`..`, `/`, NUL).
public enum NameRules {
    /// Why `name` cannot be a shared file name, or `nil` when it can (the rules of `FileName`).
    public static func fileNameProblem(_ name: String) -> String? {
        do {
            _ = try FileName(name)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Why `id` cannot be a peer id, or `nil` when it can: 1–64 of `[A-Za-z0-9_.-]`, not starting
    /// with `.` or `-`, since ids become file and unit names (`/run/p2p/<id>.sock`, `p2p-peer@<id>`).
    public static func peerIDProblem(_ id: String) -> String? {
        let utf8 = id.utf8
        guard (1...64).contains(utf8.count) else { return "expected 1-64 characters" }
        if utf8.first == UInt8(ascii: ".") || utf8.first == UInt8(ascii: "-") {
            return "must not start with '.' or '-'"
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                continue
            default:
                return "allowed characters are A-Z a-z 0-9 _ . -"
            }
        }
        return nil
    }
}
