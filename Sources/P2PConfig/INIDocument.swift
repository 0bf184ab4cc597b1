/// One parsed systemd-style INI file: its assignments and section headers in file order.
///
/// Kept as a flat list rather than a dictionary so that warnings and errors can name the exact
/// line an assignment came from, and so that "later assignment wins" is a property of lookup,
/// not something lost while parsing.
public struct INIDocument: Sendable, Equatable {
    /// One `Key=Value` line.
    public struct Entry: Sendable, Equatable {
        /// The section the assignment appeared in, exactly as written (case-sensitive).
        public var section: String
        /// The key, exactly as written (case-sensitive, like systemd's).
        public var key: String
        /// The value with surrounding whitespace removed; may be empty (`Key=` resets to the default).
        public var value: String
        /// The 1-based line number, for messages.
        public var line: Int

        /// Creates an entry.
        public init(section: String, key: String, value: String, line: Int) {
            self.section = section
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// One `[Section]` header line; kept so an unknown section is reported once, at its header.
    public struct SectionHeader: Sendable, Equatable {
        /// The section name between the brackets.
        public var name: String
        /// The 1-based line number of the header.
        public var line: Int

        /// Creates a section header record.
        public init(name: String, line: Int) {
            self.name = name
            self.line = line
        }
    }

    /// Where the text came from; a file path, or a description such as "command line".
    public var path: String
    /// Every assignment in file order, including ones a later line overrides.
    public var entries: [Entry]
    /// Every section header in file order.
    public var sections: [SectionHeader]

    /// Creates a document.
    public init(path: String, entries: [Entry] = [], sections: [SectionHeader] = []) {
        self.path = path
        self.entries = entries
        self.sections = sections
    }

    /// The assignment that wins for `section`/`key`: the last one in the file.
    public func entry(section: String, key: String) -> Entry? {
        entries.last { $0.section == section && $0.key == key }
    }

    /// The effective assignments, one per section and key, each the last of its kind.
    public var effectiveEntries: [Entry] {
        var seen: Set<[String]> = []
        var result: [Entry] = []
        for entry in entries.reversed() where seen.insert([entry.section, entry.key]).inserted {
            result.append(entry)
        }
        return result.reversed()
    }
}
