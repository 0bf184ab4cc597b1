#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the text of one setting becomes a typed value, and what to tell the admin when it cannot.
///
/// `expected` completes the sentence "…: expected ___" in ``ConfigurationError/invalidValue``,
/// so every kind owns its own wording.
struct ValueKind<Value: Sendable>: Sendable {
    /// E.g. "an integer 1–65535".
    let expected: String
    /// Returns nil for text that is not a valid value.
    let parse: @Sendable (String) -> Value?
}

extension ValueKind where Value == Int {
    /// A TCP port.
    static var port: Self {
        integer(in: 1...65_535)
    }

    /// A port to listen on: 0 asks the kernel for a free one, which tests and scratch runs use;
    /// the daemon logs the port it got.
    static var listenPort: Self {
        Self(expected: "an integer 0–65535 (0 picks a free port)") { text in
            guard let number = Int(text), (0...65_535).contains(number) else { return nil }
            return number
        }
    }

    /// A decimal integer in `range`.
    static func integer(in range: ClosedRange<Int>) -> Self {
        Self(expected: "an integer \(range.lowerBound)–\(range.upperBound)") { text in
            guard let number = Int(text), range.contains(number) else { return nil }
            return number
        }
    }

    /// A decimal integer of at least `minimum`.
    static func integer(atLeast minimum: Int) -> Self {
        Self(expected: "an integer ≥ \(minimum)") { text in
            guard let number = Int(text), number >= minimum else { return nil }
            return number
        }
    }

    /// A whole number of seconds, at least one (zero would mean "never" or "spin").
    static var seconds: Self {
        Self(expected: "a whole number of seconds ≥ 1") { text in
            guard let number = Int(text), number >= 1 else { return nil }
            return number
        }
    }

    /// A byte count with an optional 1024-based suffix `K`, `M` or `G` (either case), as systemd
    /// accepts for sizes: `64K` = 65536, `1M` = 1048576.
    static func byteCount(in range: ClosedRange<Int>) -> Self {
        let bounds =
            range.upperBound == Int.max
            ? "≥ \(describeBytes(range.lowerBound))"
            : "\(describeBytes(range.lowerBound))–\(describeBytes(range.upperBound))"
        return Self(expected: "a byte count \(bounds) (suffix K, M or G = 1024-based)") { text in
            guard let number = parseByteCount(text), range.contains(number) else { return nil }
            return number
        }
    }

    /// `65536` → `64K`, for readable ranges in messages.
    static func describeBytes(_ count: Int) -> String {
        for (suffix, factor) in [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
        where count >= factor && count % factor == 0 {
            return "\(count / factor)\(suffix)"
        }
        return "\(count)"
    }

    /// Parses `123`, `64K`, `1M`, `2g`; nil on anything else or on overflow.
    static func parseByteCount(_ text: String) -> Int? {
        var digits = Substring(text)
        var factor = 1
        switch text.last {
        case "K", "k": factor = 1 << 10
        case "M", "m": factor = 1 << 20
        case "G", "g": factor = 1 << 30
        default: break
        }
        if factor != 1 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let number = Int(digits)
        else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}

extension ValueKind where Value == Bool {
    /// A boolean the way systemd spells them.
    static var boolean: Self {
        Self(expected: "a boolean (yes/no, true/false, on/off, 1/0)", parse: systemdBoolean)
    }
}

extension ValueKind where Value == UInt32 {
    /// An octal permission mode such as `0660`; no set-id or sticky bits (this is for a socket).
    static var fileMode: Self {
        Self(expected: "an octal mode 0000–0777 (e.g. 0660)") { text in
            guard (1...4).contains(text.count), let mode = UInt32(text, radix: 8), mode <= 0o777 else { return nil }
            return mode
        }
    }
}

extension ValueKind where Value == String {
    /// A numeric IPv4 or IPv6 address to bind to; names are refused because a listen address that
    /// resolves differently tomorrow is a surprise nobody wants in a daemon.
    static var listenAddress: Self {
        Self(expected: "an IPv4 or IPv6 address (e.g. 0.0.0.0 or ::)") { text in
            isIPAddress(text) ? text : nil
        }
    }

    /// A host name or numeric address that other machines can use to reach us or the index.
    static var host: Self {
        Self(expected: "a host name or IP address") { text in
            let allowed = text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || ".-_:%".unicodeScalars.contains(scalar))
            }
            return allowed && (1...253).contains(text.utf8.count) ? text : nil
        }
    }

    /// A system group name (as useradd accepts them) or a numeric GID.
    static var groupName: Self {
        Self(expected: "a group name or numeric GID") { text in
            guard (1...32).contains(text.utf8.count), let first = text.unicodeScalars.first else { return nil }
            let valid = text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "_-".unicodeScalars.contains(scalar))
            }
            return valid && first != "-" ? text : nil
        }
    }

    /// An absolute path. `%i` expands to `instance` (the peer id) and `%%` to `%`, like systemd
    /// unit specifiers, so that `/etc/p2p/peer.conf`, which every peer reads, can still give each
    /// peer its own folder. A trailing slash is dropped.
    static func absolutePath(instance: String?, maximumBytes: Int = 4095) -> Self {
        let specifiers = instance == nil ? "" : "; %i = peer id"
        let limit = maximumBytes < 4095 ? " of at most \(maximumBytes) bytes" : ""
        return Self(expected: "an absolute path\(limit)\(specifiers)") { text in
            guard let expanded = expandSpecifiers(text, instance: instance),
                expanded.hasPrefix("/"), !expanded.contains("\0")
            else { return nil }
            var path = expanded
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path.utf8.count <= maximumBytes ? path : nil
        }
    }

    /// A Unix socket path: absolute and short enough for `sockaddr_un` (107 bytes plus the NUL).
    static func socketPath(instance: String?) -> Self {
        absolutePath(instance: instance, maximumBytes: 107)
    }
}

extension ValueKind {
    /// systemd's boolean spellings, case-insensitive; nil for anything else.
    static func systemdBoolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "on", "1": true
        case "no", "false", "off", "0": false
        default: nil
        }
    }

    /// Whether `text` is a numeric IPv4 or IPv6 address.
    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return buffer.withUnsafeMutableBytes { raw in
            inet_pton(AF_INET, text, raw.baseAddress) == 1 || inet_pton(AF_INET6, text, raw.baseAddress) == 1
        }
    }

    /// Expands `%i` and `%%`; nil for any other specifier or a `%i` without an instance.
    static func expandSpecifiers(_ text: String, instance: String?) -> String? {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "%": result.append("%")
            case "i":
                guard let instance else { return nil }
                result += instance
            default: return nil
            }
        }
        return result
    }
}
