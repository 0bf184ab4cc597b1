import P2PConfig

/// Config files are written by admins and by tools, and a bad one must be named precisely, never
/// crash the daemon. What parses is well-formed (sections and keys as the dialect allows, values
/// trimmed, line numbers real) and reads back the same after being written out in the plainest
/// form; what does not parse names a real line of the file.
enum INITarget {
    static let path = "/etc/p2p/fuzz.conf"

    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let text = String(decoding: input, as: UTF8.self)
        let lineCount = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
        let document: INIDocument
        do {
            document = try INIParser.parse(text, path: path)
        } catch {
            try checkError(error, lineCount: lineCount)
            return
        }
        var previousLine = 0
        for entry in document.entries {
            try require(!entry.key.isEmpty, "empty key")
            try require(!entry.key.contains(where: \.isWhitespace), "whitespace in key \(entry.key.debugDescription)")
            try require(!entry.key.unicodeScalars.contains("="), "'=' in key \(entry.key.debugDescription)")
            try require(
                entry.value.first?.isWhitespace != true && entry.value.last?.isWhitespace != true,
                "value not trimmed: \(entry.value.debugDescription)")
            try require((1...lineCount).contains(entry.line), "entry on line \(entry.line) of \(lineCount)")
            try require(entry.line > previousLine, "entries out of order")
            previousLine = entry.line
            let header = document.sections.last { $0.line < entry.line }
            try require(header?.name == entry.section, "entry in section \(entry.section) under another header")
        }
        for section in document.sections {
            try require(
                !section.name.isEmpty && !section.name.unicodeScalars.contains("[")
                    && !section.name.unicodeScalars.contains("]"),
                "bad section name \(section.name.debugDescription)")
        }
        try checkRewrite(document)
    }

    /// Writes the entries out as `[Section]` and `Key=Value` lines and reads them back.
    static func checkRewrite(_ document: INIDocument) throws(InvariantViolation) {
        var text = ""
        var section: String?
        for entry in document.entries {
            if entry.section != section {
                text += "[\(entry.section)]\n"
                section = entry.section
            }
            text += "\(entry.key)=\(entry.value)\n"
        }
        let reread: INIDocument
        do {
            reread = try INIParser.parse(text, path: path)
        } catch {
            throw InvariantViolation("the written-out document does not parse (\(error)): \(text.debugDescription)")
        }
        // Compared as bytes: `String` equality would let a normalisation change slip through.
        let before = document.entries.map { [Array($0.section.utf8), Array($0.key.utf8), Array($0.value.utf8)] }
        let after = reread.entries.map { [Array($0.section.utf8), Array($0.key.utf8), Array($0.value.utf8)] }
        try require(before == after, "written out and read back, the entries changed: \(text.debugDescription)")
    }

    static func checkError(_ error: ConfigurationError, lineCount: Int) throws(InvariantViolation) {
        guard case .syntax(let errorPath, let line, let reason) = error else {
            throw InvariantViolation("the parser threw something other than a syntax error: \(error)")
        }
        try require(errorPath == path, "the error names \(errorPath), not the file")
        try require((1...lineCount).contains(line), "the error names line \(line) of \(lineCount)")
        try require(!reason.isEmpty, "a syntax error without a reason")
    }
}
