import P2PProtocol

/// One line on the control socket, read both ways: as a request (the daemon's side; any local
/// user in the group can send one) and as a response line (p2pctl's side).
///
/// A request that parses re-encodes to itself. A response line settles after one re-encoding
/// (a failure reason is flattened to one line on the way out, by design), a failure reason is
/// one printable line of bounded length, and an `ok` document read as any command's reply
/// re-encodes to the same reply.
enum ControlTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        try checkRequest(input)
        try checkResponse(input)
        try checkOneLine(String(decoding: input, as: UTF8.self))
    }

    static func checkRequest(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let request: ControlRequest
        do {
            request = try ControlRequest(line: input)
        } catch {
            try WireRoundTrip.checkDescribes(error, "control request")
            return
        }
        let line = request.encodedLine()
        try require(line.firstIndex(of: 0x0A) == line.count - 1, "control request is not one line")
        let again: ControlRequest
        do {
            again = try ControlRequest(line: line.dropLast())
        } catch {
            throw InvariantViolation("an encoded control request is refused (\(error)): \(request.json.serialized)")
        }
        try require(again == request, "control request changed: \(request) became \(again)")
        if case .replicate(let name) = request {
            try require(NameRules.fileNameProblem(name) == nil, "replicate accepted a bad name")
        }
        if case .download(let command) = request, let name = command.fileName {
            try require(NameRules.fileNameProblem(name) == nil, "download accepted a bad name")
        }
    }

    static func checkResponse(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let response: ControlResponseLine
        do {
            response = try ControlResponseLine(line: input)
        } catch {
            try WireRoundTrip.checkDescribes(error, "control response")
            return
        }
        let once = try reencoded(response)
        let twice = try reencoded(once)
        try require(twice == once, "response line does not settle: \(once) became \(twice)")
        switch once {
        case .failure(let reason):
            try checkOneLine(reason)
        case .event(let event):
            try WireRoundTrip.check("control event", event.json, parse: ControlEvent.init(json:), encode: \.json)
        case .ok(let document):
            for command in ControlCommand.allCases {
                try WireRoundTrip.check(
                    "\(command) reply", document,
                    parse: { json throws(ProtocolError) in try ControlReply(json: json, for: command) },
                    encode: \.json)
            }
        }
    }

    static func reencoded(_ response: ControlResponseLine) throws(InvariantViolation) -> ControlResponseLine {
        let line = response.encodedLine()
        try require(line.firstIndex(of: 0x0A) == line.count - 1, "response is not one line")
        do {
            return try ControlResponseLine(line: line.dropLast())
        } catch {
            throw InvariantViolation("an encoded response is refused (\(error)): \(response.json.serialized)")
        }
    }

    /// What p2pctl prints as the reason: one line, no control characters, not padded, bounded.
    static func checkOneLine(_ text: String) throws(InvariantViolation) {
        let line = ControlResponseLine.oneLine(text)
        try require(!line.isEmpty, "empty reason")
        try require(
            line.utf8.count <= ControlResponseLine.maxReasonBytes, "reason of \(line.utf8.count) bytes")
        try require(
            !line.unicodeScalars.contains(where: FileNameTarget.isControl),
            "control character in reason \(line.debugDescription)")
        try require(line.first != " " && line.last != " ", "reason padded with spaces: \(line.debugDescription)")
        try require(ControlResponseLine.oneLine(line) == line, "flattening a flat reason changed it")
    }
}
