import P2PProtocol

extension JSONValue {
    /// A number rounded to `digits` decimals, so results read as 12.345 rather than
    /// 12.345000000000001; non-finite values become `null`.
    public static func rounded(_ value: Double, digits: Int) -> JSONValue {
        guard value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return .double((value * scale).rounded() / scale)
    }

    /// Indented JSON, two spaces per level, one member per line; short arrays of scalars stay
    /// on one line.
    public var pretty: String {
        var output = ""
        writePretty(into: &output, indent: 0)
        return output
    }

    private func writePretty(into output: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        switch self {
        case .array(let elements) where elements.isEmpty || elements.allSatisfy(\.isScalar):
            output += serialized
        case .array(let elements):
            output += "[\n"
            for (offset, element) in elements.enumerated() {
                output += pad
                element.writePretty(into: &output, indent: indent + 2)
                output += offset < elements.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .object(let members) where members.isEmpty:
            output += "{}"
        case .object(let members):
            output += "{\n"
            for (offset, (key, value)) in members.enumerated() {
                output += pad + JSONValue.string(key).serialized + ": "
                value.writePretty(into: &output, indent: indent + 2)
                output += offset < members.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        default:
            output += serialized
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
