/// Typed field access for the control messages, whose fields are mostly required: a missing or
/// mistyped one names itself in the error, so a daemon and a p2pctl of different builds say what
/// they disagree on instead of showing zeros.
extension JSONValue {
    func requiredString(_ key: String) throws(ProtocolError) -> String {
        guard let value = self[key] else { throw .missingField(key) }
        guard let string = value.stringValue else { throw .invalidField(key, "expected a string") }
        return string
    }

    /// A string, or `nil` when the member is missing or `null`.
    func optionalString(_ key: String) throws(ProtocolError) -> String? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let string = value.stringValue else { throw .invalidField(key, "expected a string or null") }
        return string
    }

    func requiredInt64(_ key: String) throws(ProtocolError) -> Int64 {
        guard let value = self[key] else { throw .missingField(key) }
        guard let number = value.int64Value else { throw .invalidField(key, "expected an integer") }
        return number
    }

    func requiredInt(_ key: String) throws(ProtocolError) -> Int {
        let number = try requiredInt64(key)
        guard let narrowed = Int(exactly: number) else { throw .invalidField(key, "out of range") }
        return narrowed
    }

    func requiredBool(_ key: String) throws(ProtocolError) -> Bool {
        guard let value = self[key] else { throw .missingField(key) }
        guard let flag = value.boolValue else { throw .invalidField(key, "expected true or false") }
        return flag
    }

    func requiredArray(_ key: String) throws(ProtocolError) -> [JSONValue] {
        guard let value = self[key] else { throw .missingField(key) }
        guard case .array(let elements) = value else { throw .invalidField(key, "expected an array") }
        return elements
    }
}
