import CSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Builds and sends one journal entry as a list of `KEY=value` fields.
///
/// Building is a pure function (`fields(level:message:…)`) so the mapping is testable without a
/// journald; ``send(_:)`` is the one impure step.
public enum JournalFields {
    /// Fields the handler writes itself; metadata never overrides them (a metadata key
    /// `message` or `priority` would otherwise replace the entry's text or severity).
    public static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER",
    ]

    /// Longest field name journald accepts; longer ones are dropped by journald anyway.
    public static let maximumNameLength = 64

    /// The journal field name for a swift-log metadata key, or `nil` if it cannot be one.
    ///
    /// Journal field names are `[A-Z0-9_]`, must not start with a digit, and must not start with
    /// `_` (those are the trusted fields journald adds itself). Keys are written in Swift style
    /// or in snake/kebab case, and all of them should land on the same name:
    /// `peerID`, `peer_id`, `peer-id` → `PEER_ID`; `fileName` → `FILE_NAME`; `HTTPStatus` →
    /// `HTTP_STATUS`; `sha256` → `SHA256`; `error.message` → `ERROR_MESSAGE`.
    /// Separators (`_ - . : / space`) become one `_`, leading and trailing ones are dropped. A key
    /// with any other character (non-ASCII included), one that is empty afterwards, starts with a
    /// digit, or is longer than ``maximumNameLength`` yields `nil`: the field is dropped rather
    /// than guessed at.
    public static func fieldName(forMetadataKey key: String) -> String? {
        let bytes = Array(key.utf8)
        var name: [UInt8] = []
        name.reserveCapacity(bytes.count + 4)

        func separate() {
            if let last = name.last, last != underscore {
                name.append(underscore)
            }
        }

        for (index, byte) in bytes.enumerated() {
            if isLower(byte) {
                name.append(byte - 32)
            } else if isUpper(byte) {
                if index > 0 {
                    let previous = bytes[index - 1]
                    let nextIsLower = index + 1 < bytes.count && isLower(bytes[index + 1])
                    // fileName → FILE_NAME, sha256Sum → SHA256_SUM, HTTPStatus → HTTP_STATUS.
                    if isLower(previous) || isDigit(previous) || (isUpper(previous) && nextIsLower) {
                        separate()
                    }
                }
                name.append(byte)
            } else if isDigit(byte) {
                name.append(byte)
            } else if separators.contains(byte) {
                separate()
            } else {
                return nil
            }
        }
        if name.last == underscore {
            name.removeLast()
        }
        guard let first = name.first, !isDigit(first), name.count <= maximumNameLength else {
            return nil
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// The fields of one entry, in a fixed order: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, CODE_FILE,
    /// CODE_LINE, CODE_FUNC, LOGGER (the swift-log label), then metadata sorted by field name.
    ///
    /// The CODE_* fields are filled here from swift-log's call site because libsystemd's
    /// `_with_location` macros do not import into Swift. Metadata whose key has no valid field
    /// name, or maps onto a reserved field, is left out.
    public static func fields(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        identifier: String,
        label: String,
        file: String,
        function: String,
        line: UInt
    ) -> [String] {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(SyslogPriority(level).rawValue)",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
            "LOGGER=\(label)",
        ]
        var extra: [(name: String, value: String)] = []
        extra.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            guard let name = fieldName(forMetadataKey: key), !reserved.contains(name) else {
                continue
            }
            extra.append((name, LogMetadata.text(value)))
        }
        // Two keys may map to one name (peerID and peer_id); the journal keeps both values.
        extra.sort { ($0.name, $0.value) < ($1.name, $1.value) }
        fields.append(contentsOf: extra.map { "\($0.name)=\($0.value)" })
        return fields
    }

    /// Sends one entry to journald with sd_journal_sendv(3).
    ///
    /// Values may contain newlines (libsystemd switches to its binary-safe encoding). Returns 0 or
    /// a negative errno; note that with no journald listening libsystemd returns 0 and the entry
    /// is gone, so success here does not prove the entry was stored.
    @discardableResult
    public static func send(_ fields: [String]) -> CInt {
        guard !fields.isEmpty else { return -EINVAL }
        return withIOVectors(fields) { vectors in
            sd_journal_sendv(vectors.baseAddress, CInt(vectors.count))
        }
    }

    /// Lays the fields out in one contiguous buffer and calls `body` with one iovec per field
    /// pointing into it; the pointers are valid only inside `body`.
    static func withIOVectors<Result>(
        _ fields: [String],
        _ body: (UnsafeBufferPointer<iovec>) -> Result
    ) -> Result {
        var buffer: [UInt8] = []
        var ranges: [(offset: Int, length: Int)] = []
        ranges.reserveCapacity(fields.count)
        for field in fields {
            ranges.append((buffer.count, field.utf8.count))
            buffer.append(contentsOf: field.utf8)
        }
        buffer.append(0)  // never empty, so there is always a base address
        return buffer.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress!
            let vectors = ranges.map { iovec(iov_base: base + $0.offset, iov_len: $0.length) }
            return vectors.withUnsafeBufferPointer(body)
        }
    }

    private static let underscore = UInt8(ascii: "_")
    private static let separators: Set<UInt8> = Set("_-.:/ ".utf8)

    private static func isLower(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isUpper(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
