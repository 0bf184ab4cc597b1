/// Columns padded to their widest cell, two spaces apart, no trailing blanks: what `ls -l` and
/// `ps` print, and what `column -t` or `awk` can read back.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []

    public init(header: [String]) {
        self.header = header
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    public var lines: [String] {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                if column > 0 { line += "  " }
                line += cell
                if column < row.count - 1 { line += String(repeating: " ", count: max(0, widths[column] - cell.count)) }
            }
            return line
        }
    }
}

/// Aligned `label  value` lines, for single records (stats, status).
public struct KeyValueList {
    public var pairs: [(String, String)] = []

    public init() {}

    public mutating func append(_ label: String, _ value: String) { pairs.append((label, value)) }

    public var lines: [String] {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { label, value in
            label + String(repeating: " ", count: width - label.count) + "  " + value
        }
    }
}
