/// A file of names, one per line (for `weak --names FILE`).
public enum NameList {
    /// Non-empty lines, without a trailing `\r`.
    public static func read(_ path: String) throws(BenchError) -> [String] {
        guard let text = FileIO.readText(path, limit: 256 << 20) else {
            throw .invalidArgument("cannot read \(path)")
        }
        return parse(text)
    }

    /// Splits on the byte `\n`: Swift treats "\r\n" as one Character, so splitting the
    /// characters would keep Windows line ends whole.
    public static func parse(_ text: String) -> [String] {
        text.utf8.split(separator: 0x0A).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }.filter { !$0.isEmpty }
    }
}
