import P2PProtocol

/// Every line on the wire goes through `JSONParser`, and every reply through the writer, so the
/// two must agree: whatever parses, written out compactly, parses back to an equal value and
/// writes out to the same bytes, on one line.
enum JSONRoundTripTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(input)
        } catch {
            try require(
                (0...input.count).contains(error.offset), "error offset \(error.offset) outside 0...\(input.count)")
            return
        }
        let written = compact(value)
        try require(!written.contains(0x0A), "compact JSON contains a raw newline: \(text(written))")
        let reparsed: JSONValue
        do {
            reparsed = try JSONParser.parse(written)
        } catch {
            throw InvariantViolation("the writer's output does not parse (\(error)): \(text(written))")
        }
        try require(reparsed == value, "parse → write → parse changed the value: \(text(written))")
        let rewritten = compact(reparsed)
        try require(rewritten == written, "writing is not stable: \(text(written)) then \(text(rewritten))")
    }

    static func compact(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        return bytes
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    }
}
