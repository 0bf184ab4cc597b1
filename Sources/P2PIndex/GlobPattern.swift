/// A shell-style pattern (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`) matched against a whole name.
///
/// Matching is iterative with single-star backtracking, so a hostile pattern such as
/// `*a*a*a*a*b` costs O(pattern × name), not exponential time.
public struct GlobPattern: Sendable {
    private enum Token: Sendable {
        case literal(Unicode.Scalar)
        case any
        case star
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    private let tokens: [Token]

    public init(_ pattern: String) {
        var tokens: [Token] = []
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if case .star? = tokens.last {} else { tokens.append(.star) }
            case "?":
                tokens.append(.any)
            case "[":
                if let (set, next) = GlobPattern.parseSet(scalars, from: index + 1) {
                    tokens.append(set)
                    index = next
                    continue
                }
                tokens.append(.literal(scalar))
            case "\\" where index + 1 < scalars.count:
                index += 1
                tokens.append(.literal(scalars[index]))
            default:
                tokens.append(.literal(scalar))
            }
            index += 1
        }
        self.tokens = tokens
    }

    /// Parses `[...]` starting after the `[`; `nil` when unterminated, which makes `[` a literal.
    private static func parseSet(_ scalars: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var index = start
        var negated = false
        if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "]" && !first { return (.set(ranges, negated: negated), index + 1) }
            first = false
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] != "]" {
                let upper = scalars[index + 2]
                if scalar <= upper { ranges.append(scalar...upper) }
                index += 3
            } else {
                ranges.append(scalar...scalar)
                index += 1
            }
        }
        return nil
    }

    /// The name the pattern stands for when it has no wildcards (escapes removed), so an exact
    /// lookup answers it; `nil` otherwise.
    public var literal: String? {
        var scalars = String.UnicodeScalarView()
        for token in tokens {
            guard case .literal(let scalar) = token else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    public func matches(_ name: String) -> Bool {
        matches(scalars: Array(name.unicodeScalars))
    }

    /// `matches(_:)` on a name's UTF-8 bytes (valid UTF-8, as the index stores names), without
    /// building a `String` per name: a glob search scans every name of the index. An ASCII name's
    /// bytes are its scalars; any other name is decoded into `scratch`, reused across names.
    func matches(utf8 bytes: UnsafeRawBufferPointer, scratch: inout [Unicode.Scalar]) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) {
            return matches(scalars: bytes.lazy.map { Unicode.Scalar($0) })
        }
        scratch.removeAll(keepingCapacity: true)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { scratch.append(scalar) }
        return matches(scalars: scratch)
    }

    private func matches<Text: RandomAccessCollection<Unicode.Scalar>>(scalars text: Text) -> Bool
    where Text.Index == Int {
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < tokens.count {
                switch tokens[p] {
                case .star:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .any:
                    p += 1
                    t += 1
                    continue
                case .literal(let scalar) where scalar == text[t]:
                    p += 1
                    t += 1
                    continue
                case .set(let ranges, let negated) where ranges.contains(where: { $0.contains(text[t]) }) != negated:
                    p += 1
                    t += 1
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count, case .star = tokens[p] { p += 1 }
        return p == tokens.count
    }
}
