import Testing

@testable import P2PProtocol

@Suite struct FileNameTests {
    @Test func rejectsEmpty() {
        #expect(throws: FileNameError.empty) { try FileName("") }
    }

    @Test func rejectsDotAndDotDot() {
        #expect(throws: FileNameError.dotOrDotDot(Array(".".utf8))) { try FileName(".") }
        #expect(throws: FileNameError.dotOrDotDot(Array("..".utf8))) { try FileName("..") }
    }

    @Test(arguments: ["/x", "a/b", "../etc/passwd", "x/", "/"])
    func rejectsSlash(_ input: String) {
        #expect(throws: FileNameError.containsSlash(Array(input.utf8))) { try FileName(input) }
    }

    @Test func rejectsNUL() {
        #expect(throws: FileNameError.containsNUL(Array("a\0b".utf8))) { try FileName("a\0b") }
        #expect(throws: FileNameError.containsNUL([0x61, 0])) { try FileName(bytes: [0x61, 0]) }
    }

    @Test func rejectsNewlineAndOtherControlCharacters() {
        let cases: [(String, UInt32)] = [
            ("a\nb", 0x0A), ("a\rb", 0x0D), ("tab\there", 0x09), ("\u{1B}[31mred", 0x1B),
            ("bell\u{07}", 0x07), ("del\u{7F}", 0x7F), ("csi\u{9B}31m", 0x9B), ("\u{01}", 0x01),
        ]
        for (input, scalar) in cases {
            #expect(throws: FileNameError.controlCharacter(Array(input.utf8), scalar: scalar)) {
                try FileName(input)
            }
        }
    }

    @Test(
        arguments: [
            [0x66, 0xFF, 0x6F],  // a byte that never occurs in UTF-8
            [0xC0, 0xAF],  // overlong encoding of '/'
            [0xE2, 0x82],  // truncated sequence
            [0xED, 0xA0, 0x80],  // UTF-16 surrogate
            [0x80],  // lone continuation byte
        ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: FileNameError.invalidUTF8(bytes)) { try FileName(bytes: bytes) }
    }

    @Test func rejectsNamesOver255Bytes() {
        let long = String(repeating: "a", count: 256)
        #expect(throws: FileNameError.tooLong(Array(long.utf8), byteCount: 256)) { try FileName(long) }
        // 128 two-byte characters: 128 characters but 256 bytes.
        let wide = String(repeating: "é", count: 128)
        #expect(throws: FileNameError.tooLong(Array(wide.utf8), byteCount: 256)) { try FileName(wide) }
    }

    @Test func accepts255Bytes() throws {
        #expect(try FileName(String(repeating: "a", count: 255)).bytes.count == 255)
        #expect(try FileName(String(repeating: "é", count: 127) + "a").bytes.count == 255)
    }

    @Test func rejectsPartialDownloads() {
        #expect(throws: FileNameError.partialDownload(Array("song.ogg.part".utf8))) {
            try FileName("song.ogg.part")
        }
        #expect(throws: FileNameError.partialDownload(Array(".part".utf8))) { try FileName(".part") }
    }

    @Test(arguments: [
        "song.ogg", "my song (live).ogg", " leading and trailing spaces ", "🎵 music 🎶.mp3",
        "-rf", "--help", "-", "日本語のファイル.txt", "a..b", "part", "x.partial", "x.PART.txt",
        "weird'quote\"s", "back\\slash", "$(rm -rf ~)", "*?[glob]", "100%", "Ωmega", "e\u{301}",
        "zero\u{200B}width",
    ])
    func acceptsOddButValidNames(_ input: String) throws {
        let name = try FileName(input)
        #expect(name.string == input)
        #expect(name.bytes == Array(input.utf8))
        #expect(!name.isHidden)
    }

    @Test func hiddenNamesAreValidButMarked() throws {
        #expect(try FileName(".hidden").isHidden)
        #expect(try FileName("...").isHidden)
        #expect(try !FileName("visible").isHidden)
    }

    @Test func acceptsValidBytes() throws {
        let bytes = Array("café.txt".utf8)
        #expect(try FileName(bytes: bytes).string == "café.txt")
    }

    @Test func comparesBytesNotCanonicalEquivalence() throws {
        // The same text, precomposed and decomposed: equal as Swift strings, two files on Linux.
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(precomposed == decomposed)
        let a = try FileName(precomposed)
        let b = try FileName(decomposed)
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
        #expect(a != b && (a < b) != (b < a))
    }

    @Test func ordersByBytes() throws {
        let names = try ["b", "a", "B", "ä", "aa"].map(FileName.init)
        #expect(names.sorted().map(\.string) == ["B", "a", "aa", "b", "ä"])
    }

    @Test func errorDescriptionNamesTheEscapedInputAndTheReason() {
        func message(_ bytes: [UInt8]) -> String {
            do {
                _ = try FileName(bytes: bytes)
                return ""
            } catch { return error.description }
        }
        func message(_ input: String) -> String { message(Array(input.utf8)) }

        #expect(message("a\nb") == #"invalid file name "a\nb": contains the control character U+000A"#)
        #expect(message([0x66, 0xFF]) == #"invalid file name "f\xFF": is not valid UTF-8"#)
        #expect(message("\u{1B}[2J").contains(#""\u{1B}[2J""#))
        #expect(message("a/b").contains(#""a/b""#))
        #expect(message("a/b").contains("single path component"))
        #expect(message("..").contains(#""..": is '.' or '..'"#))
        #expect(message("") == #"invalid file name "": is empty"#)
        #expect(message("x.part").contains("download in progress"))
        #expect(message(String(repeating: "z", count: 300)).contains("300 bytes"))
        #expect(message("a\0b").contains(#""a\0b": contains a NUL byte"#))
        // The message itself carries no raw control character.
        #expect(!message("a\u{1B}b\u{9B}").unicodeScalars.contains { FileName.isControl($0) })
    }
}
