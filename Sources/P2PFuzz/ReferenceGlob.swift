/// A second, deliberately naive implementation of the glob dialect `GlobPattern` documents, to
/// compare against: the pattern parsed on its own, matched by dynamic programming over
/// (pattern position, name position), which is obviously correct and obviously O(p × n).
///
/// The dialect: `*` any run, `?` one character, `[…]` a set (`!` or `^` first negates, `]`
/// first is a member, `a-z` a range, a reversed range is empty, no escapes inside), an
/// unterminated `[` is literal, `\` makes the next character literal (a trailing one is itself).
/// Characters are Unicode scalars.
struct ReferenceGlob {
    enum Element {
        case star
        case one((Unicode.Scalar) -> Bool)
    }

    let elements: [Element]

    init(_ pattern: String) {
        let scalars = Array(pattern.unicodeScalars)
        var elements: [Element] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "*": elements.append(.star)
            case "?": elements.append(.one { _ in true })
            case "\\" where index < scalars.count:
                let literal = scalars[index]
                index += 1
                elements.append(.one { $0 == literal })
            case "[":
                if let (test, end) = Self.set(scalars, after: index) {
                    elements.append(.one(test))
                    index = end
                } else {
                    elements.append(.one { $0 == "[" })
                }
            default: elements.append(.one { $0 == scalar })
            }
        }
        self.elements = elements
    }

    /// The set whose body starts at `start`, and the index after its `]`; `nil` if unterminated.
    private static func set(
        _ scalars: [Unicode.Scalar], after start: Int
    ) -> ((Unicode.Scalar) -> Bool, Int)? {
        var index = start
        let negated = index < scalars.count && (scalars[index] == "!" || scalars[index] == "^")
        if negated { index += 1 }
        let bodyStart = index
        var members: [(Unicode.Scalar, Unicode.Scalar)] = []
        while index < scalars.count {
            if scalars[index] == "]" && index > bodyStart {
                let ranges = members
                return ({ scalar in ranges.contains { $0.0 <= scalar && scalar <= $0.1 } != negated }, index + 1)
            }
            let isRange = index + 2 < scalars.count && scalars[index + 1] == "-" && scalars[index + 2] != "]"
            if isRange {
                members.append((scalars[index], scalars[index + 2]))
                index += 3
            } else {
                members.append((scalars[index], scalars[index]))
                index += 1
            }
        }
        return nil
    }

    func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        // next[j]: elements[i + 1...] match text[j...]; row i computed from it, right to left.
        var next = [Bool](repeating: false, count: text.count + 1)
        next[text.count] = true
        var row = next
        for element in elements.reversed() {
            for j in stride(from: text.count, through: 0, by: -1) {
                switch element {
                case .star: row[j] = next[j] || (j < text.count && row[j + 1])
                case .one(let test): row[j] = j < text.count && test(text[j]) && next[j + 1]
                }
            }
            swap(&row, &next)
        }
        return next[0]
    }
}
