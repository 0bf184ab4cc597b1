import P2PCatalog
import P2PProtocol

/// Names arrive from the network and from `readdir`, and `FileName` is the one gate they pass.
/// It must accept exactly what its rules describe (checked against a plain restatement of them),
/// keep the bytes as they are, agree with the wire's `NameRules`, and describe a rejected name
/// so that the message shows every byte and cannot disturb a terminal or a log.
enum FileNameTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(InvariantViolation) {
        let bytes = Array(input)
        let valid = isValid(bytes)
        switch Result(catching: { () throws(FileNameError) in try FileName(bytes: bytes) }) {
        case .success(let name):
            try require(valid, "accepted \(EscapeReader.show(bytes)), which breaks the naming rules")
            try require(name.bytes == bytes, "the accepted name's bytes changed")
            try require(
                NameRules.fileNameProblem(name.string) == nil, "a valid FileName is refused on the wire")
            let again = try? FileName(name.string)
            try require(again == name, "the name does not validate again from its string")
        case .failure(let error):
            try require(!valid, "refused \(EscapeReader.show(bytes)) (\(error.reason)), which the rules allow")
            let shown = error.escapedInput
            try require(
                !shown.unicodeScalars.contains(where: isControl), "control character in \(shown.debugDescription)")
            try require(
                !error.description.unicodeScalars.contains(where: isControl),
                "control character in the message \(error.description.debugDescription)")
            if case .empty = error { return }
            let decoded = EscapeReader.unescape(shown)
            try require(
                decoded == bytes, "\(shown) does not show the bytes \(EscapeReader.show(bytes)) exactly")
        }
    }

    /// The rules of `FileName`, restated.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard (1...255).contains(bytes.count), !bytes.contains(0), !bytes.contains(UInt8(ascii: "/")),
            bytes != Array(".".utf8), bytes != Array("..".utf8),
            let string = String(validating: bytes, as: UTF8.self)
        else { return false }
        return !string.unicodeScalars.contains(where: isControl) && !bytes.reversed().starts(with: "trap.".utf8)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
