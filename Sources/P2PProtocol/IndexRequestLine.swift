/// One request line as the index daemon reads it: the envelope, and for a registration its files
/// decoded straight into `RegistryEntries`.
///
/// A 5,000-file registration parsed as a `JSONValue` tree is some 20,000 small heap objects
/// built only to be taken apart again; here `payload.files` is validated in place and decoded
/// entry by entry, and everything else (errors included) reads exactly as `Envelope(line:)`.
public struct IndexRequestLine: Sendable {
    public var envelope: Envelope
    /// The files of a `REGISTRY_REQUEST` whose `files` is an array or object; `nil` otherwise
    /// (then any `files` member is in `envelope.payload` as usual).
    public var registryEntries: RegistryEntries?

    public init(line: UnsafeRawBufferPointer) throws(ProtocolError) {
        let parsed: (document: JSONValue, deferred: Range<Int>?)
        do {
            parsed = try JSONParser.parse(line, deferring: ["payload", "files"])
        } catch {
            throw .invalidJSON(error.description)
        }
        var envelope = try Envelope(document: parsed.document)
        registryEntries = nil
        if let range = parsed.deferred {
            do {
                if envelope.messageType == .registryRequest {
                    registryEntries = try RegistryEntries(decoding: line, range: range)
                } else {
                    let files = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: line[range]))
                    if case .object(var members) = envelope.payload,
                        let last = members.lastIndex(where: { $0.0 == "files" })
                    {
                        members[last].1 = files
                        envelope.payload = .object(members)
                    }
                }
            } catch {
                throw .invalidJSON(error.description)
            }
        }
        self.envelope = envelope
    }
}
