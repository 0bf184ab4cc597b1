/// The surfaces that take bytes from outside, each with the properties it must keep on any input.
///
/// One name per surface, so each has its own corpus folder (`Tests/FuzzCorpus/<name>/`) and its
/// own libFuzzer run: coverage feedback works best when one process explores one parser.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONParser` and the writer: parse → write → parse gives an equal value.
    case json
    /// `Envelope` and every wire message parser: what parses re-encodes to an equal value.
    case envelope
    /// `IndexService.respond(to:)` on a session of request lines: always one well-formed reply.
    case index
    /// The control channel: `ControlRequest`, `ControlResponseLine`, `ControlReply`.
    case control
    /// `LineFrameDecoder` fed in random pieces: the lines of the stream, or a timely
    /// `FrameTooLongError`.
    case frames
    /// `GlobPattern` against a reference matcher, and glob search through `FileIndex`.
    case glob
    /// `FileName` validation against the naming rules, and escaping of rejected names.
    case filename
    /// `INIParser`: well-formed documents that survive a write-out and re-read.
    case ini

    /// Runs one input through the target.
    /// - Throws: `InvariantViolation` when the input breaks one of the target's properties. A
    ///   crash or a hang is a finding too; libFuzzer catches those itself.
    public func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        switch self {
        case .json: try JSONRoundTripTarget.run(input)
        case .envelope: try EnvelopeTarget.run(input)
        case .index: try IndexSessionTarget.run(input)
        case .control: try ControlTarget.run(input)
        case .frames: try FrameDecoderTarget.run(input)
        case .glob: try GlobTarget.run(input)
        case .filename: try FileNameTarget.run(input)
        case .ini: try INITarget.run(input)
        }
    }

    /// Runs one input held in an array (the replay path).
    public func run(_ input: [UInt8]) throws(InvariantViolation) {
        let result: Result<Void, InvariantViolation> = input.withUnsafeBytes { raw in
            do throws(InvariantViolation) {
                try run(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}
