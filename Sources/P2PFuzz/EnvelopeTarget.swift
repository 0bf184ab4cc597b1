import P2PProtocol

/// One line as a peer or the index receives it: the envelope, then every message parser on its
/// payload whatever the `type` says, since a hostile sender chooses both. Seed shapes and our
/// extensions alike must parse to values that re-encode to themselves.
enum EnvelopeTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let envelope: Envelope
        do {
            envelope = try Envelope(line: input)
        } catch {
            try WireRoundTrip.checkDescribes(error, "envelope")
            return
        }
        try checkEnvelopeRoundTrip(envelope)
        let payload = envelope.payload

        if let message = try WireRoundTrip.check(
            "REGISTRY_REQUEST", payload, parse: RegistryRequest.init(payload:), encode: \.payload)
        {
            try checkRegistration(message)
        }
        if let message = try WireRoundTrip.check(
            "SEARCH_REQUEST", payload, parse: SearchRequest.init(payload:), encode: \.payload)
        {
            try checkSearch(message)
        }
        if let message = try WireRoundTrip.check(
            "OBTAIN_REQUEST", payload, parse: ObtainRequest.init(payload:), encode: \.payload)
        {
            try checkObtain(message)
        }
        try WireRoundTrip.check("REGISTRY_RESPONSE", payload, parse: RegistryResponse.init(payload:), encode: \.payload)
        try WireRoundTrip.check("SEARCH_RESPONSE", payload, parse: SearchResponse.init(payload:), encode: \.payload)
        if let message = try WireRoundTrip.check(
            "OBTAIN_RESPONSE", payload, parse: ObtainResponse.init(payload:), encode: \.payload)
        {
            try checkObtainResponse(message)
        }
        try WireRoundTrip.check(
            "HEARTBEAT_RESPONSE", payload, parse: HeartbeatResponse.init(payload:), encode: \.payload)
        try WireRoundTrip.check("STATS_RESPONSE", payload, parse: IndexStats.init(payload:), encode: \.payload)
        for element in payload["peers"]?.arrayElements ?? [] {
            try WireRoundTrip.check("PEERS_RESPONSE peer", element, parse: PeerSummary.init(json:), encode: \.json)
        }
        for element in payload["replication_tasks"]?.arrayElements ?? [] {
            try WireRoundTrip.check(
                "replication task", element, parse: ReplicationTask.init(json:), encode: \.json)
        }
        for element in payload["results"]?.arrayElements ?? [] {
            try WireRoundTrip.check(
                "search result", element,
                parse: { json throws(ProtocolError) in
                    try SearchResult(json: json, defaultName: "")
                }, encode: \.json)
        }
        try WireRoundTrip.check("file meta", payload["meta"] ?? payload, parse: FileMeta.init(json:), encode: \.json)
        try WireRoundTrip.check(
            "peer endpoint", payload["peer"] ?? payload, parse: PeerEndpoint.init(json:), encode: \.json)
    }

    /// The envelope itself: one line, which reads back as the same envelope, padded or not.
    static func checkEnvelopeRoundTrip(_ envelope: Envelope) throws(InvariantViolation) {
        let line = envelope.encodedLine()
        try require(line.last == 0x0A && line.firstIndex(of: 0x0A) == line.count - 1, "envelope is not one line")
        let padded = envelope.encodedLine(padTo: 4096)
        try require(padded.count == max(line.count, 4096), "padded to \(padded.count) bytes, not 4096")
        for encoded in [line, padded] {
            let again: Envelope
            do {
                again = try Envelope(line: String(decoding: encoded, as: UTF8.self))
            } catch {
                throw InvariantViolation("an encoded envelope is refused (\(error)): \(envelope.document.serialized)")
            }
            try require(again == envelope, "envelope changed on re-encoding: \(envelope) became \(again)")
        }
    }

    static func checkRegistration(_ request: RegistryRequest) throws(InvariantViolation) {
        try require((1...65535).contains(request.endpoint.port), "port \(request.endpoint.port) accepted")
        if let interval = request.heartbeatIntervalSeconds {
            try require((1...86_400).contains(interval), "heartbeat interval \(interval) accepted")
        }
    }

    static func checkSearch(_ request: SearchRequest) throws(InvariantViolation) {
        try require((1...1024).contains(request.query.utf8.count), "query of \(request.query.utf8.count) bytes")
        if request.mode == .sha256 {
            try require(SHA256Hex.normalized(request.query) == request.query, "digest query not normalised")
        }
        if let limit = request.limit { try require(limit >= 1, "limit \(limit) accepted") }
    }

    static func checkObtain(_ request: ObtainRequest) throws(InvariantViolation) {
        try require(request.fileName != nil || request.sha256 != nil, "obtain request names nothing")
        if let offset = request.offset { try require(offset >= 0, "negative offset \(offset) accepted") }
    }

    static func checkObtainResponse(_ response: ObtainResponse) throws(InvariantViolation) {
        // The client reads exactly this many bytes after the header, so it must be in range.
        try require(
            (0...response.fileSize).contains(response.bodyLength),
            "body length \(response.bodyLength) for a file of \(response.fileSize) bytes")
    }
}

extension JSONValue {
    /// The elements of an array, or none.
    var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
