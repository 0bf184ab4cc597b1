/// A parser for the systemd-style INI dialect of our config files.
///
/// The dialect, as in systemd.syntax(7): `[Section]` headers; `Key=Value` assignments with
/// whitespace around `=` and at both ends removed; full-line comments starting with `#` or `;`;
/// empty lines. Keys and sections are case-sensitive. A later assignment of the same key wins.
/// Not supported (and reported as errors only where they would be ambiguous): line continuation
/// with a trailing backslash and quoting — none of our values needs them.
///
/// The syntax characters (`[`, `]`, `=`, `#`, `;`) are found as Unicode scalars, the way systemd
/// finds them as bytes, not as `Character`s: a combining mark after `=` or `[` would otherwise
/// fuse with it into one grapheme and hide it.
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
            if lineNumber == 1, line.unicodeScalars.first == "\u{FEFF}" {
                line = Substring(line.unicodeScalars.dropFirst())
            }
            let trimmed = trimWhitespace(line)
            let scalars = trimmed.unicodeScalars
            guard let first = scalars.first else { continue }
            if first == "#" || first == ";" { continue }
            if first == "[" {
                guard scalars.last == "]", scalars.count >= 2 else {
                    throw .syntax(
                        path: path, line: lineNumber,
                        reason: "bad section header \"\(trimmed)\": expected [Name]")
                }
                let name = trimWhitespace(Substring(scalars.dropFirst().dropLast()))
                guard !name.isEmpty, !name.unicodeScalars.contains("["), !name.unicodeScalars.contains("]") else {
                    throw .syntax(
                        path: path, line: lineNumber,
                        reason: "bad section header \"\(trimmed)\": expected [Name]")
                }
                currentSection = String(name)
                document.sections.append(.init(name: String(name), line: lineNumber))
                continue
            }
            guard let equals = scalars.firstIndex(of: "=") else {
                throw .syntax(
                    path: path, line: lineNumber,
                    reason: "\"\(trimmed)\": expected Key=Value, a [Section] header or a comment")
            }
            let key = trimWhitespace(Substring(scalars[..<equals]))
            let value = trimWhitespace(Substring(scalars[scalars.index(after: equals)...]))
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
