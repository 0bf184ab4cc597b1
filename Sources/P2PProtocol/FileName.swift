/// The name of a shareable file: exactly one path component that is safe to open inside a served
/// folder, to print on a terminal and to store in a line-based file.
///
/// Names reach a peer from the network (obtain requests, search results) and from `readdir`, so a
/// name is validated once, here, and everything after this type can treat it as trusted. The rules:
///
/// - non-empty, at most 255 bytes of UTF-8 (Linux's `NAME_MAX`), valid UTF-8;
/// - no `/` and no NUL, and not `.` or `..`, so it can never address anything but a direct entry
///   of the folder it is opened in;
/// - no control characters: C0 (below 0x20), DEL (0x7F) and C1 (U+0080–U+009F), which would let a
///   name rewrite a terminal (ESC, 8-bit CSI) or split a log or cache line (`\n`, `\r`, `\t`);
/// - not ending in `.part`: that suffix marks a download in progress, which is never served.
///
/// Equality, hashing and ordering use the UTF-8 bytes, not `String` comparison. Swift's `String`
/// equality is Unicode canonical equivalence, so `"é"` precomposed (NFC) and decomposed (NFD) are
/// equal strings, but they are two different files on Linux; comparing bytes keeps them apart.
public struct FileName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Linux's `NAME_MAX`: the longest single path component, in bytes.
    public static let maximumByteCount = 255

    /// The suffix of a download in progress (`<name>.part`); such files are never served.
    public static let partialDownloadSuffix = ".part"

    /// The validated name.
    public let string: String

    /// Validates `string` as a shareable file name.
    public init(_ string: String) throws(FileNameError) {
        try self.init(validatingBytes: Array(string.utf8))
    }

    /// Validates raw bytes, as `readdir` returns them, as a shareable file name.
    ///
    /// Invalid UTF-8 is rejected rather than repaired: a repaired name would name a different
    /// (non-existent) file.
    public init(bytes: some Sequence<UInt8>) throws(FileNameError) {
        try self.init(validatingBytes: Array(bytes))
    }

    private init(validatingBytes bytes: [UInt8]) throws(FileNameError) {
        if bytes.isEmpty { throw .empty }
        if bytes.count > Self.maximumByteCount { throw .tooLong(bytes, byteCount: bytes.count) }
        if bytes.contains(0) { throw .containsNUL(bytes) }
        if bytes.contains(UInt8(ascii: "/")) { throw .containsSlash(bytes) }
        if bytes == [UInt8(ascii: ".")] || bytes == [UInt8(ascii: "."), UInt8(ascii: ".")] {
            throw .dotOrDotDot(bytes)
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(bytes)
        }
        for scalar in string.unicodeScalars where Self.isControl(scalar) {
            throw .controlCharacter(bytes, scalar: scalar.value)
        }
        if bytes.reversed().starts(with: Self.partialDownloadSuffix.utf8.reversed()) {
            throw .partialDownload(bytes)
        }
        self.string = string
    }

    /// True for names starting with `.`: valid, but hidden files are not served.
    public var isHidden: Bool { string.utf8.first == UInt8(ascii: ".") }

    /// The name's UTF-8 bytes, as passed to `openat`.
    public var bytes: [UInt8] { Array(string.utf8) }

    public var description: String { string }

    public static func == (lhs: FileName, rhs: FileName) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
        hasher.combine(string.utf8.count)
    }

    /// Byte order, like `ls` in the C locale: stable, and independent of locale and normalization.
    public static func < (lhs: FileName, rhs: FileName) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Why a name is not a shareable file name. Each case carries the rejected input as raw bytes, so
/// the message can show exactly what arrived, escaped so that it cannot disturb a terminal or log.
public enum FileNameError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    case tooLong([UInt8], byteCount: Int)
    case containsNUL([UInt8])
    case containsSlash([UInt8])
    case dotOrDotDot([UInt8])
    case invalidUTF8([UInt8])
    case controlCharacter([UInt8], scalar: UInt32)
    case partialDownload([UInt8])

    /// The rejected input, escaped for display (`"a\nb"`, `"\xff"`), quotes included.
    public var escapedInput: String {
        switch self {
        case .empty: return "\"\""
        case .tooLong(let bytes, _), .containsNUL(let bytes), .containsSlash(let bytes),
            .dotOrDotDot(let bytes), .invalidUTF8(let bytes), .controlCharacter(let bytes, _),
            .partialDownload(let bytes):
            return EscapedBytes.quoted(bytes)
        }
    }

    /// Why the input was rejected, without the input.
    public var reason: String {
        switch self {
        case .empty: return "is empty"
        case .tooLong(_, let count):
            return "is \(count) bytes long; at most \(FileName.maximumByteCount) bytes are allowed"
        case .containsNUL: return "contains a NUL byte"
        case .containsSlash: return "contains '/'; a name must be a single path component"
        case .dotOrDotDot: return "is '.' or '..', which name a folder, not a file"
        case .invalidUTF8: return "is not valid UTF-8"
        case .controlCharacter(_, let scalar):
            return "contains the control character U+\(EscapedBytes.hex(scalar, width: 4))"
        case .partialDownload:
            return "ends in '\(FileName.partialDownloadSuffix)', which marks a download in progress"
        }
    }

    public var description: String { "invalid file name \(escapedInput): \(reason)" }
}
