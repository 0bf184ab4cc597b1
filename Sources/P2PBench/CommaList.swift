/// `1,2,4,8`-style option values.
public enum CommaList {
    /// Positive integers separated by commas, e.g. "1,2,4"; spaces around items are ignored.
    public static func positiveIntegers(_ text: String) throws(BenchError) -> [Int] {
        let items = text.split(separator: ",").map { $0.trimmingSpaces }
        guard !items.isEmpty else { throw .invalidArgument("expected a list like 1,2,4, got \(text.debugDescription)") }
        var values: [Int] = []
        for item in items {
            guard let value = Int(item), value > 0 else {
                throw .invalidArgument("expected positive integers, got \(String(item).debugDescription)")
            }
            values.append(value)
        }
        return values
    }

    /// Non-empty items separated by commas.
    public static func names(_ text: String) throws(BenchError) -> [String] {
        let items = text.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw .invalidArgument("expected a comma-separated list, got \(text.debugDescription)")
        }
        return items
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        drop { $0 == " " }.reversed().drop { $0 == " " }.reversed().reduce(into: "") { $0.append($1) }
    }
}
