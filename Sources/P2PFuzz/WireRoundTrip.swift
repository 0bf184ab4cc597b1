import P2PProtocol

/// The property shared by every message type: a value that parsed re-encodes to a payload that
/// parses back to an equal value. Anything a reader accepted must survive being passed on.
enum WireRoundTrip {
    /// Parses `json` with `parse`; when that succeeds, checks `parse(encode(value)) == value`
    /// and returns the value.
    @discardableResult
    static func check<Message: Equatable>(
        _ name: String, _ json: JSONValue,
        parse: (JSONValue) throws(ProtocolError) -> Message,
        encode: (Message) -> JSONValue
    ) throws(InvariantViolation) -> Message? {
        let message: Message
        do {
            message = try parse(json)
        } catch {
            try checkDescribes(error, name)
            return nil
        }
        let encoded = encode(message)
        // Through bytes, as on the wire, not just through the value.
        let reparsedJSON: JSONValue
        do {
            reparsedJSON = try JSONParser.parse(JSONRoundTripTarget.compact(encoded))
        } catch {
            throw InvariantViolation("\(name): encoded form does not parse: \(error)")
        }
        let again: Message
        do {
            again = try parse(reparsedJSON)
        } catch {
            throw InvariantViolation("\(name): its own encoding is refused (\(error)): \(encoded.serialized)")
        }
        try require(again == message, "\(name): re-encoding changed the value: \(message) became \(again)")
        return message
    }

    /// An error names the problem on one line without control characters: it goes back to the
    /// client and into the log, and quotes what the other side sent.
    static func checkDescribes(_ error: ProtocolError, _ name: String) throws(InvariantViolation) {
        for text in [error.description, error.code] {
            try require(!text.isEmpty, "\(name): empty error text for \(error)")
            try require(
                !text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" },
                "\(name): error text spans lines: \(text.debugDescription)")
            try require(
                !text.unicodeScalars.contains(where: FileNameTarget.isControl),
                "\(name): control character in error text: \(text.debugDescription)")
        }
    }
}
