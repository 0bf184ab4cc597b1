extension RegistryEntries {
    /// Decodes a registration's `files` value straight from the line, without a `JSONValue` per
    /// file: `range` is the array or object that `JSONParser.parse(_:deferring:)` validated and
    /// skipped. The reading is `RegistryRequest(payload:)`'s, entry by entry: in the array form a
    /// file's name is its last `name` member if that is a string, else its last `file_name`; an
    /// entry without a name, or whose last `size` is not a non-negative integer (or null), is
    /// skipped; a last `sha256` that is not 64 hex digits is dropped; other members are ignored.
    /// In the object form each member is a name and its meta (a non-object meta says nothing).
    public init(decoding line: UnsafeRawBufferPointer, range: Range<Int>) throws(JSONParseError) {
        self.init()
        let slice = UnsafeRawBufferPointer(rebasing: line[range])
        var decoder = JSONParser.EntryReader(parser: JSONParser(validated: slice))
        // About 100 bytes per file on the wire; reserving avoids regrowing a 5,000-entry batch.
        reserveCapacity(files: slice.count / 96 + 1, nameBytes: slice.count / 4)
        try decoder.read(into: &self)
    }
}

extension JSONParser {
    init(validated bytes: UnsafeRawBufferPointer) {
        self.init(bytesForDecoding: bytes)
    }

    /// Reads registry entries from an already validated array or object.
    struct EntryReader {
        var parser: JSONParser
        private var name: [UInt8] = []
        private var fallbackName: [UInt8] = []
        private var text: [UInt8] = []

        init(parser: JSONParser) {
            self.parser = parser
        }

        /// What the last member with a given key held.
        private enum Seen {
            case absent
            case string
            case other
        }

        mutating func read(into entries: inout RegistryEntries) throws(JSONParseError) {
            guard let opening = parser.current else { return }
            let closing = opening == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            parser.index += 1
            parser.skipWhitespace()
            if parser.current == closing { return }
            while true {
                parser.skipWhitespace()
                if opening == UInt8(ascii: "[") {
                    if parser.current == UInt8(ascii: "{") {
                        try readEntryObject(into: &entries)
                    } else {
                        try parser.skipValue(depth: 0)
                    }
                } else {
                    name.removeAll(keepingCapacity: true)
                    try parser.readStringBytes(into: &name)
                    parser.skipWhitespace()
                    parser.index += 1  // ':'
                    parser.skipWhitespace()
                    if parser.current == UInt8(ascii: "{") {
                        if let meta = try readMeta() {
                            entries.append(name: name, size: meta.size, digest: meta.digest)
                        }
                    } else {
                        try parser.skipValue(depth: 0)
                        entries.append(name: name, size: nil, digest: nil)
                    }
                }
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: ",") else { return }
                parser.index += 1
            }
        }

        /// One `{"name": …, "size": …, "sha256": …}` element of the array form.
        private mutating func readEntryObject(into entries: inout RegistryEntries) throws(JSONParseError) {
            var nameSeen = Seen.absent
            var fileNameSeen = Seen.absent
            var meta = Meta()
            try readMembers { reader, key throws(JSONParseError) in
                switch key {
                case .name:
                    if reader.parser.current == UInt8(ascii: "\"") {
                        reader.name.removeAll(keepingCapacity: true)
                        try reader.parser.readStringBytes(into: &reader.name)
                        nameSeen = .string
                    } else {
                        try reader.parser.skipValue(depth: 0)
                        nameSeen = .other
                    }
                case .fileName:
                    if reader.parser.current == UInt8(ascii: "\"") {
                        reader.fallbackName.removeAll(keepingCapacity: true)
                        try reader.parser.readStringBytes(into: &reader.fallbackName)
                        fileNameSeen = .string
                    } else {
                        try reader.parser.skipValue(depth: 0)
                        fileNameSeen = .other
                    }
                default:
                    try reader.readMetaMember(key, into: &meta)
                }
            }
            guard meta.valid else { return }
            if nameSeen == .string {
                entries.append(name: name, size: meta.size, digest: meta.digest)
            } else if fileNameSeen == .string {
                entries.append(name: fallbackName, size: meta.size, digest: meta.digest)
            }
        }

        private struct Meta {
            var size: Int64?
            var digest: SHA256Value?
            var valid = true
        }

        private enum Key {
            case name
            case fileName
            case size
            case sha256
            case other
        }

        /// The meta object of the object form; `nil` when its size is malformed.
        private mutating func readMeta() throws(JSONParseError) -> (size: Int64?, digest: SHA256Value?)? {
            var meta = Meta()
            try readMembers { reader, key throws(JSONParseError) in try reader.readMetaMember(key, into: &meta) }
            return meta.valid ? (meta.size, meta.digest) : nil
        }

        private mutating func readMetaMember(_ key: Key, into meta: inout Meta) throws(JSONParseError) {
            switch key {
            case .size:
                if parser.current == UInt8(ascii: "n") {
                    try parser.skipValue(depth: 0)
                    meta.size = nil
                    meta.valid = true
                } else if parser.current == UInt8(ascii: "-") || parser.isDigit(parser.current ?? 0) {
                    let number = try parser.parseNumber()
                    if let value = number.int64Value, value >= 0 {
                        meta.size = value
                        meta.valid = true
                    } else {
                        meta.valid = false
                    }
                } else {
                    try parser.skipValue(depth: 0)
                    meta.valid = false
                }
            case .sha256:
                if parser.current == UInt8(ascii: "\"") {
                    text.removeAll(keepingCapacity: true)
                    try parser.readStringBytes(into: &text)
                    meta.digest = text.withUnsafeBytes { SHA256Value(hexBytes: $0) }
                } else {
                    try parser.skipValue(depth: 0)
                    meta.digest = nil
                }
            default:
                try parser.skipValue(depth: 0)
            }
        }

        /// Walks an object's members, handing each value (positioned at its first byte) to `body`.
        private mutating func readMembers(
            _ body: (inout EntryReader, Key) throws(JSONParseError) -> Void
        ) throws(JSONParseError) {
            parser.index += 1
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "}") {
                parser.index += 1
                return
            }
            while true {
                parser.skipWhitespace()
                text.removeAll(keepingCapacity: true)
                try parser.readStringBytes(into: &text)
                let key = Self.key(text)
                parser.skipWhitespace()
                parser.index += 1  // ':'
                parser.skipWhitespace()
                try body(&self, key)
                parser.skipWhitespace()
                let separator = parser.current
                parser.index += 1
                if separator != UInt8(ascii: ",") { return }
            }
        }

        private static func key(_ bytes: [UInt8]) -> Key {
            switch bytes.count {
            case 4 where bytes.elementsEqual("name".utf8): return .name
            case 4 where bytes.elementsEqual("size".utf8): return .size
            case 6 where bytes.elementsEqual("sha256".utf8): return .sha256
            case 9 where bytes.elementsEqual("file_name".utf8): return .fileName
            default: return .other
            }
        }
    }
}
