/// A parser for the systemd-style INI dialect of our config files.
///
/// The dialect, as in systemd.syntax(7): `[Section]` headers; `Key=Value` assignments with
/// whitespace around `=` and at both ends removed; full-line comments starting with `#` or `;`;
/// empty lines. Keys and sections are case-sensitive. A later assignment of the same key wins.
/// Not supported (and reported as errors only where they would be ambiguous): line continuation
/// with a trailing backslash and quoting — none of our values needs them.
///
/// Pure: no file system access, so every rule is testable with a string literal.
public enum INIParser {
    /// Parses `text`, naming `path` in errors.
    ///
    /// - Throws: ``ConfigurationError/syntax(path:line:reason:)`` for a line without `=`, a key
    ///   before any section, a malformed section header or an empty key.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> INIDocument {
        var document = INIDocument(path: path)
        var currentSection: String?
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so CRLF files need it named as a separator.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for rawLine in lines {
            lineNumber += 1
            var line = Substring(rawLine)
            if lineNumber == 1, line.first == "\u{FEFF}" {
                line = line.dropFirst()
            }
            let trimmed = trimWhitespace(line)
            guard let first = trimmed.first else { continue }
            if first == "#" || first == ";" { continue }
            if first == "[" {
                guard trimmed.last == "]", trimmed.count >= 2 else {
                    throw .syntax(
                        path: path, line: lineNumber,
                        reason: "bad section header \"\(trimmed)\": expected [Name]")
                }
                let name = trimWhitespace(trimmed.dropFirst().dropLast())
                guard !name.isEmpty, !name.contains("["), !name.contains("]") else {
                    throw .syntax(
                        path: path, line: lineNumber,
                        reason: "bad section header \"\(trimmed)\": expected [Name]")
                }
                currentSection = String(name)
                document.sections.append(.init(name: String(name), line: lineNumber))
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw .syntax(
                    path: path, line: lineNumber,
                    reason: "\"\(trimmed)\": expected Key=Value, a [Section] header or a comment")
            }
            let key = trimWhitespace(trimmed[..<equals])
            let value = trimWhitespace(trimmed[trimmed.index(after: equals)...])
            guard !key.isEmpty else {
                throw .syntax(path: path, line: lineNumber, reason: "\"\(trimmed)\": empty key before =")
            }
            guard !key.contains(where: \.isWhitespace) else {
                throw .syntax(
                    path: path, line: lineNumber, reason: "\"\(trimmed)\": key \"\(key)\" contains whitespace")
            }
            guard let section = currentSection else {
                throw .syntax(
                    path: path, line: lineNumber,
                    reason: "\(key)=\(value): assignment before any [Section] header")
            }
            document.entries.append(
                .init(section: section, key: String(key), value: String(value), line: lineNumber))
        }
        return document
    }

    /// Removes spaces, tabs and carriage returns (CRLF files) at both ends.
    static func trimWhitespace(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
